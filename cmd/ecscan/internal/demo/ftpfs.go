package demo

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// ftpFile is one entry of the FTP server's read-only tree.
type ftpFile struct {
	mode, owner, date string
	body              string // a file's content; "" for a directory
}

// ftpTree is the anonymous FTP area, by absolute path. The upload directory looks
// world-writable (drwxrwxrwx) in listings, as on servers where suppliers drop files; the
// server itself refuses every write.
var ftpTree = map[string]ftpFile{
	"/":         {mode: "drwxr-xr-x", owner: "0", date: "Mar 28 09:00"},
	"/pub":      {mode: "drwxr-xr-x", owner: "0", date: "Mar 28 09:00"},
	"/upload":   {mode: "drwxrwxrwx", owner: "ftp", date: "Apr 01 12:34"},
	"/incoming": {mode: "drwx-wx-wx", owner: "ftp", date: "Jan 15 08:10"},
	"/README.txt": {mode: "-rw-r--r--", owner: "0", date: "Mar 28 09:00",
		body: "Demo Shop FTP server.\r\nA practice site of ecscan demo: nothing here is real.\r\nPrice lists are in /pub; suppliers drop their files into /upload.\r\n"},
	"/pub/catalog-2025.csv": {mode: "-rw-r--r--", owner: "0", date: "Feb 14 16:05",
		body: "sku,name,price_jpy\r\nDS-001,デモ茶碗,2800\r\nDS-002,デモ湯呑み,1600\r\n"},
	"/pub/price-list.txt": {mode: "-rw-r--r--", owner: "0", date: "Feb 14 16:05",
		body: "Wholesale prices (practice data)\r\nDS-001 1900\r\nDS-002 1100\r\n"},
}

// ftpResolve turns a path argument into an absolute path of the tree, "" when the tree has
// no such entry.
func ftpResolve(cwd, arg string) string {
	p := path.Clean(path.Join(cwd, arg))
	if strings.HasPrefix(arg, "/") {
		p = path.Clean(arg)
	}
	if _, ok := ftpTree[p]; !ok {
		return ""
	}
	return p
}

func ftpIsDir(p string) bool { return p != "" && ftpTree[p].body == "" }

// ftpChildren returns the names in a directory, sorted.
func ftpChildren(dir string) []string {
	var out []string
	for p := range ftpTree {
		if p != "/" && path.Dir(p) == dir {
			out = append(out, path.Base(p))
		}
	}
	sort.Strings(out)
	return out
}

// ftpList is the LIST output (vsftpd's ls -l format) or, with names, the NLST output, of a
// directory or one file.
func ftpList(p string, names bool) string {
	entries := []string{p}
	if ftpIsDir(p) {
		entries = nil
		for _, n := range ftpChildren(p) {
			entries = append(entries, path.Join(p, n))
		}
	}
	var b strings.Builder
	for _, e := range entries {
		f := ftpTree[e]
		if names {
			b.WriteString(path.Base(e) + "\r\n")
			continue
		}
		size, links := len(f.body), 1
		if f.body == "" {
			size, links = 4096, 2
		}
		fmt.Fprintf(&b, "%s    %d %-8s %-8s %12d %s %s\r\n", f.mode, links, f.owner, f.owner, size, f.date, path.Base(e))
	}
	return b.String()
}

// ftpPathArg drops ls options ("-la") from a LIST or NLST argument.
func ftpPathArg(arg string) string {
	var keep []string
	for _, f := range strings.Fields(arg) {
		if !strings.HasPrefix(f, "-") {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, " ")
}
