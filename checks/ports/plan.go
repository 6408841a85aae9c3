package ports

// probeID names one identification probe.
type probeID uint8

// The probes, in the order of their names below.
const (
	probeBanner    probeID = iota // wait for the server to speak first
	probeTLS                      // TLS ClientHello, then the protocol inside
	probeHTTP                     // GET /
	probePG                       // PostgreSQL SSLRequest
	probeRedis                    // PING
	probeMemcached                // version
	probeMongo                    // OP_QUERY isMaster
	probeRDP                      // X.224 Connection Request
	probeSMB                      // SMB NEGOTIATE
	probeMSSQL                    // TDS PRELOGIN
	probeRPC                      // ONC RPC NULL call
	probeDNS                      // DNS query over TCP: version.bind TXT CH
)

var probeNames = [...]string{"banner", "tls", "http", "pgssl", "redis", "memcached", "mongodb", "rdp", "smb", "mssql", "rpc", "dns"}

func (p probeID) String() string { return probeNames[p] }

func portSet(ranges ...[2]int) map[int]bool {
	m := map[int]bool{}
	for _, r := range ranges {
		for p := r[0]; p <= r[1]; p++ {
			m[p] = true
		}
	}
	return m
}

func one(ps ...int) [][2]int {
	out := make([][2]int, len(ps))
	for i, p := range ps {
		out[i] = [2]int{p, p}
	}
	return out
}

// Port hints, as nmap's service probes use them: where a server usually speaks first,
// where TLS starts at once, where HTTP is likely, and where one binary probe fits.
var (
	greetPorts = portSet(append(one(21, 22, 23, 24, 25, 106, 110, 143, 587, 2222, 2525, 3306), [2]int{5900, 5909})...)
	tlsPorts   = portSet(one(443, 465, 563, 636, 990, 992, 993, 994, 995, 2083, 2087, 2376, 3269,
		4443, 5986, 6443, 7002, 8443, 9443, 10000)...)
	// tlsGreetPorts are the TLS ports whose protocol inside speaks first (smtps, imaps, …).
	tlsGreetPorts = portSet(one(465, 563, 990, 992, 993, 994, 995)...)
	httpPorts     = portSet(one(80, 81, 591, 2082, 2086, 2375, 3000, 4848, 5000, 5601, 5984, 5985,
		7001, 8000, 8008, 8080, 8081, 8088, 8161, 8880, 8888, 9000, 9090, 9200, 9990, 15672, 50000)...)
	binaryPorts = map[int]probeID{
		5432: probePG, 6379: probeRedis, 11211: probeMemcached,
		27017: probeMongo, 27018: probeMongo, 27019: probeMongo,
		3389: probeRDP, 139: probeSMB, 445: probeSMB, 1433: probeMSSQL,
		111: probeRPC, 2049: probeRPC, 53: probeDNS,
	}
)

// fallback is what every port gets after its hinted probe: a greeting, HTTP (which most
// client-first services answer, even with an error), TLS, PostgreSQL (which answers
// nothing else).
var fallback = []probeID{probeBanner, probeHTTP, probeTLS, probePG}

// planFor returns the probes for a port: the hinted one first, then the fallback.
func planFor(port int) []probeID {
	var plan []probeID
	switch {
	case greetPorts[port]:
		plan = append(plan, probeBanner)
	case tlsPorts[port]:
		plan = append(plan, probeTLS)
	case httpPorts[port]:
		plan = append(plan, probeHTTP)
	}
	if p, ok := binaryPorts[port]; ok {
		plan = append(plan, p)
	}
	for _, p := range fallback {
		if !contains(plan, p) {
			plan = append(plan, p)
		}
	}
	return plan
}

func contains(plan []probeID, p probeID) bool {
	for _, q := range plan {
		if q == p {
			return true
		}
	}
	return false
}
