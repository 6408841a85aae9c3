package report

import "testing"

func TestScopeReason(t *testing.T) {
	for _, tt := range []struct{ reason, lang, want string }{
		{"listed by the operator", "ja", "運営者が指定"},
		{"listed by the operator", "en", "listed by the operator"},
		{"within ecshop.test", "ja", "ecshop.test の範囲内"},
		{"outside mail-provider.test: MX of ecshop.test", "ja", "mail-provider.test の外（MX of ecshop.test）"},
		{"outside the scan's domains", "ja", "診断対象のドメインの外"},
		{"no usable address: 10.0.0.1 is private", "ja", "使えるアドレスがない: 10.0.0.1 is private"},
		{"no address found", "ja", "アドレスが見つからない"},
		{"something new", "ja", "something new"},
	} {
		if got := scopeReason(tt.reason, tt.lang); got != tt.want {
			t.Errorf("scopeReason(%q, %s) = %q, want %q", tt.reason, tt.lang, got, tt.want)
		}
	}
}
