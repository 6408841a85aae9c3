package mapping

import (
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"ecscan/checks"
)

// Facts are the observations answer rules test besides findings, derived from a run's results
// and service map. Their vocabulary is fixed here and documented in docs/rules.md.
type Facts map[string][]string // fact → evidence (finding keys or "host:port" of services)

// factNames is the vocabulary of facts.
var factNames = []string{
	"scan.ports",           // the ports check ran on an in-scope host
	"scan.dns",             // the DNS check ran on a domain
	"web.host",             // an in-scope host serves HTTP or HTTPS
	"web.cohost.mail",      // … and also SMTP, POP3 or IMAP
	"web.cohost.dns",       // … and also DNS
	"web.cohost.ftp",       // … and also FTP
	"web.cohost.telnet",    // … and also telnet
	"web.cohost.file",      // … and also file sharing (SMB, NFS)
	"web.cohost.db",        // … and also a database, cache or search engine
	"web.cohost.dev",       // … and also a development or admin server
	"web.cohost.other",     // … and also a service of no category above (not SSH)
	"services.declared",    // the operator declared the allowed services per host
	"services.undeclared",  // a service is reachable that the operator did not declare
	"services.as-declared", // every reachable service was declared
}

// KnownFact reports whether name is in the facts vocabulary.
func KnownFact(name string) bool { return slices.Contains(factNames, name) }

// Category groups a service for the questionnaire: "web", "mail", "dns", "ftp", "telnet",
// "file", "db", "dev", "ssh", "other". HTTP services are told apart by the product they
// name (a database or admin console speaking HTTP) and by their port.
func Category(s checks.Service) string {
	switch s.Protocol {
	case "http":
		switch p := strings.ToLower(s.Product); {
		case strings.Contains(p, "elasticsearch"), strings.Contains(p, "opensearch"), strings.Contains(p, "couchdb"), strings.Contains(p, "kibana"):
			return "db"
		case strings.Contains(p, "docker"), strings.Contains(p, "jenkins"), strings.Contains(p, "rabbitmq"), strings.Contains(p, "webmin"), strings.Contains(p, "weblogic"):
			return "dev"
		}
		if slices.Contains(devPorts, s.Port) {
			return "dev"
		}
		return "web"
	case "smtp", "pop3", "imap":
		return "mail"
	case "dns":
		return "dns"
	case "ftp":
		return "ftp"
	case "telnet":
		return "telnet"
	case "smb", "nfs", "rpcbind":
		return "file"
	case "mysql", "postgresql", "mssql", "oracle", "mongodb", "redis", "memcached":
		return "db"
	case "ssh":
		return "ssh"
	case "unknown", "":
		return portCategory(s.Port)
	}
	return "other"
}

var devPorts = []int{2375, 2376, 3000, 5000, 5601, 7001, 8000, 8008, 8080, 8081, 8088, 8888, 9000, 9090, 10000, 15672, 50000}

func portCategory(p int) string {
	switch {
	case p == 80 || p == 443:
		return "web"
	case slices.Contains([]int{25, 465, 587, 110, 995, 143, 993}, p):
		return "mail"
	case p == 53:
		return "dns"
	case p == 21 || p == 990:
		return "ftp"
	case p == 23:
		return "telnet"
	case slices.Contains([]int{111, 139, 445, 2049}, p):
		return "file"
	case slices.Contains([]int{1433, 1521, 3306, 5432, 5984, 6379, 9200, 9300, 11211, 27017}, p):
		return "db"
	case p == 22:
		return "ssh"
	case slices.Contains(devPorts, p) || p == 3389 || (p >= 5900 && p <= 5909):
		return "dev"
	}
	return "other"
}

// DeclaredServices is the operator's list of allowed services per host: host name (or
// address) → ports.
type DeclaredServices map[string][]int

// DeriveFacts computes the facts of a run.
func DeriveFacts(results []checks.Result, services []checks.Service, declared DeclaredServices) Facts {
	f := Facts{}
	for _, r := range results {
		if r.Status == checks.StatusOK || r.Status == "" {
			switch r.Check {
			case "ports":
				f.add("scan.ports", r.Target)
			case "dns":
				f.add("scan.dns", r.Target)
			}
		}
	}
	byAddr := map[netip.Addr][]checks.Service{}
	for _, s := range services {
		byAddr[s.Addr] = append(byAddr[s.Addr], s)
	}
	addrs := make([]netip.Addr, 0, len(byAddr))
	for a := range byAddr {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	for _, a := range addrs {
		svcs := byAddr[a]
		if !slices.ContainsFunc(svcs, func(s checks.Service) bool { return Category(s) == "web" }) {
			continue
		}
		for _, s := range svcs {
			ref := serviceRef(s)
			switch c := Category(s); c {
			case "web":
				f.add("web.host", ref)
			case "ssh":
			default:
				f.add("web.cohost."+c, ref)
			}
		}
	}
	if len(declared) > 0 {
		f.add("services.declared", "config")
		undeclared := false
		for _, s := range services {
			ports, ok := declared[s.Host]
			if !ok {
				ports = declared[s.Addr.String()]
			}
			if !slices.Contains(ports, s.Port) {
				undeclared = true
				f.add("services.undeclared", serviceRef(s))
			}
		}
		if !undeclared {
			f.add("services.as-declared", "config")
		}
	}
	return f
}

func serviceRef(s checks.Service) string {
	return s.Host + ":" + strconv.Itoa(s.Port) + " (" + s.Protocol + ")"
}

func (f Facts) add(name, ref string) {
	if !slices.Contains(f[name], ref) {
		f[name] = append(f[name], ref)
	}
}
