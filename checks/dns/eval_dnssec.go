package dns

import (
	"fmt"
	"strings"
	"time"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// maxVerify bounds the signatures and keys tried (each try is a public-key operation).
const maxVerify = 8

// signatures returns the answer's RRSIGs over records of type covered.
func signatures(a *answer, covered uint16) []*miekg.RRSIG {
	var out []*miekg.RRSIG
	for _, s := range records[*miekg.RRSIG](a) {
		if s.TypeCovered == covered {
			out = append(out, s)
		}
	}
	return out
}

// verifyDNSKEY looks for a signature over the DNSKEY set that verifies with one of the
// keys and is valid at now. It returns that signature, or nil and why none did.
func verifyDNSKEY(keys []*miekg.DNSKEY, sigs []*miekg.RRSIG, now time.Time) (*miekg.RRSIG, []string) {
	rrset := make([]miekg.RR, len(keys))
	for i, k := range keys {
		rrset[i] = k
	}
	var problems []string
	for _, sig := range sigs[:min(len(sigs), maxVerify)] {
		if !sig.ValidityPeriod(now) {
			problems = append(problems, fmt.Sprintf("RRSIG key tag %d is valid from %s to %s, not at %s",
				sig.KeyTag, sigTime(sig.Inception), sigTime(sig.Expiration), now.UTC().Format(time.DateTime)))
			continue
		}
		verified := false
		for _, k := range keys[:min(len(keys), maxVerify)] {
			if k.KeyTag() == sig.KeyTag && k.Algorithm == sig.Algorithm && sig.Verify(k, rrset) == nil {
				verified = true
				break
			}
		}
		if verified {
			return sig, nil
		}
		problems = append(problems, fmt.Sprintf("RRSIG key tag %d does not verify with any DNSKEY", sig.KeyTag))
	}
	return nil, problems
}

func sigTime(t uint32) string {
	return time.Unix(int64(t), 0).UTC().Format(time.DateTime)
}

// evalDNSSEC judges the DNSKEY set asked with DO: signed, with a signature that verifies
// and is current, passes; anything else fails (low).
func evalDNSSEC(zone string, keys []*miekg.DNSKEY, sigs []*miekg.RRSIG, now time.Time, ev string) checks.Finding {
	const id = "dns.dnssec"
	if len(keys) == 0 {
		return newFinding(id, checks.Fail, checks.SevLow,
			checks.T("DNSSEC で署名されていません", "The zone is not signed with DNSSEC"),
			checks.T(fmt.Sprintf("%s に DNSKEY レコードがありません。リゾルバは偽の応答(キャッシュポイズニング)を検出できません。", zone),
				fmt.Sprintf("%s has no DNSKEY record: resolvers cannot detect forged answers (cache poisoning).", zone)), ev)
	}
	if len(sigs) == 0 {
		return newFinding(id, checks.Fail, checks.SevLow,
			checks.T("DNSKEY に署名(RRSIG)がありません", "The DNSKEY set has no signature (RRSIG)"),
			checks.T(fmt.Sprintf("DO ビット付きで %s の DNSKEY を問い合わせましたが、RRSIG が返りませんでした。", zone),
				fmt.Sprintf("The DNSKEY set of %s, asked with the DO bit, came without RRSIG.", zone)), ev)
	}
	sig, problems := verifyDNSKEY(keys, sigs, now)
	if sig == nil {
		p := strings.Join(problems, "; ")
		return newFinding(id, checks.Fail, checks.SevLow,
			checks.T("DNSKEY の署名が有効ではありません", "The DNSKEY signature is not valid"),
			checks.T(fmt.Sprintf("%s: %s。検証するリゾルバではこのドメインの名前解決が失敗します。", zone, p),
				fmt.Sprintf("%s: %s. Validating resolvers fail to resolve the domain.", zone, p)), ev)
	}
	return newFinding(id, checks.Pass, 0,
		checks.T("DNSSEC で署名されています", "The zone is signed with DNSSEC"),
		checks.T(fmt.Sprintf("%s: DNSKEY %d 件、鍵タグ %d の RRSIG が検証でき、%s まで有効です。", zone, len(keys), sig.KeyTag, sigTime(sig.Expiration)),
			fmt.Sprintf("%s: %d DNSKEY records; the RRSIG with key tag %d verifies and is valid until %s.", zone, len(keys), sig.KeyTag, sigTime(sig.Expiration))), ev)
}

// evalDS judges the parent's DS set against the zone's keys. asked is false when the DS
// query got no usable answer.
func evalDS(zone string, keys []*miekg.DNSKEY, ds []*miekg.DS, asked bool, ev ...string) checks.Finding {
	const id = "dns.dnssec-ds"
	switch {
	case !asked:
		return newFinding(id, checks.Info, 0,
			checks.T("親ゾーンの DS を確認できませんでした", "The parent's DS could not be checked"),
			checks.T(fmt.Sprintf("リゾルバから %s の DS について有効な応答が得られませんでした。", zone),
				fmt.Sprintf("The resolver gave no usable answer for the DS of %s.", zone)), ev...)
	case len(keys) == 0 && len(ds) == 0:
		return newFinding(id, checks.Info, 0,
			checks.T("親ゾーンに DS はありません(ゾーンは未署名)", "No DS at the parent (the zone is unsigned)"),
			checks.T(fmt.Sprintf("%s は署名されておらず、親ゾーンにも DS がありません。", zone),
				fmt.Sprintf("%s is not signed and its parent has no DS for it.", zone)), ev...)
	case len(keys) == 0:
		return newFinding(id, checks.Fail, checks.SevMedium,
			checks.T("親ゾーンに DS がありますがゾーンは署名されていません", "DS at the parent, but the zone is not signed"),
			checks.T(fmt.Sprintf("親ゾーンに %s の DS が %d 件ありますが DNSKEY がありません。検証するリゾルバではこのドメインの名前解決が失敗します(bogus)。", zone, len(ds)),
				fmt.Sprintf("The parent has %d DS records for %s, but the zone has no DNSKEY: validating resolvers fail to resolve the domain (bogus).", len(ds), zone)), ev...)
	case len(ds) == 0:
		return newFinding(id, checks.Fail, checks.SevLow,
			checks.T("親ゾーンに DS がありません(信頼の連鎖がありません)", "No DS at the parent: no chain of trust"),
			checks.T(fmt.Sprintf("%s は署名されていますが、親ゾーンに DS がないため署名は検証されず、DNSSEC の効果がありません。", zone),
				fmt.Sprintf("%s is signed, but without a DS at the parent resolvers cannot validate it: DNSSEC has no effect.", zone)), ev...)
	}
	if d := matchingDS(keys, ds); d != nil {
		return newFinding(id, checks.Pass, 0,
			checks.T("親ゾーンの DS が DNSKEY と一致します", "The parent's DS matches a DNSKEY"),
			checks.T(fmt.Sprintf("%s: DS(鍵タグ %d、ダイジェスト種別 %d)が DNSKEY と一致し、信頼の連鎖がつながっています。", zone, d.KeyTag, d.DigestType),
				fmt.Sprintf("%s: the DS with key tag %d (digest type %d) matches a DNSKEY: the chain of trust is complete.", zone, d.KeyTag, d.DigestType)), ev...)
	}
	return newFinding(id, checks.Fail, checks.SevMedium,
		checks.T("DS がどの DNSKEY とも一致しません", "No DS matches a DNSKEY"),
		checks.T(fmt.Sprintf("親ゾーンにある %s の DS %d 件のいずれも DNSKEY と一致しません。検証するリゾルバではこのドメインの名前解決が失敗します(bogus)。", zone, len(ds)),
			fmt.Sprintf("None of the parent's %d DS records for %s matches a DNSKEY: validating resolvers fail to resolve the domain (bogus).", len(ds), zone)), ev...)
}

// matchingDS returns the first DS whose digest matches one of the keys, or nil.
func matchingDS(keys []*miekg.DNSKEY, ds []*miekg.DS) *miekg.DS {
	for _, d := range ds[:min(len(ds), maxVerify)] {
		for _, k := range keys[:min(len(keys), maxVerify)] {
			if k.KeyTag() != d.KeyTag {
				continue
			}
			if got := k.ToDS(d.DigestType); got != nil && strings.EqualFold(got.Digest, d.Digest) {
				return d
			}
		}
	}
	return nil
}
