package demo

import (
	"path"
	"strconv"
	"strings"
)

// FTPBanner is the FTP server's greeting, vsftpd's, naming its version.
const FTPBanner = "220 (vsFTPd 3.0.3)\r\n"

// ftpAct is what the connection must do after a reply: open a passive port, or send data
// over the passive connection.
type ftpAct int

const (
	ftpNone     ftpAct = iota
	ftpPassive         // open a passive listener, reply 227 with its address
	ftpExtended        // open a passive listener, reply 229 with its port
	ftpSend            // send the payload over the passive connection
	ftpQuit            // the session ends after the reply
)

// ftpStep is the outcome of one command: the reply (for ftpSend, the 150 preliminary
// reply, with done the final one) and what to do.
type ftpStep struct {
	reply   string
	act     ftpAct
	payload string
	done    string
}

// ftpSession is the state of one FTP dialogue: anonymous login allowed, everything
// read-only, no AUTH TLS, and PORT never honoured (the server never connects anywhere).
type ftpSession struct {
	client   string // the client's address, for STAT
	user     string
	loggedIn bool
	cwd      string
	binary   bool
}

func reply(s string) ftpStep { return ftpStep{reply: s + "\r\n"} }

// handle returns what to do about one command line.
func (s *ftpSession) handle(line string) ftpStep {
	v, arg := verb(line)
	switch v {
	case "USER":
		if s.loggedIn {
			return reply("530 Can't change to another user.")
		}
		s.user = arg
		return reply("331 Please specify the password.")
	case "PASS":
		return s.pass()
	case "QUIT":
		return ftpStep{reply: "221 Goodbye.\r\n", act: ftpQuit}
	case "FEAT":
		return ftpStep{reply: "211-Features:\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n"}
	case "SYST":
		return reply("215 UNIX Type: L8")
	case "NOOP":
		return reply("200 NOOP ok.")
	case "OPTS":
		if strings.EqualFold(arg, "UTF8 ON") {
			return reply("200 Always in UTF8 mode.")
		}
		return reply("501 Option not understood.")
	case "HELP":
		return ftpStep{reply: "214-The following commands are recognized.\r\n ABOR CDUP CWD EPSV FEAT HELP LIST MDTM MODE NLST NOOP OPTS PASS PASV PWD QUIT RETR SIZE STAT STRU SYST TYPE USER\r\n214 Help OK.\r\n"}
	case "AUTH", "PBSZ", "PROT":
		return reply("530 Please login with USER and PASS.")
	}
	if !s.loggedIn {
		return reply("530 Please login with USER and PASS.")
	}
	return s.loggedInCommand(v, arg)
}

func (s *ftpSession) pass() ftpStep {
	switch {
	case s.loggedIn:
		return reply("230 Already logged in.")
	case s.user == "":
		return reply("503 Login with USER first.")
	case strings.EqualFold(s.user, "anonymous") || strings.EqualFold(s.user, "ftp"):
		s.loggedIn, s.cwd = true, "/"
		return reply("230 Login successful.")
	}
	s.user = ""
	return reply("530 Login incorrect.")
}

func (s *ftpSession) loggedInCommand(v, arg string) ftpStep {
	switch v {
	case "PWD", "XPWD":
		return reply(`257 "` + s.cwd + `" is the current directory`)
	case "CWD", "XCWD":
		return s.cd(arg)
	case "CDUP", "XCUP":
		return s.cd("..")
	case "TYPE":
		return s.setType(arg)
	case "MODE", "STRU":
		return reply("200 Mode set to " + printable(arg, 8) + ".")
	case "PASV":
		return ftpStep{act: ftpPassive}
	case "EPSV":
		if strings.EqualFold(arg, "ALL") {
			return reply("200 EPSV ALL ok.")
		}
		return ftpStep{act: ftpExtended}
	case "PORT", "EPRT":
		return reply("500 Illegal PORT command.")
	case "LIST", "NLST":
		return s.list(arg, v == "NLST")
	case "RETR":
		return s.retr(arg)
	case "SIZE", "MDTM":
		p := ftpResolve(s.cwd, arg)
		if p == "" || ftpIsDir(p) {
			return reply("550 Could not get file size.")
		}
		if v == "MDTM" {
			return reply("213 20250401090000")
		}
		return reply("213 " + strconv.Itoa(len(ftpTree[p].body)))
	case "STAT":
		return s.stat()
	case "ABOR":
		return reply("225 No transfer to ABOR.")
	case "STOR", "STOU", "APPE", "DELE", "MKD", "XMKD", "RMD", "XRMD", "RNFR", "RNTO", "SITE", "ALLO":
		return reply("550 Permission denied.")
	}
	return reply("500 Unknown command.")
}

func (s *ftpSession) cd(arg string) ftpStep {
	p := ftpResolve(s.cwd, arg)
	if !ftpIsDir(p) {
		return reply("550 Failed to change directory.")
	}
	s.cwd = p
	return reply("250 Directory successfully changed.")
}

func (s *ftpSession) setType(arg string) ftpStep {
	switch strings.ToUpper(strings.Fields(arg + " x")[0]) {
	case "A":
		s.binary = false
		return reply("200 Switching to ASCII mode.")
	case "I", "L":
		s.binary = true
		return reply("200 Switching to Binary mode.")
	}
	return reply("500 Unrecognised TYPE command.")
}

func (s *ftpSession) list(arg string, names bool) ftpStep {
	p := ftpResolve(s.cwd, ftpPathArg(arg))
	if p == "" {
		return ftpStep{reply: "150 Here comes the directory listing.\r\n", act: ftpSend, done: "226 Transfer done (but failed to open directory).\r\n"}
	}
	return ftpStep{reply: "150 Here comes the directory listing.\r\n", act: ftpSend, payload: ftpList(p, names), done: "226 Directory send OK.\r\n"}
}

func (s *ftpSession) retr(arg string) ftpStep {
	p := ftpResolve(s.cwd, arg)
	if p == "" || ftpIsDir(p) {
		return reply("550 Failed to open file.")
	}
	body := ftpTree[p].body
	mode := "ASCII"
	if s.binary {
		mode = "BINARY"
	}
	return ftpStep{
		reply: "150 Opening " + mode + " mode data connection for " + path.Base(p) + " (" + strconv.Itoa(len(body)) + " bytes).\r\n",
		act:   ftpSend, payload: body, done: "226 Transfer complete.\r\n",
	}
}

func (s *ftpSession) stat() ftpStep {
	mode := "ASCII"
	if s.binary {
		mode = "BINARY"
	}
	return ftpStep{reply: "211-FTP server status:\r\n     Connected to " + s.client + "\r\n     Logged in as ftp\r\n     TYPE: " + mode +
		"\r\n     No session bandwidth limit\r\n     Session timeout in seconds is 300\r\n     Control connection is plain text\r\n" +
		"     Data connections will be plain text\r\n     At session startup, client count was 1\r\n     vsFTPd 3.0.3 - secure, fast, stable\r\n211 End of status\r\n"}
}
