package ftp

import (
	"strconv"
	"strings"
)

// Entry is one line of a directory listing, as judged for writability.
type Entry struct {
	Raw  string `json:"raw"`
	Name string `json:"name,omitempty"`
	Dir  bool   `json:"dir,omitempty"`
	// Writable says the entry looks writable by the anonymous user, and Why says how it
	// was told: "others can write (drwxrwxrwx)", "owned by ftp with owner write",
	// "MLSD perm=cmp", "unix.mode=0777".
	Writable bool   `json:"writable,omitempty"`
	Why      string `json:"why,omitempty"`
}

// anonOwners are the accounts anonymous FTP runs as on common servers (vsftpd's ftp_username,
// ProFTPD's <Anonymous> User): a directory they own with owner write is writable to
// anonymous users when the server allows uploads.
var anonOwners = []string{"ftp", "anonymous"}

// parseEntry reads one line of a LIST (Unix "ls -l" format) or MLSD reply. Lines it does
// not understand (DOS listings, "total 12") are kept, not judged.
func parseEntry(line string, mlsd bool) Entry {
	e := Entry{Raw: line}
	if mlsd {
		return parseMLSD(e)
	}
	f := strings.Fields(line)
	if len(f) < 3 || !unixMode(f[0]) {
		return e
	}
	mode := f[0]
	e.Dir = mode[0] == 'd'
	if len(f) >= 9 {
		e.Name = strings.Join(f[8:], " ")
		if mode[0] == 'l' {
			e.Name, _, _ = strings.Cut(e.Name, " -> ")
		}
	}
	switch {
	case mode[0] == 'l':
		// a symbolic link shows lrwxrwxrwx whatever its target allows
	case mode[8] == 'w':
		e.Writable, e.Why = true, "others can write ("+mode[:10]+")"
	case len(f) >= 4 && mode[2] == 'w' && isAnonOwner(f[2]):
		e.Writable, e.Why = true, "owned by "+f[2]+" with owner write ("+mode[:10]+")"
	}
	return e
}

// unixMode reports whether s begins with an ls -l mode: a type and nine permission letters.
func unixMode(s string) bool {
	if len(s) < 10 || !strings.ContainsRune("-dlbcps", rune(s[0])) {
		return false
	}
	for i, c := range s[1:10] {
		if !strings.ContainsRune("-rwxsStTl", c) || (i%3 != 2 && strings.ContainsRune("sStT", c)) {
			return false
		}
	}
	return true
}

func isAnonOwner(s string) bool {
	for _, o := range anonOwners {
		if strings.EqualFold(s, o) {
			return true
		}
	}
	return false
}

// parseMLSD reads "fact=value;fact=value; name" (RFC 3659 7). The perm fact is the
// server's own statement of what this user may do: on a directory c (create files), m
// (make directories), p (purge); on a file w (write), a (append).
func parseMLSD(e Entry) Entry {
	facts, name, ok := strings.Cut(e.Raw, " ")
	if !ok || !strings.Contains(facts, "=") {
		return e
	}
	e.Name = name
	fs := map[string]string{}
	for f := range strings.SplitSeq(facts, ";") {
		if k, v, ok := strings.Cut(f, "="); ok {
			fs[strings.ToLower(k)] = v
		}
	}
	typ := strings.ToLower(fs["type"])
	switch typ {
	case "pdir":
		return e // the parent directory: not judged here
	case "cdir":
		e.Name = "." // the directory listed
	}
	e.Dir = typ == "dir" || typ == "cdir"
	perm := strings.ToLower(fs["perm"])
	writes := "wa"
	if e.Dir {
		writes = "cmp"
	}
	if strings.ContainsAny(perm, writes) {
		e.Writable, e.Why = true, "MLSD perm="+fs["perm"]
	} else if m, err := strconv.ParseUint(fs["unix.mode"], 8, 32); err == nil && m&0o002 != 0 {
		e.Writable, e.Why = true, "unix.mode="+fs["unix.mode"]
	}
	return e
}
