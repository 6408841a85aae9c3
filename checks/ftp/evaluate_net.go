package ftp

import (
	"fmt"
	"slices"
	"strings"

	"ecscan/checks"
)

// cleartextFinding: ftp.cleartext.
func cleartextFinding(o *Observation) *checks.Finding {
	f := &checks.Finding{ID: "ftp.cleartext", Evidence: []string{evControl}}
	if o.ImplicitTLS {
		if o.TLS == nil || o.TLS.Error != "" || !o.Greeted {
			return nil
		}
		f.Outcome = checks.Pass
		f.Title = checks.T("最初からTLSで接続します（FTPS）: "+o.label(), "TLS from the first byte (implicit FTPS): "+o.label())
		f.Detail = checks.T("接続直後にTLSハンドシェイクが成立しました（"+o.TLS.Version+"）。", "The TLS handshake completed as soon as the connection opened ("+o.TLS.Version+").")
		return f
	}
	a := o.AuthTLS
	if a == nil || a.Reply == "" {
		return nil
	}
	f.Evidence = append(f.Evidence, evTLS)
	switch {
	case a.Upgraded():
		f.Outcome = checks.Pass
		f.Title = checks.T("AUTH TLSで暗号化できます: "+o.label(), "AUTH TLS offered and working: "+o.label())
		f.Detail = checks.T(a.Command+" が受け付けられ、TLSハンドシェイクが成立しました（"+a.Handshake.Version+"）。", a.Command+" was accepted and the TLS handshake completed ("+a.Handshake.Version+").")
		if t := o.TLSRequired; t != nil && t.Required != nil {
			if *t.Required {
				f.Detail.JA += "暗号化前のUSERは拒否されます（" + t.Reply + "）。"
				f.Detail.EN += " USER before encryption is refused (" + t.Reply + ")."
				break
			}
			f.Outcome, f.Severity = checks.Fail, checks.SevLow
			f.Title = checks.T("AUTH TLSは使えますが暗号化が必須ではありません: "+o.label(), "AUTH TLS offered but not required: "+o.label())
			f.Detail.JA += "ただし暗号化前のUSERにパスワードを求めており（" + t.Reply + "）、利用者は平文でパスワードを送れてしまいます。TLSを必須にしてください（vsftpd: force_local_logins_ssl=YES、force_local_data_ssl=YES）。パスワードは送っていません。"
			f.Detail.EN += " But USER before encryption is answered with a request for the password (" + t.Reply + "), so users can still send passwords in clear. Require TLS (vsftpd: force_local_logins_ssl=YES, force_local_data_ssl=YES). No password was sent."
		}
	case a.Accepted:
		f.Outcome, f.Severity = checks.Fail, checks.SevMedium
		f.Title = checks.T("AUTH TLSは受け付けられましたがTLSハンドシェイクに失敗しました: "+o.label(), "AUTH TLS accepted but the TLS handshake failed: "+o.label())
		f.Detail = checks.T("ハンドシェイクのエラー: "+a.Handshake.Error+"。利用者は暗号化された接続に切り替えられません。", "Handshake error: "+a.Handshake.Error+". Clients cannot switch to an encrypted connection.")
	default:
		f.Outcome, f.Severity = checks.Fail, checks.SevMedium
		f.Title = checks.T("FTPの通信を暗号化できません（AUTH TLSなし）: "+o.label(), "FTP cannot be encrypted (no AUTH TLS): "+o.label())
		f.Detail = checks.T(
			"AUTH TLS/AUTH SSL は拒否されました（"+a.Reply+"）。ユーザ名、パスワード、ファイルの内容が平文で流れます。FTPS（AUTH TLS）を有効にして必須にするか、SFTPに移行してください。",
			"AUTH TLS/AUTH SSL was refused ("+a.Reply+"). User names, passwords and file contents travel in clear. Enable and require FTPS (AUTH TLS), or move to SFTP.")
	}
	return f
}

