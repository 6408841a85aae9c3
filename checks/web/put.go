package web

import (
	"context"
	"net/http"
	"sort"
	"strings"
)

// putDirs are the directories the intrusive write test tries besides the root and the
// directories where PROPFIND answered 207.
var putDirs = []string{"/uploads/", "/upload/", "/webdav/", "/dav/", "/files/"}

// maxPutDirs bounds the directories tried per target.
const maxPutDirs = 8

// putTest is the intrusive write test of one target (only with Intrusive): in each
// directory, PUT a small text file with a random name and a random marker, GET it back, and
// if the PUT was accepted, DELETE it and GET it again to check it is gone. A file the DELETE
// did not remove is reported (PutTest.Left) so that the operator can remove it.
func (f *fetcher) putTest(ctx context.Context, t target, o *Observation, random func() string) {
	for _, dir := range putCandidates(o) {
		if ctx.Err() != nil {
			return
		}
		name := "ecscan-" + random() + ".txt"
		pt := &PutTest{Dir: dir, URL: t.URL() + dir + name, Marker: "ecscan-write-test-" + random()}
		o.Put = append(o.Put, pt)
		body := []byte(pt.Marker + "\n")
		hdr := http.Header{"Content-Type": {"text/plain"}}
		put := f.Do(ctx, "PUT", pt.URL, hdr, body)
		pt.Exchanges = append(pt.Exchanges, put)
		if !put.OK() || put.Status < 200 || put.Status > 299 {
			continue
		}
		get := f.Do(ctx, "GET", pt.URL, nil, nil)
		pt.Exchanges = append(pt.Exchanges, get)
		pt.Stored = get.Status == 200 && strings.Contains(get.Body, pt.Marker)
		// The PUT was accepted: remove the file whether or not the GET found it.
		del := f.Do(context.WithoutCancel(ctx), "DELETE", pt.URL, nil, nil)
		pt.Exchanges = append(pt.Exchanges, del)
		again := f.Do(context.WithoutCancel(ctx), "GET", pt.URL, nil, nil)
		pt.Exchanges = append(pt.Exchanges, again)
		gone := again.Status == 404 || again.Status == 410
		pt.Deleted = del.Status >= 200 && del.Status <= 299 && gone
		pt.Left = pt.Stored && !gone
	}
}

// putCandidates are the directories to try: the root, the directories where PROPFIND
// answered 207, and putDirs, at most maxPutDirs.
func putCandidates(o *Observation) []string {
	dirs := []string{"/"}
	seen := map[string]bool{"/": true}
	var dav []string
	for _, r := range o.Templates {
		if r.Finding == "web.webdav" && r.Matched && r.Suppressed == "" {
			dav = append(dav, dirOf(pathOf(r.URL)))
		}
	}
	sort.Strings(dav)
	for _, d := range append(dav, putDirs...) {
		if !seen[d] && len(dirs) < maxPutDirs {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// dirOf returns the directory of a path: "/a/b" → "/a/", "/a/" → "/a/".
func dirOf(p string) string {
	p, _, _ = strings.Cut(p, "?")
	if strings.HasSuffix(p, "/") {
		return p
	}
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return "/"
	}
	return p[:i+1]
}
