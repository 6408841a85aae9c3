//go:build linux

package ports

import (
	"context"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"
)

// rawConnectSupported: connectTCP makes its own sockets on Linux.
const rawConnectSupported = true

// testHookWaitConnect, when set (tests), runs when a connection has no answer yet and
// rawConnect starts waiting for it.
var testHookWaitConnect func()

// rawConnect connects a non-blocking TCP socket to a:port from src (when valid), what
// net.Dialer does with fewer system calls: socket, [bind], connect; when connect says "in
// progress", the socket's error and peer tell whether the kernel already has the answer
// (it does on loopback, where the SYN-ACK or RST is handled within connect), and only
// otherwise the runtime poller waits for it, until timeout or ctx ends. A connected socket
// becomes a *net.TCPConn (net.FileConn: TCP_NODELAY and keep-alive as a dialed one).
func rawConnect(ctx context.Context, src, a netip.Addr, port uint16, timeout time.Duration) (net.Conn, error) {
	var deadline time.Time // none when timeout is not positive, as with net.Dialer
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	family, sa := sockaddr(a, port)
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, syscall.IPPROTO_TCP)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	if src.IsValid() {
		_, lsa := sockaddr(src, 0)
		if err := syscall.Bind(fd, lsa); err != nil {
			syscall.Close(fd)
			return nil, os.NewSyscallError("bind", err)
		}
	}
	switch err := syscall.Connect(fd, sa); err {
	case nil, syscall.EISCONN:
		return fileConn(fd)
	case syscall.EINPROGRESS, syscall.EALREADY, syscall.EINTR:
	default:
		syscall.Close(fd)
		return nil, os.NewSyscallError("connect", err)
	}
	done, err := connectResult(fd)
	switch {
	case err != nil:
		syscall.Close(fd)
		return nil, err
	case done:
		return fileConn(fd)
	}
	return waitConnect(ctx, fd, deadline)
}

// sockaddr returns the socket family and address of a:port.
func sockaddr(a netip.Addr, port uint16) (int, syscall.Sockaddr) {
	if a.Is4() {
		return syscall.AF_INET, &syscall.SockaddrInet4{Port: int(port), Addr: a.As4()}
	}
	return syscall.AF_INET6, &syscall.SockaddrInet6{Port: int(port), Addr: a.As16()}
}

// connectResult reads how a non-blocking connect stands: done with a nil error when the
// socket is connected, done with the connect error (refused, unreachable, …), or not done.
func connectResult(fd int) (done bool, err error) {
	nerr, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_ERROR)
	if err != nil {
		return true, os.NewSyscallError("getsockopt", err)
	}
	switch e := syscall.Errno(nerr); e {
	case syscall.EINPROGRESS, syscall.EALREADY, syscall.EINTR:
		return false, nil
	case syscall.EISCONN:
		return true, nil
	case 0:
		// No error yet: connected when the socket has a peer (not in SYN_SENT).
		_, err := syscall.Getpeername(fd)
		return err == nil, nil
	default:
		return true, os.NewSyscallError("connect", e)
	}
}

// waitConnect waits with the runtime poller for a connect in progress on fd (which it
// takes over) to be answered, until deadline (the zero time: none) or ctx ends.
func waitConnect(ctx context.Context, fd int, deadline time.Time) (net.Conn, error) {
	f := os.NewFile(uintptr(fd), "")
	defer f.Close()
	if err := f.SetWriteDeadline(deadline); err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { f.SetWriteDeadline(time.Unix(1, 0)) })
	defer stop()
	if h := testHookWaitConnect; h != nil {
		h()
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var cerr error
	werr := rc.Write(func(fd uintptr) bool {
		var done bool
		done, cerr = connectResult(int(fd))
		return done
	})
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case werr != nil:
		return nil, werr // os.ErrDeadlineExceeded: the connect timed out
	case cerr != nil:
		return nil, cerr
	}
	return net.FileConn(f)
}

// fileConn turns a connected socket into a net.Conn. fd is closed either way (the
// net.Conn holds a duplicate; a failed duplicate, EMFILE, is an error like a failed
// socket, waited out by the scan).
func fileConn(fd int) (net.Conn, error) {
	f := os.NewFile(uintptr(fd), "")
	defer f.Close()
	return net.FileConn(f)
}