// pasvAddressFinding: ftp.pasv-address, from the PASV replies.
func pasvAddressFinding(o *Observation) *checks.Finding {
	var named, other []string
	for _, ps := range o.Passive {
		if ps.Command != "PASV" || !ps.Addr.IsValid() {
			continue
		}
		a := ps.Addr.String()
		if !slices.Contains(named, a) {
			named = append(named, a)
		}
		if ps.Other && !slices.Contains(other, a) {
			other = append(other, a)
		}
	}
	if len(named) == 0 {
		return nil
	}
	f := &checks.Finding{ID: "ftp.pasv-address", Evidence: []string{evControl}}
	if len(other) > 0 {
		f.Outcome, f.Severity = checks.Fail, checks.SevMedium
		f.Title = checks.T("PASVの応答が別のアドレスを示しています: "+o.label(), "PASV names another address: "+o.label())
		f.Detail = checks.T(
			"PASVの応答が接続先（"+o.Addr.String()+"）ではないアドレス "+strings.Join(other, ", ")+" を示しました。内部アドレスの漏えい、またはデータ接続を別のホストへ向けさせる設定の誤りです。スキャンはそのアドレスには接続していません。（vsftpd: pasv_address、pasv_addr_resolve を確認してください）",
			"PASV replies named "+strings.Join(other, ", ")+", not the address connected to ("+o.Addr.String()+"): an internal address leaks, or data connections are pointed at another host. The scan did not connect there. (vsftpd: check pasv_address, pasv_addr_resolve.)")
		return f
	}
	f.Outcome = checks.Pass
	f.Title = checks.T("PASVの応答は接続先のアドレスを示しています: "+o.label(), "PASV names the server's own address: "+o.label())
	f.Detail = checks.T("PASVの応答はすべて接続先のアドレス "+o.Addr.String()+" でした。", "Every PASV reply named the address connected to, "+o.Addr.String()+".")
	return f
}

// bounceFinding: ftp.bounce (intrusive only).
func bounceFinding(o *Observation) *checks.Finding {
	b := o.Bounce
	if !b.Decided() {
		return nil
	}
	f := &checks.Finding{ID: "ftp.bounce", Evidence: []string{evControl}}
	if !b.Accepted {
		f.Outcome = checks.Pass
		f.Title = checks.T("第三者アドレスへのPORTは拒否されます（FTPバウンス不可）: "+o.label(), "PORT to a third-party address refused (no FTP bounce): "+o.label())
		f.Detail = checks.T("PORT "+b.Target+" への応答: "+b.PortReply+"。", "Answer to PORT "+b.Target+": "+b.PortReply+".")
		return f
	}
	f.Outcome, f.Severity = checks.Fail, checks.SevHigh
	f.Title = checks.T("第三者アドレスへのPORTを受け付けます（FTPバウンス）: "+o.label(), "PORT to a third-party address accepted (FTP bounce): "+o.label())
	what := checks.T("データ接続は開始させていません。", "No transfer was started.")
	switch {
	case b.Connected:
		what = checks.T("LIST によりサーバが "+b.Target+" へ実際に接続しました（送信元 "+b.From+"）。", "LIST made the server actually connect to "+b.Target+" (from "+b.From+").")
	case b.Triggered:
		what = checks.T("LIST への応答は "+b.ListReply+" で、接続は来ませんでした。", "LIST was answered "+b.ListReply+" and no connection came.")
	}
	f.Detail = checks.T(
		"PORT で利用者以外のアドレス "+b.Target+" を指定すると受け付けられました（"+b.PortReply+"）。"+what.JA+"サーバが他のホストへの攻撃や走査の踏み台にされます。PORTの宛先を制御接続の相手に限ってください（vsftpd: port_promiscuous=NO）。",
		"PORT naming "+b.Target+", an address other than the client's, was accepted ("+b.PortReply+"). "+what.EN+" The server can be used to attack or scan other hosts; restrict PORT to the control connection's peer (vsftpd: port_promiscuous=NO).")
	return f
}

// versionFinding: ftp.version-disclosure.
func versionFinding(o *Observation) *checks.Finding {
	if !o.Greeted {
		return nil
	}
	f := &checks.Finding{ID: "ftp.version-disclosure", Evidence: []string{evControl}}
	if o.Version != "" {
		what := o.Product + " " + o.Version
		f.Outcome, f.Severity = checks.Fail, checks.SevLow
		f.Title = checks.T("ソフトウェアのバージョンが表示されています: "+o.label()+" ("+what+")", "Software version disclosed: "+o.label()+" ("+what+")")
		f.Detail = checks.T(
			"表示箇所: "+o.From+"。製品名とバージョンは既知の脆弱性を狙う攻撃の手がかりになります。バナーを変更してください（vsftpd: ftpd_banner、ProFTPD: ServerIdent off）。",
			"Shown in: "+o.From+". A product and version point attackers to known vulnerabilities; change the banner (vsftpd: ftpd_banner, ProFTPD: ServerIdent off).")
		return f
	}
	f.Outcome = checks.Pass
	f.Title = checks.T("バージョンは表示されていません: "+o.label(), "No version disclosed: "+o.label())
	named := checks.T("製品名も表示されていません。", "No product is named either.")
	if o.Product != "" {
		named = checks.T("製品名 "+o.Product+" は表示されています（"+o.From+"）。", "The product "+o.Product+" is named ("+o.From+").")
	}
	f.Detail = checks.T(fmt.Sprintf("バナー、SYST、STAT にバージョンは含まれていませんでした。%s", named.JA), "The banner, SYST and STAT carry no version. "+named.EN)
	return f
}
