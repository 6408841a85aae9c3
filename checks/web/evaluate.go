package web

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"ecscan/checks"
)

// Evaluate turns an observation into findings (see the package doc for the rules). It is
// pure: the same observation gives the same findings.
func Evaluate(o *Observation, now time.Time) []checks.Finding {
	_ = now // the rules do not depend on time
	var out []checks.Finding
	out = append(out, templateFindings(o)...)
	out = append(out, putFindings(o)...)
	out = append(out, siteFindings(o)...)
	for i := range out {
		f := &out[i]
		f.Check, f.Host, f.Addr, f.Port = "web", o.Host, o.Addr.String(), o.Port
		if f.Outcome != checks.Fail {
			f.Severity = checks.SevInfo
		}
	}
	return out
}

// templateFindings gives, for each finding ID the templates feed: a failure per path where
// a template matched (and the match is not the soft-404 page), else a pass when at least
// one of its templates ran to the end without an error and nothing matched. A finding ID
// whose templates all failed to run gets no finding: it was not tested.
func templateFindings(o *Observation) []checks.Finding {
	groups := map[string][]int{}
	var ids []string
	for i, r := range o.Templates {
		if r.Finding == "" {
			continue
		}
		if _, ok := groups[r.Finding]; !ok {
			ids = append(ids, r.Finding)
		}
		groups[r.Finding] = append(groups[r.Finding], i)
	}
	sort.Strings(ids)
	var out []checks.Finding
	for _, id := range ids {
		if id == "web.methods-claimed" {
			out = append(out, claimedFindings(o, groups[id])...)
			continue
		}
		out = append(out, groupFindings(o, id, groups[id])...)
	}
	return out
}

func groupFindings(o *Observation, id string, idx []int) []checks.Finding {
	type hit struct {
		sev      checks.Severity
		evidence []string
		matchers []string
	}
	hits := map[string]*hit{}
	var subjects, clean []string
	for _, i := range idx {
		r := o.Templates[i]
		switch {
		case r.Matched && r.Suppressed == "":
			subj := pathOf(r.URL)
			h := hits[subj]
			if h == nil {
				h = &hit{}
				hits[subj] = h
				subjects = append(subjects, subj)
			}
			if sev, err := checks.ParseSeverity(r.Severity); err == nil && sev > h.sev {
				h.sev = sev
			}
			h.evidence = appendNew(h.evidence, evTemplate(i))
			h.matchers = appendNew(h.matchers, r.Template+"/"+r.Matcher)
		case r.Error == "":
			clean = append(clean, evTemplate(i))
		}
	}
	txt := findingTexts[id]
	if len(subjects) > 0 {
		sort.Strings(subjects)
		var out []checks.Finding
		for _, s := range subjects {
			h := hits[s]
			out = append(out, checks.Finding{
				ID: id, Subject: s, Outcome: checks.Fail, Severity: max(h.sev, checks.SevLow),
				Title:    checks.T(txt.failJA+": "+s, txt.failEN+": "+s),
				Detail:   checks.T(txt.whyJA+"（テンプレート "+strings.Join(h.matchers, ", ")+"）", txt.whyEN+" (template "+strings.Join(h.matchers, ", ")+")."),
				Evidence: h.evidence,
			})
		}
		return out
	}
	if len(clean) == 0 {
		return nil
	}
	return []checks.Finding{{
		ID: id, Outcome: checks.Pass, Title: checks.T(txt.passJA, txt.passEN),
		Detail: checks.T(
			fmt.Sprintf("%d件のテンプレートがすべての要求を終え、該当する応答はなかった。要求したURLは証跡を参照。", len(clean)),
			fmt.Sprintf("%d template(s) made all their requests and none matched; see the evidence for the URLs requested.", len(clean))),
		Evidence: clean,
	}}
}

