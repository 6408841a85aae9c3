package web

import (
	"slices"
	"strings"
	"testing"
)

func TestPasswordForms(t *testing.T) {
	const page = "https://www.shop.test/mypage/login"
	tests := []struct {
		name string
		body string
		want []PasswordForm
	}{
		{"relative action", `<form method="post" action="../login_check"><input name=u><input type="password" name="pw"></form>`,
			[]PasswordForm{{Action: "https://www.shop.test/login_check", Method: "POST", Field: "pw"}}},
		{"empty action posts to the page", `<FORM><INPUT TYPE=PASSWORD NAME=p></FORM>`,
			[]PasswordForm{{Action: page, Method: "GET", Field: "p"}}},
		{"absolute http action", `<form action="http://www.shop.test/login" method=POST><input type='password'></form>`,
			[]PasswordForm{{Action: "http://www.shop.test/login", Method: "POST"}}},
		{"two password inputs in one form count once", `<form action=/x><input type=password name=a><input type=password name=b></form>`,
			[]PasswordForm{{Action: "https://www.shop.test/x", Method: "GET", Field: "a"}}},
		{"a lone input outside a form", `<div><input type="password" name="pin"></div>`,
			[]PasswordForm{{Action: page, Field: "pin"}}},
		{"no password input", `<form action=/search><input type=text name=q></form>`, nil},
		{"javascript action cannot be resolved", `<form action="javascript:go()"><input type=password></form>`,
			[]PasswordForm{{Action: "", Method: "GET"}}},
		{"garbage", "<form <input type=password \x00\xff<<<>>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PasswordForms(page, tt.body)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLoginLinks(t *testing.T) {
	body := `<a href="/products/">商品</a><a href="/mypage/login">ログイン</a><a href="https://www.shop.test/signin?x=1#top">Sign in</a>
<a href="/account">マイページ</a><a href="/contact">Contact</a><a href="/mypage/login">again</a><a href="mailto:login@x">mail</a>`
	got := LoginLinks("https://www.shop.test/", body)
	want := []string{"https://www.shop.test/mypage/login", "https://www.shop.test/signin?x=1", "https://www.shop.test/account"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoginLinksBounded(t *testing.T) {
	body := strings.Repeat(`<a href="/login?n=`, 1) + strings.Repeat(`x`, 10) + `">login</a>`
	for i := range 50 {
		body += `<a href="/login` + strings.Repeat("a", i) + `">ログイン</a>`
	}
	if got := LoginLinks("https://www.shop.test/", body); len(got) != maxLoginLinks {
		t.Errorf("got %d links, want %d", len(got), maxLoginLinks)
	}
}

func FuzzPasswordForms(f *testing.F) {
	for _, s := range []string{
		`<form action="/a"><input type=password></form>`,
		`<a href="/login">ログイン</a>`,
		`<form action="http://[::1]:99999/"><input type=password name=x>`,
		"<<form\x00 action=\xff><input type=password",
		`<a href="%zz">login</a>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		forms := PasswordForms("https://www.shop.test/dir/page", body)
		if len(forms) > maxForms {
			t.Errorf("%d forms, more than %d", len(forms), maxForms)
		}
		for _, fm := range forms {
			if fm.Action != "" && !strings.HasPrefix(fm.Action, "http://") && !strings.HasPrefix(fm.Action, "https://") {
				t.Errorf("action %q is not an http(s) URL", fm.Action)
			}
		}
		if links := LoginLinks("https://www.shop.test/", body); len(links) > maxLoginLinks {
			t.Errorf("%d links, more than %d", len(links), maxLoginLinks)
		}
	})
}

func FuzzResponseStatus(f *testing.F) {
	for _, s := range []string{"HTTP/1.1 200 OK\r\n\r\nbody", "HTTP/1.0 404\n\nx", "garbage", "HTTP/1.1 99999999999999999999 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if st := responseStatus(raw); st < 0 || st > 9999 {
			t.Errorf("status %d out of range", st)
		}
		_ = responseBody(raw)
		if c := clipExchange(raw); len(c) > keepHead+keepBody+200 {
			t.Errorf("clipExchange kept %d bytes", len(c))
		}
	})
}
