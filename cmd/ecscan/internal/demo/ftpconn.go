package demo

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// dataTimeout bounds the wait for a passive data connection and its transfer.
const dataTimeout = 10 * time.Second

// ftpConn is one FTP control connection and its passive listener, if any.
type ftpConn struct {
	t    *textConn
	tr   *tracker
	addr netip.Addr // the server's address: passive ports open there, and nowhere else
	peer netip.Addr // the client's address: the only one a data connection may come from
	pasv net.Listener
}

// serveFTP runs one FTP session on c.
func serveFTP(c net.Conn, tr *tracker, addr netip.Addr) {
	f := &ftpConn{t: newTextConn(c), tr: tr, addr: addr, peer: addrOf(c.RemoteAddr())}
	defer f.closePassive()
	s := &ftpSession{client: f.peer.String()}
	if f.t.write(FTPBanner) != nil {
		return
	}
	for {
		line, err := f.t.readLine()
		if errors.Is(err, errLineTooLong) {
			_ = f.t.write("500 Input line too long.\r\n")
			return
		}
		if err != nil {
			return
		}
		if !f.do(s.handle(line)) {
			return
		}
	}
}

// do carries out one step; it reports false when the session is over.
func (f *ftpConn) do(st ftpStep) bool {
	switch st.act {
	case ftpPassive, ftpExtended:
		return f.t.write(f.passive(st.act == ftpExtended)) == nil
	case ftpSend:
		return f.send(st)
	}
	return f.t.write(st.reply) == nil && st.act != ftpQuit
}

// passive opens a new passive listener on the server's address (closing the previous one)
// and returns the 227 or 229 reply naming it.
func (f *ftpConn) passive(extended bool) string {
	f.closePassive()
	l, err := net.Listen("tcp", netip.AddrPortFrom(f.addr, 0).String())
	if err != nil {
		return "425 Failed to enter passive mode.\r\n"
	}
	if !f.tr.add(l) {
		l.Close()
		return "421 Service not available, closing control connection.\r\n"
	}
	f.pasv = l
	port := addrPortOf(l.Addr()).Port()
	if extended {
		return fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)\r\n", port)
	}
	a := f.addr.As4()
	return fmt.Sprintf("227 Entering Passive Mode (%d,%d,%d,%d,%d,%d).\r\n", a[0], a[1], a[2], a[3], port>>8, port&0xff)
}

func (f *ftpConn) closePassive() {
	if f.pasv != nil {
		f.tr.remove(f.pasv)
		f.pasv.Close()
		f.pasv = nil
	}
}

// send sends a step's payload over the next passive connection, between its 150 and its
// final reply.
func (f *ftpConn) send(st ftpStep) bool {
	if f.pasv == nil {
		return f.t.write("425 Use PORT or PASV first.\r\n") == nil
	}
	if f.t.write(st.reply) != nil {
		return false
	}
	dc, failure := f.accept()
	f.closePassive()
	if dc == nil {
		return f.t.write("425 "+failure+"\r\n") == nil
	}
	defer f.tr.remove(dc)
	defer dc.Close()
	_ = dc.SetWriteDeadline(time.Now().Add(dataTimeout))
	if _, err := dc.Write([]byte(st.payload)); err != nil {
		return f.t.write("426 Failure writing network stream.\r\n") == nil
	}
	dc.Close()
	return f.t.write(st.done) == nil
}

// accept waits for the client's data connection, or returns why there is none (the text
// of a 425 reply). One from another address than the control connection's is refused, as
// vsftpd does.
func (f *ftpConn) accept() (net.Conn, string) {
	const failed = "Failed to establish connection."
	tl, ok := f.pasv.(*net.TCPListener)
	if !ok {
		return nil, failed
	}
	_ = tl.SetDeadline(time.Now().Add(dataTimeout))
	dc, err := tl.Accept()
	if err != nil {
		return nil, failed
	}
	if addrOf(dc.RemoteAddr()) != f.peer {
		dc.Close()
		return nil, "Security: Bad IP connecting."
	}
	if !f.tr.add(dc) {
		dc.Close()
		return nil, failed
	}
	return dc, ""
}

// addrPortOf returns a TCP address as a netip.AddrPort (the zero value for others).
func addrPortOf(a net.Addr) netip.AddrPort {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.AddrPort()
	}
	return netip.AddrPort{}
}

func addrOf(a net.Addr) netip.Addr { return addrPortOf(a).Addr().Unmap() }
