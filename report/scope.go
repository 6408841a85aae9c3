package report

import "strings"

// scopeReason renders a host's scope reason (checks.Host.Reason, written by discovery in
// English: "listed by the operator", "within D", "outside Z: N", "outside the scan's
// domains", "no usable address: …", "no address found") in lang. Names and notes inside it
// are kept as they are; an unknown reason is returned unchanged.
func scopeReason(reason, lang string) string {
	if lang != "ja" {
		return reason
	}
	for _, r := range []struct{ prefix, ja string }{
		{"listed by the operator", "運営者が指定"},
		{"outside the scan's domains", "診断対象のドメインの外"},
		{"no address found", "アドレスが見つからない"},
	} {
		if reason == r.prefix {
			return r.ja
		}
	}
	if rest, ok := strings.CutPrefix(reason, "outside "); ok {
		if zones, via, ok := strings.Cut(rest, ": "); ok {
			return zones + " の外（" + via + "）"
		}
	}
	for _, r := range []struct{ prefix, ja string }{
		{"within ", "%s の範囲内"},
		{"outside ", "%s の外"},
		{"no usable address: ", "使えるアドレスがない: %s"},
	} {
		if rest, ok := strings.CutPrefix(reason, r.prefix); ok {
			return strings.Replace(r.ja, "%s", rest, 1)
		}
	}
	return reason
}
