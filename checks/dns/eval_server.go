package dns

import (
	"fmt"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// evalServer returns one name server address's findings: dns.axfr and
// dns.open-recursion. A server that did not answer its first probe has none (its Result's
// status says why).
func evalServer(s *serverObs) []checks.Finding {
	label := fmt.Sprintf("%s (%s)", s.name, s.addr)
	var out []checks.Finding
	if s.axfr != nil {
		out = append(out, evalAXFR(label, s.axfr))
	}
	if s.recursion != nil {
		out = append(out, evalRecursion(label, s.recursion))
	}
	for i := range out {
		out[i].Host, out[i].Addr, out[i].Port, out[i].Subject = s.name, s.addr.String(), int(s.at.Port()), s.zone
	}
	return out
}

// evalAXFR fails (high) when the server handed out zone data and passes when the
// transfer was refused or failed.
func evalAXFR(server string, t *transfer) checks.Finding {
	zone := bare(t.zone)
	if t.gotZone() {
		return newFinding("dns.axfr", checks.Fail, checks.SevHigh,
			checks.T("ゾーン転送(AXFR)を誰にでも許可しています", "Zone transfer (AXFR) is allowed to anyone"),
			checks.T(fmt.Sprintf("%s は %s のゾーン転送に応じました(%s)。ゾーン内のすべての名前と内部のホストが第三者に知られます。", server, zone, t.outcome()),
				fmt.Sprintf("%s answered a transfer of %s (%s): every name in the zone, internal hosts included, is disclosed to anyone.", server, zone, t.outcome())), t.id)
	}
	return newFinding("dns.axfr", checks.Pass, 0,
		checks.T("ゾーン転送(AXFR)は拒否されました", "Zone transfer (AXFR) was refused"),
		checks.T(fmt.Sprintf("%s に %s のゾーン転送を要求しました: %s", server, zone, t.outcome()),
			fmt.Sprintf("A transfer of %s was asked of %s: %s", zone, server, t.outcome())), t.id)
}

// evalRecursion judges the reply to a recursive query for a name outside the server's
// zones: RA set with an answer, NOERROR or NXDOMAIN fails (medium); REFUSED, RA clear, or
// another error code passes; an authoritative reply (the server serves that name itself)
// or RA with SERVFAIL cannot tell and is a fact.
func evalRecursion(server string, a *answer) checks.Finding {
	const id = "dns.open-recursion"
	if a.err != nil {
		return newFinding(id, checks.Info, 0,
			checks.T("再帰問い合わせを試せませんでした", "Recursion could not be tested"),
			checks.T(fmt.Sprintf("%s は %s の問い合わせに応答しませんでした: %s", server, a.name, checks.Classify(a.err)),
				fmt.Sprintf("%s did not answer the query for %s: %s", server, a.name, checks.Classify(a.err))), a.id)
	}
	m := a.msg
	reply := fmt.Sprintf("%s (flags:%s; answers: %d)", a.rcode(), replyFlags(m), len(m.Answer))
	asked := checks.T(fmt.Sprintf("%s に RD=1 で %s を問い合わせ、応答は %s でした。", server, a.name, reply),
		fmt.Sprintf("%s was asked for %s with RD=1 and replied %s.", server, a.name, reply))
	pass := func(ja, en string) checks.Finding {
		return newFinding(id, checks.Pass, 0, checks.T("再帰問い合わせに応じません", "The name server does not recurse"),
			checks.T(asked.JA+ja, asked.EN+" "+en), a.id)
	}
	inconclusive := func(ja, en string) checks.Finding {
		return newFinding(id, checks.Info, 0,
			checks.T("再帰問い合わせの可否を判定できませんでした", "Whether the server recurses could not be decided"),
			checks.T(asked.JA+ja, asked.EN+" "+en), a.id)
	}
	switch {
	case m.Rcode == miekg.RcodeRefused:
		return pass("問い合わせは拒否されました。", "The query was refused.")
	case !m.RecursionAvailable:
		return pass("RA フラグが立っておらず、再帰は提供されていません。", "RA is clear: recursion is not offered.")
	case m.Authoritative:
		return inconclusive("このサーバはその名前の権威サーバでもあるため判定できません。別の名前で試してください。",
			"The server is authoritative for that name itself, so this tells nothing; try another recursion name.")
	case len(m.Answer) > 0 || m.Rcode == miekg.RcodeSuccess || m.Rcode == miekg.RcodeNameError:
		return newFinding(id, checks.Fail, checks.SevMedium,
			checks.T("権威ネームサーバが誰にでも再帰問い合わせに応じます(オープンリゾルバ)", "The name server recurses for anyone (open resolver)"),
			checks.T(asked.JA+"ゾーン外の名前を再帰的に解決しており、DNS 増幅攻撃の踏み台やキャッシュポイズニングの標的になります。",
				asked.EN+" It resolved a name outside its zones for us: it can be abused for DNS amplification attacks and is exposed to cache poisoning."), a.id)
	case m.Rcode == miekg.RcodeServerFailure:
		return inconclusive("RA フラグは立っていますが、解決に失敗しました。", "RA is set, but the lookup failed.")
	}
	return pass("再帰的な解決は行われませんでした。", "No recursive resolution took place.")
}
