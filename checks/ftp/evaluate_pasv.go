package ftp

import (
	"fmt"
	"math"
	"slices"

	"ecscan/checks"
)

// Judging the passive port range from a few samples: a server that picks any port above
// 1023 draws from allPorts ports; n samples from it fall within a window of w ports with
// probability n·x^(n−1) − (n−1)·x^n, x = w/allPorts. The samples count as a restricted
// range when their spread is narrower than what such a server would show in only
// falsePass of scans.
const (
	allPorts  = 65536 - 1024
	falsePass = 0.01
)

// narrowSpread returns the widest spread of n samples that counts as a restricted range.
func narrowSpread(n int) int {
	if n < 2 {
		return 0
	}
	p := func(x float64) float64 {
		return float64(n)*math.Pow(x, float64(n-1)) - float64(n-1)*math.Pow(x, float64(n))
	}
	lo, hi := 0.0, 1.0
	for range 60 {
		mid := (lo + hi) / 2
		if p(mid) < falsePass {
			lo = mid
		} else {
			hi = mid
		}
	}
	return int(lo * allPorts)
}

// pasvRangeFinding: ftp.pasv-range, from every passive reply of the session.
func pasvRangeFinding(o *Observation) *checks.Finding {
	var ports []int
	for _, ps := range o.Passive {
		if ps.Port > 0 {
			ports = append(ports, ps.Port)
		}
	}
	n := len(ports)
	if n < 2 {
		return nil
	}
	sorted := slices.Sorted(slices.Values(ports))
	lo, hi := sorted[0], sorted[n-1]
	spread, limit := hi-lo+1, narrowSpread(n)
	list := fmt.Sprint(ports)
	f := &checks.Finding{ID: "ftp.pasv-range", Evidence: []string{evControl}}
	switch {
	case sequential(ports) && lo != hi:
		f.Outcome = checks.Info
		f.Title = checks.T("パッシブモードのポートは連番で割り当てられ、範囲は判断できません: "+o.label(), "Passive ports handed out in sequence; the range cannot be told: "+o.label())
		f.Detail = checks.T(
			fmt.Sprintf("%d 回の応答のポート %s は1ずつ増えており、サーバは順番に割り当てています。使用するポート範囲が制限されているかは、この観測からは判断できません。", n, list),
			fmt.Sprintf("The ports of %d replies, %s, go up by one: the server hands them out in sequence, so whether its range is restricted cannot be told from them.", n, list))
	case spread <= limit:
		f.Outcome = checks.Pass
		f.Title = checks.T(fmt.Sprintf("パッシブモードのポートは限られた範囲にあります（%d〜%d）: %s", lo, hi, o.label()), fmt.Sprintf("Passive ports within a restricted range (%d-%d): %s", lo, hi, o.label()))
		f.Detail = checks.T(
			fmt.Sprintf("%d 回の応答のポート %s はすべて %d〜%d の %d 個の範囲に収まりました。すべてのポートから選ぶサーバがこれほど狭く集まる確率は1%%未満で、範囲が設定されていると判断しました（設定値そのものは見えません）。", n, list, lo, hi, spread),
			fmt.Sprintf("The ports of %d replies, %s, all fall within %d-%d (%d ports). A server choosing among all ports spreads this narrowly in under 1%% of cases, so a range is taken to be configured (its exact bounds are not visible).", n, list, lo, hi, spread))
	default:
		f.Outcome, f.Severity = checks.Fail, checks.SevLow
		f.Title = checks.T(fmt.Sprintf("パッシブモードのポートが広い範囲に散らばっています（%d〜%d）: %s", lo, hi, o.label()), fmt.Sprintf("Passive ports spread widely (%d-%d): %s", lo, hi, o.label()))
		f.Detail = checks.T(
			fmt.Sprintf("%d 回の応答のポート %s は %d 個の幅に散らばっており、範囲が制限されていないか、制限されていても %d ポートより広い範囲です。ファイアウォールで開けるポートを絞れるよう、狭い範囲を設定してください（vsftpd: pasv_min_port、pasv_max_port）。", n, list, spread, limit),
			fmt.Sprintf("The ports of %d replies, %s, spread over %d ports: the range is not restricted, or is wider than %d ports. Configure a narrow range so that the firewall opens few ports (vsftpd: pasv_min_port, pasv_max_port).", n, list, spread, limit))
	}
	return f
}

// sequential reports whether each port is the previous one plus one.
func sequential(ports []int) bool {
	for i := 1; i < len(ports); i++ {
		if ports[i] != ports[i-1]+1 {
			return false
		}
	}
	return true
}
