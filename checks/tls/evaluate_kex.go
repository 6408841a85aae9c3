package tls

import (
	"fmt"
	"strings"

	"ecscan/checks"
)

// serverOrder: whether the server chooses the suite by its own preference on TLS 1.0–1.2 (on
// TLS 1.3 every suite is strong and the client's choice is the norm). Without an order, a
// client can pick the weakest suite the server accepts: that fails (low) when a weak one (no
// forward secrecy, RC4, 64-bit block, CBC) is accepted.
func (e *evaluator) serverOrder() {
	en := e.obs.Enumeration
	var ordered, unordered []string
	weak := false
	for _, v := range []Version{TLS12, TLS11, TLS10, SSL30} {
		p := en.Protocol(v)
		if p == nil || !p.Offered || len(p.Suites) < 2 {
			continue
		}
		if p.ServerOrder {
			pref := "-"
			if p.Preferred != nil {
				pref = p.Preferred.Name
			}
			ordered = append(ordered, v.String()+" ("+pref+")")
			continue
		}
		unordered = append(unordered, v.String())
		for _, s := range p.Suites {
			weak = weak || s.Known && (!s.ForwardSecrecy || s.RC4 || s.Block64 || s.CBC)
		}
	}
	f := checks.Finding{ID: "tls.server-order", Outcome: checks.Info, Evidence: []string{evEnumeration}}
	switch {
	case len(unordered) > 0 && weak:
		f.Outcome, f.Severity = checks.Fail, checks.SevLow
		f.Title = checks.T("サーバが暗号スイートの優先順位を指定しない", "Server does not enforce its cipher suite order")
		f.Detail = checks.T(strings.Join(unordered, ", ")+"ではクライアントの選んだ暗号が使われ、弱い暗号スイートも選ばれうる。",
			"On "+strings.Join(unordered, ", ")+" the client's choice wins, and weak suites the server accepts can be chosen.")
	case len(unordered) > 0:
		f.Title = checks.T("クライアントの優先順位に従う（弱い暗号なし）", "Client's order followed (no weak suite accepted)")
		f.Detail = checks.T(strings.Join(unordered, ", "), strings.Join(unordered, ", "))
	case len(ordered) > 0:
		f.Title = checks.T("サーバが暗号スイートの優先順位を指定", "Server enforces its cipher suite order")
		f.Detail = checks.T("優先する暗号スイート: "+strings.Join(ordered, "; "), "Preferred suites: "+strings.Join(ordered, "; "))
	default:
		f.Title = checks.T("暗号スイートの選択はTLS 1.3のみ、または1種のみ", "Suite choice only on TLS 1.3, or a single suite")
	}
	e.add(f)
}

// kexParams: the ephemeral key-exchange parameters: finite-field DH below 1024 bits fails
// high (Logjam), below 2048 medium; an elliptic-curve group below 224 bits medium.
func (e *evaluator) kexParams() {
	en := e.obs.Enumeration
	var weak []string
	sev := checks.SevInfo
	used := false
	for _, p := range en.Protocols {
		if !p.Offered {
			continue
		}
		if p.DHBits > 0 && hasSuite(p, isFFDHE) {
			used = true
			switch {
			case p.DHBits < 1024:
				weak, sev = append(weak, fmt.Sprintf("%s: DHE %d bits", p.Version, p.DHBits)), checks.SevHigh
			case p.DHBits < 2048:
				weak, sev = append(weak, fmt.Sprintf("%s: DHE %d bits", p.Version, p.DHBits)), max(sev, checks.SevMedium)
			}
		}
		if p.Version == TLS13 || hasSuite(p, isECDHE) {
			for _, g := range p.Groups {
				used = true
				if g.Bits > 0 && (g.FFDH && g.Bits < 2048 || !g.FFDH && g.Bits < 224) {
					weak, sev = append(weak, fmt.Sprintf("%s: %s (%d bits)", p.Version, g.Name, g.Bits)), max(sev, checks.SevMedium)
				}
			}
		}
	}
	if !used {
		return
	}
	if len(weak) == 0 {
		e.add(verdict("tls.kex.params", false, 0, checks.T("鍵交換パラメータは十分な強度", "Key exchange parameters strong enough"),
			checks.T("鍵交換グループ: "+groupList(en), "Key exchange groups: "+groupList(en)), evEnumeration))
		return
	}
	list := strings.Join(weak, "; ")
	e.add(verdict("tls.kex.params", true, sev, checks.T("弱い鍵交換パラメータ", "Weak key exchange parameters"),
		checks.T("DHは2048ビット以上、楕円曲線は224ビット以上が必要: "+list, "DH needs 2048 bits or more, elliptic curves 224 bits or more: "+list), evEnumeration))
}

func hasSuite(p ProtocolSupport, pred func(Suite) bool) bool {
	for _, s := range p.Suites {
		if pred(s) {
			return true
		}
	}
	return false
}
