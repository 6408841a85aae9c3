package web

import (
	"bufio"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"strings"

	"ecscan/checks"
)

// finishObservation prepares an observation for evaluation: the template results in a
// stable order, the requests of each template that did not match (for the evidence of a
// pass), and the matches that look like the site's soft-404 page marked as suppressed.
func finishObservation(o *Observation, specs []templateSpec) {
	byID := map[string]templateSpec{}
	for _, s := range specs {
		byID[s.ID] = s
	}
	sort.SliceStable(o.Templates, func(i, j int) bool {
		a, b := o.Templates[i], o.Templates[j]
		if a.Template != b.Template {
			return a.Template < b.Template
		}
		if a.Matched != b.Matched {
			return a.Matched
		}
		if a.URL != b.URL {
			return a.URL < b.URL
		}
		return a.Matcher < b.Matcher
	})
	for _, r := range o.Templates {
		if !r.Matched {
			r.Probed = byID[r.Template].Probes
			continue
		}
		if r.Kind == "method" {
			continue // the answer to a method, not a path: the baseline says nothing about it
		}
		if why := softMatch(r, o.Baseline); why != "" {
			r.Suppressed = why
		}
	}
}

// softMatch says why a match is not to be believed: a "reachable" match (a status code
// without characteristic content) where the baseline got the same status for a random path
// in the same place, or any match whose body is the baseline's.
func softMatch(r *TemplateResult, baseline []*Exchange) string {
	status := responseStatus(r.Response)
	body := responseBody(r.Response)
	path := pathOf(r.URL)
	for _, b := range baseline {
		if !b.OK() {
			continue
		}
		bpath := pathOf(b.URL)
		sameDir := strings.HasPrefix(path, "/cgi-bin/") == strings.HasPrefix(bpath, "/cgi-bin/")
		if (r.Kind == "reachable" || r.Matcher == "reachable") && sameDir && b.Status == status {
			return fmt.Sprintf("a random path (%s) got the same status %d", bpath, status)
		}
		if b.Status == status && sameBody(body, path, b.Body, bpath) {
			return fmt.Sprintf("the body is the one a random path (%s) got", bpath)
		}
	}
	return ""
}

// sameBody says whether two bodies are the same page: their first 2 KB are equal once the
// path each was requested at is removed (soft-404 pages often repeat it).
func sameBody(a, pathA, b, pathB string) bool {
	const n = 2048
	strip := func(s, p string) string {
		s = s[:min(len(s), 4*n)]
		if p != "" && p != "/" {
			s = strings.ReplaceAll(s, p, "")
		}
		return s[:min(len(s), n)]
	}
	a, b = strip(a, pathA), strip(b, pathB)
	return a != "" && a == b
}

// observationStatus is the Result's status: the home page's failure, or the engine's.
func observationStatus(o *Observation) (checks.Status, string) {
	if len(o.Home) > 0 && o.Home[0].Error != "" {
		return o.Home[0].Class, fmt.Sprintf("web: %s: %s", o.URL, o.Home[0].Error)
	}
	if o.EngineError != "" {
		return checks.StatusError, o.EngineError
	}
	return checks.StatusOK, ""
}

// systemResolver returns the first nameserver of a resolv.conf(5) file as "ip:53".
func systemResolver(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "nameserver" {
			if a, err := netip.ParseAddr(fields[1]); err == nil {
				return net.JoinHostPort(a.WithZone("").String(), "53"), nil
			}
		}
	}
	return "", fmt.Errorf("%s: no nameserver", path)
}
