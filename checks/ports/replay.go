package ports

import (
	"bytes"
	"errors"
	"net"
)

// replayConn lets x/crypto/ssh take over an SSH connection on which the KEXINIT probe has
// already exchanged identification strings and read the server's KEXINIT: its reads give
// first what the server sent so far (replay), then the connection's; its first write, the
// client's identification string, is not sent again when it is the one already sent
// (sent). The key exchange then goes on as on a fresh connection: the server has received
// nothing but our identification string, and the client reads the server's from the
// replay.
type replayConn struct {
	net.Conn
	replay []byte // what the server sent, still to be read
	sent   []byte // the identification string already sent, nil once the first write came
}

// errReplayVersion: the client's first write was not the identification string already
// sent, so the connection cannot be taken over.
var errReplayVersion = errors.New("ssh: the client's identification string differs from the one sent")

// Read returns the replayed bytes first, then reads the connection.
func (c *replayConn) Read(b []byte) (int, error) {
	if len(c.replay) > 0 {
		n := copy(b, c.replay)
		c.replay = c.replay[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// Write drops the identification string already sent (the first write), and writes the
// rest.
func (c *replayConn) Write(b []byte) (int, error) {
	if c.sent == nil {
		return c.Conn.Write(b)
	}
	sent := c.sent
	c.sent = nil
	if !bytes.HasPrefix(b, sent) {
		return 0, errReplayVersion
	}
	if rest := b[len(sent):]; len(rest) > 0 {
		n, err := c.Conn.Write(rest)
		return len(sent) + n, err
	}
	return len(b), nil
}
