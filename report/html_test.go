package report

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

func writeHTML(t *testing.T, r *Report, o Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := (HTMLWriter{}).Write(&b, r, o); err != nil {
		t.Fatalf("HTMLWriter.Write: %v", err)
	}
	return b.String()
}

func TestHTMLGolden(t *testing.T) {
	out := writeHTML(t, hostileReport(), Options{Lang: "ja", Catalog: testCatalog(t)})
	golden(t, "report.html.golden", out)
}

// allowedElements are the elements the page is made of: a payload that became markup would
// add another (script, img, …).
var allowedElements = []string{
	"html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section", "article", "footer",
	"h1", "h2", "h3", "h4", "p", "ol", "ul", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
	"span", "strong", "b", "small", "code", "pre", "div", "dl", "dt", "dd", "br", "blockquote",
}

func TestHTMLEscapesHostileContent(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		out := writeHTML(t, hostileReport(), Options{Lang: lang, Catalog: testCatalog(t)})
		checkNoRawPayload(t, "html/"+lang, out, "<script", "<img", "<b>太字", "<b>not bold", "\x1b", "\x00", "\x07", "\r")
		if !utf8.ValidString(out) {
			t.Errorf("html/%s: output is not valid UTF-8", lang)
		}
		for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;", `\x1b]0;pwned\x07`, `nul\x00byte`, "bad\uFFFD\uFFFDutf8"} {
			if !strings.Contains(out, want) {
				t.Errorf("html/%s: escaped payload %q not shown", lang, want)
			}
		}
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			if !slices.Contains(allowedElements, tok.Data) {
				t.Errorf("html/%s: unexpected element <%s>", lang, tok.Data)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "src" || a.Key == "style" {
					t.Errorf("html/%s: <%s> has attribute %s=%q", lang, tok.Data, a.Key, a.Val)
				}
				if a.Key == "href" && !strings.HasPrefix(a.Val, "#") {
					t.Errorf("html/%s: link out of the page: %q", lang, a.Val)
				}
			}
		}
	}
}

var (
	hrefPattern = regexp.MustCompile(`href="#([^"]*)"`)
	idPattern   = regexp.MustCompile(` id="([^"]*)"`)
)

func TestHTMLLinksResolve(t *testing.T) {
	out := writeHTML(t, hostileReport(), Options{Lang: "ja", Catalog: testCatalog(t)})
	ids := map[string]int{}
	for _, m := range idPattern.FindAllStringSubmatch(out, -1) {
		ids[m[1]]++
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	links := hrefPattern.FindAllStringSubmatch(out, -1)
	if len(links) < 20 {
		t.Fatalf("only %d internal links: the page lost its links", len(links))
	}
	for _, m := range links {
		if ids[m[1]] == 0 {
			t.Errorf("link #%s has no target", m[1])
		}
	}
	for _, want := range []string{Anchor(evilEvID), Anchor("ports:db.ecshop.test:tcp-5432"), findingAnchor("ports.database|db.ecshop.test|5432|tcp/5432")} {
		if !strings.Contains(out, `href="#`+want+`"`) {
			t.Errorf("no link to %s", want)
		}
	}
}

func TestHTMLContent(t *testing.T) {
	r := hostileReport()
	out := writeHTML(t, r, Options{Lang: "ja", Catalog: testCatalog(t)})
	tests := []struct{ what, want string }{
		{"language", `<html lang="ja">`},
		{"interrupted warning", "スキャンは中断されました"},
		{"chapter heading", "第1章 サイトの公開面"},
		{"second chapter", "第2章 メールサーバ"},
		{"question text", "外部に不要なサービスを公開していませんか？"},
		{"block label", "【評価】"},
		{"choice text", "十分に制限している"},
		{"override badge", `<span class="badge src-override">運営者（上書き）</span>`},
		{"conflict", "回答 A は証跡と矛盾"},
		{"stale answer", "運営者の回答の有効期限切れ"},
		{"not applicable", "前の回答（1-1-1/evaluation）により対象外"},
		{"rating step text", "あまり行っていない"},
		{"ruled-out choice", `<li class=" excluded">`},
		{"control status", `<span class="ctl ctl-fail">不備</span>`},
		{"TLS grade", `<span class="grade grade-b">B</span>`},
		{"hostile TLS grade", `<span class="grade grade-unknown">?</span>`},
		{"critical count", "緊急"},
		{"evidence pre", "<pre>ecshop.test.\t300\tIN\tTXT"},
		{"check error", "templates: nul\\x00byte"},
	}
	for _, tc := range tests {
		if !strings.Contains(out, tc.want) {
			t.Errorf("%s: %q not in the page", tc.what, tc.want)
		}
	}
	en := writeHTML(t, r, Options{Lang: "en", Catalog: testCatalog(t)})
	for _, want := range []string{`<html lang="en">`, "Chapter 1  The site&#39;s public surface", "the scan was interrupted", "Conflict with the evidence"} {
		if !strings.Contains(en, want) {
			t.Errorf("en: %q not in the page", want)
		}
	}
}

func TestHTMLWithoutCatalog(t *testing.T) {
	out := writeHTML(t, hostileReport(), Options{Lang: "ja"})
	for _, want := range []string{"1-1-1", "evaluation", "質問票の回答"} {
		if !strings.Contains(out, want) {
			t.Errorf("without a catalog: %q not in the page", want)
		}
	}
}
