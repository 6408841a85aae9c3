package ports

import "ecscan/checks"

// category is the kind of exposure an open port is, for the findings.
type category int

const (
	catNone          category = iota
	catTelnet                 // ports.cleartext-admin, high
	catFTP                    // ports.cleartext-admin, medium
	catDatabase               // ports.database
	catCache                  // ports.cache
	catSearch                 // ports.search
	catFileSharing            // ports.file-sharing
	catRemoteDesktop          // ports.remote-desktop
	catAdminConsole           // ports.admin-console
	catSSH                    // ports.remote-admin
)

// Protocols by category, as identified.
var protoCategory = map[string]category{
	"telnet": catTelnet, "ftp": catFTP, "ssh": catSSH,
	"mysql": catDatabase, "postgresql": catDatabase, "mssql": catDatabase,
	"oracle": catDatabase, "mongodb": catDatabase,
	"redis": catCache, "memcached": catCache,
	"smb": catFileSharing, "nfs": catFileSharing, "rpcbind": catFileSharing,
	"rdp": catRemoteDesktop, "vnc": catRemoteDesktop,
}

// Products served over HTTP, by category.
var productCategory = map[string]category{
	"Elasticsearch": catSearch, "OpenSearch": catSearch, "Kibana": catSearch,
	"CouchDB": catDatabase,
	"Docker":  catAdminConsole, "Jenkins": catAdminConsole, "RabbitMQ": catAdminConsole,
	"Webmin": catAdminConsole, "Oracle WebLogic": catAdminConsole,
}

// adminPorts are development and administration servers' usual ports: app servers left
// in development mode (3000 Node/Grafana, 5000 Flask, 8000/8008/8080/8081/8088/8888/9000/
// 9090), Webmin 10000, cPanel/WHM 2082/2083/2086/2087, Docker API 2375/2376, GlassFish
// 4848, WinRM 5985/5986, Kubernetes API 6443, WebLogic 7001/7002, ActiveMQ 8161, Plesk
// 8880, Portainer 9443, WildFly 9990, RabbitMQ management 15672, Jenkins 50000.
var adminPorts = portSet(one(2082, 2083, 2086, 2087, 2375, 2376, 3000, 4848, 5000, 5985, 5986,
	6443, 7001, 7002, 8000, 8008, 8080, 8081, 8088, 8161, 8880, 8888, 9000, 9090, 9443, 9990,
	10000, 15672, 50000)...)

// Ports by category, for services nothing identified.
var portCategory = map[int]category{
	23: catTelnet, 21: catFTP, 22: catSSH, 2222: catSSH,
	3306: catDatabase, 5432: catDatabase, 1433: catDatabase, 1521: catDatabase,
	27017: catDatabase, 27018: catDatabase, 27019: catDatabase, 5984: catDatabase,
	6379: catCache, 11211: catCache,
	9200: catSearch, 9300: catSearch, 5601: catSearch,
	139: catFileSharing, 445: catFileSharing, 2049: catFileSharing, 111: catFileSharing,
	3389: catRemoteDesktop,
}

// categorize classifies a service by its identified protocol first, then (for HTTP) by
// the product it names and its port, and by the port number only when nothing was
// identified: a database on another port is still a database, and a web server on 3306 is
// not one.
func categorize(s checks.Service) category {
	if c, ok := protoCategory[s.Protocol]; ok {
		if c == catFTP && s.TLS {
			return catNone // implicit FTPS: not cleartext
		}
		return c
	}
	switch s.Protocol {
	case "http":
		if c, ok := productCategory[s.Product]; ok {
			return c
		}
		if c := portCategory[s.Port]; c == catSearch || c == catDatabase && s.Port == 5984 {
			return c
		}
		if adminPorts[s.Port] {
			return catAdminConsole
		}
		return catNone
	case "unknown", "":
		if c, ok := portCategory[s.Port]; ok {
			return c
		}
		if s.Port >= 5900 && s.Port <= 5909 {
			return catRemoteDesktop
		}
		if adminPorts[s.Port] {
			return catAdminConsole
		}
	}
	return catNone
}
