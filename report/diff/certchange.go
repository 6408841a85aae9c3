package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// CertChange is a TLS endpoint whose leaf certificate was replaced between the runs: the
// certificate served on the same host and port has another serial, issuer, subject or
// validity. A renewal shows here even when neither certificate is near its expiry (which is
// CertExpiring's business); an endpoint seen in one run only is a port or host change.
type CertChange struct {
	Host string `json:"host"`
	Port int    `json:"port,omitempty"`
	Old  CertID `json:"old"`
	New  CertID `json:"new"`
}

// CertID identifies a leaf certificate by what the TLS check records of it.
type CertID struct {
	Subject   string    `json:"subject,omitempty"`
	Issuer    string    `json:"issuer,omitempty"`
	Serial    string    `json:"serial,omitempty"`
	NotBefore time.Time `json:"not_before,omitzero"`
	NotAfter  time.Time `json:"not_after"`
}

// same reports whether a and b describe the same certificate.
func (a CertID) same(b CertID) bool {
	return a.Subject == b.Subject && a.Issuer == b.Issuer && a.Serial == b.Serial &&
		a.NotBefore.Equal(b.NotBefore) && a.NotAfter.Equal(b.NotAfter)
}

// certChanges lists the endpoints with a leaf in both runs (ol, nl) whose leaf differs.
func certChanges(ol, nl map[endpoint]leaf) []CertChange {
	var out []CertChange
	for ep, n := range nl {
		if o, ok := ol[ep]; ok && !o.id.same(n.id) {
			out = append(out, CertChange{Host: ep.host, Port: ep.port, Old: o.id, New: n.id})
		}
	}
	slices.SortFunc(out, func(a, b CertChange) int {
		return cmp.Or(cmp.Compare(a.Host, b.Host), cmp.Compare(a.Port, b.Port))
	})
	return out
}

// certChangeItem shows a replaced certificate: the serials, and the validity when it moved.
func certChangeItem(c CertChange, lang string) item {
	it := item{kind: tr(lang, "証明書変更", "CERT~"), where: c.Host}
	if c.Port > 0 {
		it.where += ":" + strconv.Itoa(c.Port)
	}
	it.what = tr(lang, fmt.Sprintf("シリアル %s → %s", c.Old.Serial, c.New.Serial),
		fmt.Sprintf("serial %s → %s", c.Old.Serial, c.New.Serial))
	if !c.Old.NotAfter.Equal(c.New.NotAfter) {
		it.what += tr(lang, "、有効期限 ", "; not after ") + c.Old.NotAfter.UTC().Format(time.DateOnly) +
			" → " + c.New.NotAfter.UTC().Format(time.DateOnly)
	}
	if c.Old.Issuer != c.New.Issuer {
		it.what += tr(lang, "、発行者 ", "; issuer ") + c.Old.Issuer + " → " + c.New.Issuer
	}
	if c.Old.Subject != c.New.Subject {
		it.what += tr(lang, "、サブジェクト ", "; subject ") + c.Old.Subject + " → " + c.New.Subject
	}
	return it
}
