package ports

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"regexp"
)

// The binary probes: fixed requests that a service answers in a recognisable way without
// any login. Each is the first message a real client would send.
var (
	// pgSSLRequest asks a PostgreSQL server whether it speaks TLS: it answers 'S' or 'N'.
	pgSSLRequest = []byte{0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f}
	// rdpConnReq is an X.224 Connection Request (TPKT) with an RDP negotiation request for
	// TLS and CredSSP; a server answers with a Connection Confirm (0xd0).
	rdpConnReq = []byte{
		0x03, 0x00, 0x00, 0x13, 0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00,
	}
	// mongoIsMaster is an OP_QUERY {isMaster: 1} on admin.$cmd, the handshake every MongoDB
	// version answers (OP_REPLY, or OP_MSG), with request ID mongoRequestID.
	mongoIsMaster = buildMongoIsMaster()
	// smbNegotiate is an SMB1 NEGOTIATE offering NT LM 0.12 and the SMB2 dialects; servers
	// answer with an SMB1 or SMB2 NEGOTIATE response.
	smbNegotiate = buildSMBNegotiate()
	// mssqlPrelogin is a TDS PRELOGIN message; SQL Server answers with its version.
	mssqlPrelogin = buildMSSQLPrelogin()
)

const (
	mongoRequestID = 0x65637363 // "ecsc"
	rpcXID         = 0x65637370 // "ecsp"
)

func buildMongoIsMaster() []byte {
	doc := []byte{19, 0, 0, 0, 0x10}
	doc = append(doc, "isMaster\x00"...)
	doc = append(doc, 1, 0, 0, 0, 0)
	body := binary.LittleEndian.AppendUint32(nil, 0) // flags
	body = append(body, "admin.$cmd\x00"...)
	body = binary.LittleEndian.AppendUint32(body, 0)          // numberToSkip
	body = binary.LittleEndian.AppendUint32(body, 0xffffffff) // numberToReturn: -1
	body = append(body, doc...)
	msg := binary.LittleEndian.AppendUint32(nil, uint32(16+len(body)))
	msg = binary.LittleEndian.AppendUint32(msg, mongoRequestID)
	msg = binary.LittleEndian.AppendUint32(msg, 0)    // responseTo
	msg = binary.LittleEndian.AppendUint32(msg, 2004) // OP_QUERY
	return append(msg, body...)
}

// isMongoReply recognises the reply to mongoIsMaster: an OP_REPLY (1) or OP_MSG (2013)
// answering our request ID.
func isMongoReply(b []byte) bool {
	if len(b) < 16 {
		return false
	}
	op := binary.LittleEndian.Uint32(b[12:])
	return binary.LittleEndian.Uint32(b[8:]) == mongoRequestID && (op == 1 || op == 2013)
}

func buildSMBNegotiate() []byte {
	hdr := []byte{0xff, 'S', 'M', 'B', 0x72, 0, 0, 0, 0, 0x18, 0x01, 0x48}
	hdr = append(hdr, make([]byte, 12)...)    // PID high, signature, reserved
	hdr = append(hdr, 0, 0, 0xff, 0xfe, 0, 0) // TID, PID, UID
	hdr = append(hdr, 0, 0)                   // MID
	var dialects []byte
	for _, d := range []string{"NT LM 0.12", "SMB 2.002", "SMB 2.???"} {
		dialects = append(append(append(dialects, 0x02), d...), 0)
	}
	msg := append(hdr, 0) // word count
	msg = binary.LittleEndian.AppendUint16(msg, uint16(len(dialects)))
	msg = append(msg, dialects...)
	return append([]byte{0, 0, byte(len(msg) >> 8), byte(len(msg))}, msg...)
}

// smbDialect recognises an SMB reply over NetBIOS session framing: "SMB1" or "SMB2".
func smbDialect(b []byte) string {
	if len(b) < 8 || b[0] != 0 {
		return ""
	}
	switch string(b[4:8]) {
	case "\xffSMB":
		return "SMB1"
	case "\xfeSMB":
		return "SMB2"
	}
	return ""
}

func buildMSSQLPrelogin() []byte {
	// Option tokens (type, offset, length), then their data: VERSION 6 bytes, ENCRYPTION 1
	// (0: encryption available but off), INSTOPT 1 (""), THREADID 4.
	opts := []byte{
		0x00, 0, 21, 0, 6,
		0x01, 0, 27, 0, 1,
		0x02, 0, 28, 0, 1,
		0x03, 0, 29, 0, 4,
		0xff,
		0, 0, 0, 0, 0, 0,
		0x00,
		0x00,
		0, 0, 0, 0,
	}
	hdr := []byte{0x12, 0x01, 0, byte(8 + len(opts)), 0, 0, 0, 0}
	return append(hdr, opts...)
}

