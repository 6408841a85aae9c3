package ports

//go:generate go run gen_topports.go

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// reviewPorts are the ports an EC site review always looks at, whatever their nmap
// frequency: remote administration (ssh, telnet, RDP, VNC, WinRM), mail, DNS, file sharing
// (ftp, SMB, NFS, rpcbind), databases, caches, search engines, container and message-queue
// APIs, and the development and admin servers that leak onto public addresses. Beyond the
// review list of the brief it adds 2082/2083/2086/2087 (cPanel/WHM), 2222 (DirectAdmin and
// the usual "moved" ssh), 4848 (GlassFish admin), 5985/5986 (WinRM), 5900-5909 (every VNC
// display), 6443 (Kubernetes API), 7002 (WebLogic TLS), 8161 (ActiveMQ console), 8880
// (Plesk), 9443 (Portainer), 9990 (WildFly admin) and 27018/27019 (MongoDB shards).
var reviewPorts = []uint16{
	21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 465, 587, 990, 993, 995,
	1433, 1521, 2049, 2082, 2083, 2086, 2087, 2222, 2375, 2376, 3000, 3306, 3389, 4848,
	5000, 5432, 5601, 5900, 5901, 5902, 5903, 5904, 5905, 5906, 5907, 5908, 5909, 5984,
	5985, 5986, 6379, 6443, 7001, 7002, 8000, 8008, 8080, 8081, 8088, 8161, 8443, 8880,
	8888, 9000, 9090, 9200, 9300, 9443, 9990, 10000, 11211, 15672, 27017, 27018, 27019,
	50000,
}

// TopPorts returns nmap's n most frequently open TCP ports, most frequent first. n is capped
// at the number of TCP ports nmap-services lists (8366 in nmap 7.93).
func TopPorts(n int) []int {
	n = max(0, min(n, len(topPorts)))
	out := make([]int, n)
	for i := range out {
		out[i] = int(topPorts[i])
	}
	return out
}

// DefaultPorts returns TopPorts(1000) and the EC review ports, sorted.
func DefaultPorts() []int {
	out := TopPorts(1000)
	for _, p := range reviewPorts {
		out = append(out, int(p))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AllPorts returns 1-65535.
func AllPorts() []int {
	out := make([]int, 65535)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// ParsePorts reads a port specification: comma-separated ports and ranges
// ("1-1024,3306,8080-8090"; an open end as in nmap: "-1024", "60000-"), plus the words "top100"/"topN" (nmap's N most frequent),
// "default" (DefaultPorts) and "all" (AllPorts). The result is sorted without duplicates. An
// error names the part it could not read.
func ParsePorts(spec string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		ps, err := parsePart(part)
		if err != nil {
			return nil, fmt.Errorf("ports %q: %w", part, err)
		}
		out = append(out, ps...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func parsePart(part string) ([]int, error) {
	switch {
	case part == "":
		return nil, fmt.Errorf("empty")
	case part == "all":
		return AllPorts(), nil
	case part == "default":
		return DefaultPorts(), nil
	case strings.HasPrefix(part, "top"):
		n, err := strconv.Atoi(part[3:])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("want top<N> with N ≥ 1")
		}
		return TopPorts(n), nil
	}
	lo, hi, isRange := strings.Cut(part, "-")
	if !isRange {
		a, err := parsePort(lo)
		if err != nil {
			return nil, err
		}
		return []int{a}, nil
	}
	a, err := parseBound(lo, 1)
	if err != nil {
		return nil, err
	}
	b, err := parseBound(hi, 65535)
	if err != nil {
		return nil, err
	}
	if b < a {
		return nil, fmt.Errorf("range ends before it starts")
	}
	out := make([]int, 0, b-a+1)
	for p := a; p <= b; p++ {
		out = append(out, p)
	}
	return out, nil
}

// parseBound reads one end of a range; an empty end is open ("-1024", "60000-", "-"), as
// in nmap.
func parseBound(s string, open int) (int, error) {
	if strings.TrimSpace(s) == "" {
		return open, nil
	}
	return parsePort(s)
}

func parsePort(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("not a port number")
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("not a port number")
		}
	}
	p, err := strconv.Atoi(s)
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("out of range 1-65535")
	}
	return p, nil
}

// FormatPorts writes sorted ports as the compact specification ParsePorts reads back
// ("1-1024,3306").
func FormatPorts(ports []int) string {
	var b strings.Builder
	for i := 0; i < len(ports); {
		j := i
		for j+1 < len(ports) && ports[j+1] == ports[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(ports[i]))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(ports[j]))
		}
		i = j + 1
	}
	return b.String()
}
