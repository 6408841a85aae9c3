package ports

import (
	"net/netip"

	"ecscan/checks"
)

// Observation is what the ports check saw of one target address: the outcome of the connect
// scan and, for every open port, what speaks there. It is the Result's Data.
type Observation struct {
	Host      string     `json:"host"`
	Addr      netip.Addr `json:"addr"`
	Requested int        `json:"requested"` // ports to scan
	// PortSpec lists the ports to scan in ParsePorts form.
	PortSpec string `json:"port_spec"`
	Open     int    `json:"open"`
	Closed   int    `json:"closed"`   // refused
	Filtered int    `json:"filtered"` // timed out after the retries, or unreachable
	// Unreachable counts the filtered ports that answered "host/network unreachable".
	Unreachable int `json:"unreachable,omitempty"`
	// FilteredPorts lists the filtered ports in ParsePorts form ("1-1024,3306").
	FilteredPorts string `json:"filtered_ports,omitempty"`
	// Errors counts ports given up on after the machine ran out of sockets or ephemeral
	// ports for too long; they are neither open, closed nor filtered.
	Errors int `json:"errors,omitempty"`
	// Unscanned counts ports not tried because the scan was interrupted.
	Unscanned   int  `json:"unscanned,omitempty"`
	Interrupted bool `json:"interrupted,omitempty"`
	// Ports are the open ports, ascending.
	Ports []PortObservation `json:"ports,omitempty"`
}

// PortObservation is one open port and what its identification found.
type PortObservation struct {
	Port    int            `json:"port"`
	Service checks.Service `json:"service"`
	// Status is how the identification ended: ok when a protocol was recognised, otherwise
	// the status of the last probe (timeout for a silent server).
	Status checks.Status `json:"status"`
	Error  string        `json:"error,omitempty"`
	// Probes are the probes sent, in order ("banner", "tls", "http", "pgssl", …).
	Probes []string  `json:"probes,omitempty"`
	HTTP   *HTTPInfo `json:"http,omitempty"`
	SSH    *SSHInfo  `json:"ssh,omitempty"`
	// Capabilities are the extensions the server listed (EHLO, CAPA, CAPABILITY, FEAT).
	Capabilities []string `json:"capabilities,omitempty"`
	// Transcript is the identification dialogue, bounded; it goes to the evidence.
	Transcript []Line `json:"-"`
	// greeted: the banner probe read something the server sent unasked.
	greeted bool
}

// HTTPInfo is what the HTTP probe read from the response head.
type HTTPInfo struct {
	Status    string `json:"status"` // the status line
	Server    string `json:"server,omitempty"`
	PoweredBy string `json:"powered_by,omitempty"`
}

// SSHInfo is what the SSH probes learned.
type SSHInfo struct {
	KexInit   *KexInit      `json:"kexinit,omitempty"`
	KexStatus checks.Status `json:"kex_status,omitempty"`
	KexError  string        `json:"kex_error,omitempty"`
	Auth      *SSHAuth      `json:"auth,omitempty"`
}

// Line is one step of a dialogue (checks.Line).
type Line = checks.Line