// mssqlVersion reads the VERSION and ENCRYPTION options of a PRELOGIN response (a TDS
// packet of type 4). ok is false when b is not one.
func mssqlVersion(b []byte) (ver string, encryption byte, ok bool) {
	if len(b) < 8 || b[0] != 0x04 {
		return "", 0, false
	}
	payload := b[8:]
	encryption = 0xff
	for i := 0; i+5 <= len(payload) && payload[i] != 0xff; i += 5 {
		off := int(binary.BigEndian.Uint16(payload[i+1:]))
		n := int(binary.BigEndian.Uint16(payload[i+3:]))
		if off+n > len(payload) {
			return "", 0, false
		}
		switch v := payload[off : off+n]; {
		case payload[i] == 0x00 && n >= 4:
			ver = fmt.Sprintf("%d.%d.%d", v[0], v[1], binary.BigEndian.Uint16(v[2:]))
		case payload[i] == 0x01 && n >= 1:
			encryption = v[0]
		}
	}
	return ver, encryption, true
}

// rpcNullCall is an ONC RPC NULL procedure call over TCP (record marking) to program prog,
// version vers: rpcbind and NFS answer it without credentials.
func rpcNullCall(prog, vers uint32) []byte {
	b := binary.BigEndian.AppendUint32(nil, 0x80000000|40)
	for _, v := range []uint32{rpcXID, 0, 2, prog, vers, 0, 0, 0, 0, 0} {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

// isRPCReply recognises the reply to rpcNullCall: our XID, message type REPLY.
func isRPCReply(b []byte) bool {
	return len(b) >= 12 && binary.BigEndian.Uint32(b[4:]) == rpcXID && binary.BigEndian.Uint32(b[8:]) == 1
}

// isRDPConfirm recognises an X.224 Connection Confirm in a TPKT.
func isRDPConfirm(b []byte) bool {
	return len(b) >= 7 && b[0] == 3 && b[1] == 0 && b[5]&0xf0 == 0xd0
}

// mysqlPacketLen returns the length of the MySQL packet b begins with, header included,
// when b looks like a server's first packet: sequence 0, then a handshake (protocol 10) or
// an error (0xff).
func mysqlPacketLen(b []byte) (int, bool) {
	if len(b) < 5 || b[3] != 0 || (b[4] != 10 && b[4] != 0xff) {
		return 0, false
	}
	n := int(b[0]) | int(b[1])<<8 | int(b[2])<<16
	if n < 2 || n > 4096 {
		return 0, false
	}
	return n + 4, true
}

// MySQLGreeting is what the first packet of a MySQL or MariaDB server says.
type MySQLGreeting struct {
	Version string // the server version string, e.g. "5.5.5-10.11.6-MariaDB-0+deb12u1"
	SSL     bool   // CLIENT_SSL among the capabilities
	Error   string // the message of an error packet ("Host '…' is not allowed to connect")
}

// parseMySQLGreeting reads a handshake (protocol 10) or error packet.
func parseMySQLGreeting(b []byte) (MySQLGreeting, bool) {
	n, ok := mysqlPacketLen(b)
	if !ok || len(b) < n {
		return MySQLGreeting{}, false
	}
	p := b[4:n]
	if p[0] == 0xff {
		if len(p) < 3 {
			return MySQLGreeting{}, false
		}
		msg := p[3:]
		if len(msg) > 0 && msg[0] == '#' && len(msg) >= 6 {
			msg = msg[6:] // "#HY000" SQL state
		}
		return MySQLGreeting{Error: string(msg)}, true
	}
	end := bytes.IndexByte(p[1:], 0)
	if end < 1 || !isText(p[1:1+end]) {
		return MySQLGreeting{}, false
	}
	g := MySQLGreeting{Version: string(p[1 : 1+end])}
	// after the version: thread id (4), auth data (8), filler (1), capability flags (2)
	if rest := p[1+end+1:]; len(rest) >= 15 {
		g.SSL = binary.LittleEndian.Uint16(rest[13:])&0x0800 != 0
	}
	return g, true
}

var (
	mariaDBRe = regexp.MustCompile(`^(?:5\.5\.5-)?` + version + `-MariaDB`)
	mysqlRe   = regexp.MustCompile(`^(\d+\.\d+\.\d+)`)
)

// mysqlProduct tells MariaDB from MySQL by the version string.
func mysqlProduct(v string) (product, ver string) {
	if m := mariaDBRe.FindStringSubmatch(v); m != nil {
		return "MariaDB", m[1]
	}
	if m := mysqlRe.FindStringSubmatch(v); m != nil {
		return "MySQL", m[1]
	}
	return "MySQL", ""
}
