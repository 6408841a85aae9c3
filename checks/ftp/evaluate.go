package ftp

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// Evidence IDs (local to the Result): the main dialogue, the listing, the AUTH TLS
// connections.
const (
	evControl = "control"
	evListing = "listing"
	evTLS     = "auth-tls"
)

// Evaluate turns an observation into findings (see the package doc for the rules). It is
// pure: the same observation gives the same findings.
func Evaluate(o *Observation, now time.Time) []checks.Finding {
	_ = now // the rules do not depend on time
	var out []checks.Finding
	for _, f := range []*checks.Finding{
		anonymousFinding(o), writableFinding(o), cleartextFinding(o),
		pasvRangeFinding(o), pasvAddressFinding(o), bounceFinding(o), versionFinding(o),
	} {
		if f == nil {
			continue
		}
		f.Host, f.Addr, f.Port, f.Subject = o.Host, o.Addr.String(), o.Port, fmt.Sprintf("tcp/%d", o.Port)
		if f.Outcome != checks.Fail {
			f.Severity = checks.SevInfo
		}
		out = append(out, *f)
	}
	return out
}

// label names the endpoint: "ftp tcp/21", "ftps tcp/990".
func (o *Observation) label() string {
	if o.ImplicitTLS {
		return fmt.Sprintf("ftps tcp/%d", o.Port)
	}
	return fmt.Sprintf("ftp tcp/%d", o.Port)
}

// anonymousFinding: ftp.anonymous.
func anonymousFinding(o *Observation) *checks.Finding {
	l := o.Anonymous
	if l == nil || !l.Decided {
		return nil
	}
	f := &checks.Finding{ID: "ftp.anonymous", Evidence: []string{evControl}}
	fin := l.Final()
	if l.LoggedIn {
		f.Outcome, f.Severity = checks.Fail, checks.SevHigh
		f.Title = checks.T("匿名FTPでログインできます: "+o.label(), "Anonymous FTP login allowed: "+o.label())
		seen := checks.T("", "")
		if ls := o.Listing; ls != nil && ls.Read {
			seen = checks.T(fmt.Sprintf("トップディレクトリには %d 個の項目が見えます。", ls.Total), fmt.Sprintf(" The top directory shows %d entries.", ls.Total))
			f.Evidence = append(f.Evidence, evListing)
		}
		f.Detail = checks.T(
			"ユーザ名 anonymous と慣例のメールアドレス形式のパスワードでログインできました（"+fin.Reply+"）。"+seen.JA+"意図して公開しているファイル配布でなければ匿名ログインを無効にしてください（vsftpd: anonymous_enable=NO）。",
			"User anonymous with the conventional e-mail-like password logged in ("+fin.Reply+")."+seen.EN+" Unless this is intended public distribution, disable anonymous login (vsftpd: anonymous_enable=NO).")
		return f
	}
	f.Outcome = checks.Pass
	f.Title = checks.T("匿名FTPでのログインは拒否されます: "+o.label(), "Anonymous FTP login refused: "+o.label())
	f.Detail = checks.T("ユーザ名 anonymous でのログインは拒否されました（"+fin.Command+" → "+fin.Reply+"）。", "Login as anonymous was refused ("+fin.Command+" → "+fin.Reply+").")
	return f
}