// claimedFindings: web.methods-claimed, a fact (the Allow header of OPTIONS), with the
// methods that the other templates verify named in the detail.
func claimedFindings(o *Observation, idx []int) []checks.Finding {
	var methods, evidence []string
	ran := false
	for _, i := range idx {
		r := o.Templates[i]
		if r.Error == "" || r.Matched {
			ran = true
			evidence = append(evidence, evTemplate(i))
		}
		for _, x := range r.Extracted {
			for _, m := range strings.Split(x, ",") {
				if m = strings.ToUpper(strings.TrimSpace(m)); m != "" {
					methods = appendNew(methods, m)
				}
			}
		}
	}
	if !ran {
		return nil
	}
	f := checks.Finding{ID: "web.methods-claimed", Outcome: checks.Info, Evidence: evidence}
	if len(methods) == 0 {
		f.Title = checks.T("OPTIONSの応答にAllowヘッダがない", "OPTIONS answered without an Allow header")
		return []checks.Finding{f}
	}
	list := strings.Join(methods, ", ")
	f.Title = checks.T("OPTIONSが申告するHTTPメソッド: "+list, "HTTP methods claimed by OPTIONS: "+list)
	var risky []string
	for _, m := range methods {
		switch m {
		case "PUT", "DELETE", "TRACE", "TRACK", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "PATCH":
			risky = append(risky, m)
		}
	}
	if len(risky) > 0 {
		r := strings.Join(risky, ", ")
		f.Detail = checks.T(
			"申告のうち "+r+" は危険なメソッドである。申告は証明ではない: 実際に受け付けるかはweb.trace、web.webdav、web.any-method（--intrusiveではweb.put、web.delete）が確かめる。",
			"Of these, "+r+" are risky. A claim is not a proof: web.trace, web.webdav, web.any-method (and with --intrusive web.put, web.delete) verify what is actually accepted.")
	}
	return []checks.Finding{f}
}

// putFindings: web.put and web.delete, from the intrusive write test.
func putFindings(o *Observation) []checks.Finding {
	if len(o.Put) == 0 {
		return nil
	}
	var out []checks.Finding
	var refused []string
	tested := false
	for i, p := range o.Put {
		ev := []string{evPut(i)}
		if len(p.Exchanges) > 0 && p.Exchanges[0].OK() {
			tested = true
		}
		if !p.Stored {
			refused = append(refused, evPut(i))
			continue
		}
		out = append(out, checks.Finding{
			ID: "web.put", Subject: p.Dir, Outcome: checks.Fail, Severity: checks.SevHigh,
			Title:    checks.T("PUTでファイルを書き込める: "+p.Dir, "Files can be written with PUT: "+p.Dir),
			Detail:   checks.T("PUTしたテストファイル "+p.URL+" をGETで読み戻せた。", "The test file "+p.URL+" that was PUT could be read back with GET."),
			Evidence: ev,
		})
		out = append(out, deleteFinding(p, ev))
	}
	if len(out) == 0 && tested {
		out = append(out, checks.Finding{
			ID: "web.put", Outcome: checks.Pass, Evidence: refused,
			Title: checks.T("PUTによる書き込みはできない", "Files cannot be written with PUT"),
			Detail: checks.T(fmt.Sprintf("%d個のディレクトリでテストファイルのPUTを試み、読み戻せたものはなかった。", len(o.Put)),
				fmt.Sprintf("A test file was PUT in %d directories; none could be read back.", len(o.Put))),
		})
	}
	return out
}

func deleteFinding(p *PutTest, ev []string) checks.Finding {
	if p.Deleted {
		return checks.Finding{
			ID: "web.delete", Subject: p.Dir, Outcome: checks.Fail, Severity: checks.SevHigh,
			Title:    checks.T("DELETEでファイルを削除できる: "+p.Dir, "Files can be deleted with DELETE: "+p.Dir),
			Detail:   checks.T("書き込んだテストファイルをDELETEで削除でき、その後のGETは見つからなかった。", "The test file written was removed with DELETE; a GET afterwards no longer found it."),
			Evidence: ev,
		}
	}
	f := checks.Finding{
		ID: "web.delete", Subject: p.Dir, Outcome: checks.Pass, Evidence: ev,
		Title: checks.T("DELETEは受け付けられなかった: "+p.Dir, "DELETE was not accepted: "+p.Dir),
	}
	if p.Left {
		f.Detail = checks.T("テストファイル "+p.URL+" が残っている。手作業で削除すること。", "The test file "+p.URL+" is still there: remove it by hand.")
	}
	return f
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
