package mapping

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

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
	// From the state directory of scheduled scans (--state):
	"history.runs",              // earlier runs are kept: the inspection is repeated
	"history.span-short",        // the kept runs span less than two days: no frequency can be told
	"history.frequency.daily",   // runs almost every day or several times a week (median ≤ 3.5 days)
	"history.frequency.weekly",  // about once a week (≤ 10 days)
	"history.frequency.monthly", // about once a month (≤ 45 days)
	"history.frequency.rare",    // less often
	"history.fix.within-2d",     // failures were fixed, median time to fix ≤ 2 days
	"history.fix.within-1w",     // … ≤ 7 days
	"history.fix.within-2w",     // … ≤ 14 days
	"history.fix.within-1m",     // … ≤ 31 days
	"history.fix.within-2m",     // … ≤ 62 days
	"history.fix.over-2m",       // … longer, or a failure open for more than 62 days
	"history.findings-fixed",    // failures found by earlier runs were fixed
	"history.no-failures",       // no run ever found a failure of medium severity or worse
	"history.unfixed-long",      // a failure of medium severity or worse has been open for over 62 days
}

// HistorySummary is what the state directory tells about earlier scans, for the facts.
type HistorySummary struct {
	Runs            int
	MedianInterval  time.Duration
	Span            time.Duration // from the first kept run's start to this run's
	MedianTimeToFix time.Duration
	FixesMeasured   int
	Fixed, Open     int
	OldestOpen      time.Duration
	Source          string // the state directory, as evidence
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

// DeriveFacts computes the facts of a run; hist (nil without --state) adds the history facts.
func DeriveFacts(results []checks.Result, services []checks.Service, declared DeclaredServices, hist *HistorySummary) Facts {
	f := Facts{}
	f.history(hist)
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

const day = 24 * time.Hour

// minFrequencySpan is how long the kept runs must span before their intervals say how
// often the inspection is made: two runs by hand a minute apart are no daily schedule.
const minFrequencySpan = 2 * day

// history adds the facts of the state directory.
func (f Facts) history(h *HistorySummary) {
	if h == nil || h.Runs < 2 {
		return
	}
	ref := fmt.Sprintf("%s: %d runs, median interval %s", h.Source, h.Runs, h.MedianInterval.Round(time.Minute))
	f.add("history.runs", ref)
	switch iv := h.MedianInterval; {
	case h.Span < minFrequencySpan:
		f.add("history.span-short", fmt.Sprintf("%s: %d runs over %s, less than %s", h.Source, h.Runs, h.Span.Round(time.Minute), minFrequencySpan))
	case iv <= 84*time.Hour:
		f.add("history.frequency.daily", ref)
	case iv <= 10*day:
		f.add("history.frequency.weekly", ref)
	case iv <= 45*day:
		f.add("history.frequency.monthly", ref)
	default:
		f.add("history.frequency.rare", ref)
	}
	if h.Fixed > 0 {
		f.add("history.findings-fixed", fmt.Sprintf("%s: %d failures fixed, median time to fix %s", h.Source, h.Fixed, h.MedianTimeToFix.Round(time.Hour)))
	}
	if h.Fixed == 0 && h.Open == 0 {
		f.add("history.no-failures", ref)
	}
	long := h.OldestOpen > 62*day
	if long {
		f.add("history.unfixed-long", fmt.Sprintf("%s: a failure open for %s", h.Source, h.OldestOpen.Round(day)))
	}
	if h.FixesMeasured == 0 && !long {
		return
	}
	fixRef := fmt.Sprintf("%s: median time to fix %s over %d fixes", h.Source, h.MedianTimeToFix.Round(time.Hour), h.FixesMeasured)
	switch t := h.MedianTimeToFix; {
	case long || t > 62*day:
		f.add("history.fix.over-2m", fixRef)
	case t <= 2*day:
		f.add("history.fix.within-2d", fixRef)
	case t <= 7*day:
		f.add("history.fix.within-1w", fixRef)
	case t <= 14*day:
		f.add("history.fix.within-2w", fixRef)
	case t <= 31*day:
		f.add("history.fix.within-1m", fixRef)
	default:
		f.add("history.fix.within-2m", fixRef)
	}
}