// writableFinding: ftp.anonymous-writable, from the write test when it ran, else from the
// listing's permissions.
func writableFinding(o *Observation) *checks.Finding {
	f := &checks.Finding{ID: "ftp.anonymous-writable", Evidence: []string{evControl}}
	ls := o.Listing
	if ls != nil && ls.Read {
		f.Evidence = append(f.Evidence, evListing)
	}
	perms := writableNames(ls)
	if wt := o.WriteTest; wt != nil && len(wt.Attempts) > 0 {
		return writeTestFinding(o, f, wt, perms)
	}
	if ls == nil || !ls.Read {
		return nil
	}
	if perms != "" {
		f.Outcome, f.Severity = checks.Fail, checks.SevHigh
		f.Title = checks.T("匿名ユーザが書き込めるように見える項目があります: "+o.label(), "Entries look writable by anonymous users: "+o.label())
		f.Detail = checks.T(
			"一覧（"+ls.Command+"）の権限表示: "+perms+"。匿名ユーザがファイルを置けるサーバは、不正なファイルの配布や保管に悪用されます。書き込みを許可しないでください（vsftpd: anon_upload_enable=NO、anon_mkdir_write_enable=NO）。実際の書き込みは試していません（--intrusive で確認できます）。",
			"Permissions in the listing ("+ls.Command+"): "+perms+". A server where anonymous users can put files gets abused to distribute and store illicit files; do not allow writing (vsftpd: anon_upload_enable=NO, anon_mkdir_write_enable=NO). No write was attempted (--intrusive verifies).")
		return f
	}
	f.Outcome = checks.Pass
	f.Title = checks.T("一覧には匿名ユーザが書き込める項目はありません: "+o.label(), "No entry of the listing is writable by anonymous users: "+o.label())
	f.Detail = checks.T(
		fmt.Sprintf("トップディレクトリの一覧（%s、%d 個）に、他者が書き込める権限や書き込み許可（MLSD perm）はありませんでした。下位のディレクトリは調べていません。", ls.Command, ls.Total),
		fmt.Sprintf("The top directory's listing (%s, %d entries) shows no entry writable by others and no write permission (MLSD perm). Subdirectories were not examined.", ls.Command, ls.Total))
	return f
}

func writeTestFinding(o *Observation, f *checks.Finding, wt *WriteTest, perms string) *checks.Finding {
	var steps []string
	for _, a := range wt.Attempts {
		for _, s := range a.Steps {
			steps = append(steps, s.Command+" → "+s.Reply)
		}
	}
	log := strings.Join(steps, "; ")
	if wt.Written() {
		f.Outcome, f.Severity = checks.Fail, checks.SevHigh
		f.Title = checks.T("匿名ユーザがファイルを書き込めます（書き込み試験で確認）: "+o.label(), "Anonymous users can write files (verified by the write test): "+o.label())
		left := checks.T("試験ファイルは削除を確認しました。", "The test file was deleted, and its absence checked.")
		if lb := wt.LeftBehind(); len(lb) > 0 {
			left = checks.T("試験ファイルを削除できませんでした。サーバから次のファイルを削除してください: "+strings.Join(lb, ", "), "The test file could not be deleted; remove it from the server: "+strings.Join(lb, ", "))
		}
		f.Detail = checks.T(
			"匿名ログインで目印付きのファイルを書き込めました。"+left.JA+"手順: "+log+"。書き込みを許可しないでください（vsftpd: anon_upload_enable=NO）。",
			"A marked file was written after an anonymous login. "+left.EN+" Steps: "+log+". Do not allow writing (vsftpd: anon_upload_enable=NO).")
		return f
	}
	f.Outcome = checks.Pass
	f.Title = checks.T("匿名ユーザはファイルを書き込めません（書き込み試験）: "+o.label(), "Anonymous users cannot write files (write test): "+o.label())
	note := checks.T("", "")
	if perms != "" {
		note = checks.T("ただし一覧には書き込めるように見える項目があります（"+perms+"）。権限も見直してください。", " The listing still shows entries that look writable ("+perms+"); review the permissions too.")
	}
	f.Detail = checks.T("書き込み試験はすべて拒否されました。手順: "+log+"。"+note.JA, "Every write attempt was refused. Steps: "+log+"."+note.EN)
	return f
}

// writableNames lists the writable entries of a listing with the reason: "upload (others
// can write (drwxrwxrwx))".
func writableNames(ls *Listing) string {
	if ls == nil {
		return ""
	}
	var out []string
	for _, e := range ls.Writable {
		name := e.Name
		if name == "" {
			name = e.Raw
		}
		out = append(out, clean(name)+" ("+e.Why+")")
	}
	return strings.Join(out, ", ")
}
