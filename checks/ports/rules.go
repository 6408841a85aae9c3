package ports

import (
	"fmt"
	"strings"

	"ecscan/checks"
)

// categoryRule is one exposure finding: which categories fail it and how badly, its
// texts, and the usual ports whose scanning allows a pass.
type categoryRule struct {
	id             string
	cats           map[category]checks.Severity
	outcome        checks.Outcome // Fail, or Info for a fact (SSH reachable)
	failJA, failEN string
	passJA, passEN string
	adviceJA       string
	adviceEN       string
	usual          []int
}

func (r categoryRule) detail(po PortObservation) checks.Text {
	ja, en := r.adviceJA, r.adviceEN
	if po.Service.Protocol == "unknown" {
		ja = "サービスは識別できませんでしたが、ポート番号から判断しました。" + ja
		en = "The service was not identified; judged by its port number. " + en
	}
	if po.Service.Protocol == "ftp" && po.Service.StartTLS {
		ja += "（AUTH TLS は提示されていますが、平文ログインを拒否するかは FTP チェックで確かめます。）"
		en += " (AUTH TLS is offered; whether cleartext login is refused is for the FTP check.)"
	}
	return checks.T(ja, en)
}

var categoryRules = []categoryRule{
	{
		id: "ports.cleartext-admin", outcome: checks.Fail,
		cats:   map[category]checks.Severity{catTelnet: checks.SevHigh, catFTP: checks.SevMedium},
		failJA: "暗号化されない管理・転送サービスが公開されています", failEN: "Cleartext administration or transfer service exposed",
		passJA: "Telnet と平文の FTP は開いていません", passEN: "Neither Telnet nor cleartext FTP is open",
		adviceJA: "Telnet と FTP はパスワードも内容も暗号化せずに送ります。Telnet は停止して鍵認証の SSH に、FTP は SFTP か TLS 必須の FTPS に切り替えてください。",
		adviceEN: "Telnet and FTP send passwords and data in cleartext. Replace Telnet with key-based SSH, and FTP with SFTP or FTPS with TLS required.",
		usual:    []int{21, 23},
	},
	{
		id: "ports.database", outcome: checks.Fail,
		cats:   map[category]checks.Severity{catDatabase: checks.SevHigh},
		failJA: "データベースがインターネットから到達可能です", failEN: "Database reachable from the Internet",
		passJA: "データベースのポートは開いていません", passEN: "No database port is open",
		adviceJA: "データベースには Web アプリケーションのサーバーからだけ接続できるようにし、それ以外はファイアウォールで遮断してください。",
		adviceEN: "A database should accept connections from the application servers only; block everything else at the firewall.",
		usual:    []int{1433, 1521, 3306, 5432, 5984, 27017},
	},
	{
		id: "ports.cache", outcome: checks.Fail,
		cats:   map[category]checks.Severity{catCache: checks.SevHigh},
		failJA: "キャッシュサーバーがインターネットから到達可能です", failEN: "Cache server reachable from the Internet",
		passJA: "キャッシュサーバーのポートは開いていません", passEN: "No cache server port is open",
		adviceJA: "Redis や memcached は認証なしで動いていることが多く、データの読み出しや改ざん、攻撃の踏み台に使われます。内部のアドレスだけで待ち受けてください。",
		adviceEN: "Redis and memcached often run without authentication: data can be read or altered and the server abused. Listen on internal addresses only.",
		usual:    []int{6379, 11211},
	},
	{
		id: "ports.search", outcome: checks.Fail,
		cats:   map[category]checks.Severity{catSearch: checks.SevHigh},
		failJA: "検索エンジンがインターネットから到達可能です", failEN: "Search engine reachable from the Internet",
		passJA: "検索エンジン (Elasticsearch・Kibana) のポートは開いていません", passEN: "No search engine (Elasticsearch, Kibana) port is open",
		adviceJA: "公開された Elasticsearch や Kibana からは、登録された顧客情報などがそのまま読み出されるおそれがあります。内部ネットワークに限定し、認証を有効にしてください。",
		adviceEN: "An exposed Elasticsearch or Kibana can give away what it indexes, such as customer records. Keep it internal and turn authentication on.",
		usual:    []int{5601, 9200, 9300},
	},
	{
		id: "ports.file-sharing", outcome: checks.Fail,
		cats:   map[category]checks.Severity{catFileSharing: checks.SevHigh},
		failJA: "ファイル共有サービスがインターネットから到達可能です", failEN: "File-sharing service reachable from the Internet",
		passJA: "ファイル共有 (SMB・NFS・rpcbind) のポートは開いていません", passEN: "No file-sharing (SMB, NFS, rpcbind) port is open",
		adviceJA: "SMB、NFS、rpcbind はインターネットに公開するものではありません。ファイアウォールで遮断してください。",
		adviceEN: "SMB, NFS and rpcbind are not meant for the Internet; block them at the firewall.",
		usual:    []int{111, 139, 445, 2049},
	},
	{
		id: "ports.remote-desktop", outcome: checks.Fail,
		cats:   map[category]checks.Severity{catRemoteDesktop: checks.SevHigh},
		failJA: "リモートデスクトップがインターネットから到達可能です", failEN: "Remote desktop reachable from the Internet",
		passJA: "リモートデスクトップ (RDP・VNC) のポートは開いていません", passEN: "No remote desktop (RDP, VNC) port is open",
		adviceJA: "RDP や VNC はパスワードの総当たりや脆弱性攻撃の標的になります。VPN 経由でのみ使えるようにしてください。",
		adviceEN: "RDP and VNC draw password guessing and exploits; make them reachable through a VPN only.",
		usual:    []int{3389, 5900},
	},
	{
		id: "ports.admin-console", outcome: checks.Fail,
		cats:   map[category]checks.Severity{catAdminConsole: checks.SevMedium},
		failJA: "管理画面または開発用サーバーが到達可能です", failEN: "Admin console or development server reachable",
		passJA: "管理画面・開発用サーバーの代表的なポートは開いていません", passEN: "No usual admin console or development server port is open",
		adviceJA: "開発用サーバーや管理コンソール（Docker API、Jenkins、Webmin、RabbitMQ など）は公開せず、接続元を制限してください。",
		adviceEN: "Development servers and admin consoles (Docker API, Jenkins, Webmin, RabbitMQ, …) should not be public; restrict who can connect.",
		usual:    []int{2375, 2376, 3000, 5000, 7001, 8080, 8081, 8888, 9000, 9090, 10000, 15672, 50000},
	},
	{
		id: "ports.remote-admin", outcome: checks.Info,
		cats:   map[category]checks.Severity{catSSH: checks.SevInfo},
		failJA: "SSH が到達可能です", failEN: "SSH reachable",
		passJA: "リモート管理用の SSH ポートは開いていません", passEN: "No remote administration (SSH) port is open",
		adviceJA: "SSH は接続元を制限し、鍵認証だけを許可するのが望ましい運用です。認証方式とアルゴリズムは ssh.password-auth と ssh.weak-algorithms を見てください。",
		adviceEN: "SSH is best restricted by source address and to key authentication; see ssh.password-auth and ssh.weak-algorithms.",
		usual:    []int{22},
	},
}

// ssh emits ssh.password-auth and ssh.weak-algorithms for an SSH service.
func (e *evaluator) ssh(po PortObservation) {
	if po.Service.Protocol != "ssh" || po.SSH == nil {
		return
	}
	if a := po.SSH.Auth; a != nil && a.Status == checks.StatusOK {
		e.add(passwordFinding(po, a))
	}
	if k := po.SSH.KexInit; k != nil {
		e.add(weakFinding(po, k))
	}
}

func passwordFinding(po PortObservation, a *SSHAuth) checks.Finding {
	f := checks.Finding{ID: "ssh.password-auth", Port: po.Port, Subject: subject(po.Port), Evidence: []string{evPort(po.Port)}}
	methods := strings.Join(a.Methods, ", ")
	note := checks.T("（認証情報は一切送っていません。）", " (No credential was sent.)")
	switch {
	case a.NoneAccepted:
		f.Outcome, f.Severity = checks.Fail, checks.SevHigh
		f.Title = checks.T("SSH が認証なしで接続を受け入れます: "+label(po), "SSH lets anyone in without authentication: "+label(po))
		f.Detail = checks.T("\"none\" 認証で接続が成立しました。直ちに認証を必須にしてください。"+note.JA, "The \"none\" authentication succeeded. Require authentication at once."+note.EN)
	case a.PasswordPrompted():
		f.Outcome, f.Severity = checks.Fail, checks.SevMedium
		f.Title = checks.T("SSH がパスワード認証を受け付けます: "+label(po), "SSH accepts password authentication: "+label(po))
		f.Detail = checks.T(
			fmt.Sprintf("サーバーが提示した認証方式: %s。パスワードは総当たり攻撃の対象になります。PasswordAuthentication no（および KbdInteractiveAuthentication no）にして鍵認証だけにしてください。%s", methods, note.JA),
			fmt.Sprintf("Methods the server offers: %s. Passwords can be guessed; set PasswordAuthentication no (and KbdInteractiveAuthentication no) to allow keys only.%s", methods, note.EN))
	default:
		f.Outcome = checks.Pass
		f.Title = checks.T("SSH はパスワード認証を受け付けません: "+label(po), "SSH does not accept passwords: "+label(po))
		f.Detail = checks.T("サーバーが提示した認証方式: "+methods+"。"+note.JA, "Methods the server offers: "+methods+"."+note.EN)
	}
	return f
}

func weakFinding(po PortObservation, k *KexInit) checks.Finding {
	f := checks.Finding{ID: "ssh.weak-algorithms", Port: po.Port, Subject: subject(po.Port), Evidence: []string{evPort(po.Port)}}
	weak := weakSSH(k)
	if len(weak) == 0 {
		f.Outcome = checks.Pass
		f.Title = checks.T("SSH サーバーは弱いアルゴリズムを提示していません: "+label(po), "SSH server offers no weak algorithm: "+label(po))
		f.Detail = checks.T("鍵交換: "+strings.Join(k.Kex, ", "), "Key exchange: "+strings.Join(k.Kex, ", "))
		return f
	}
	list := strings.Join(weak, ", ")
	f.Outcome, f.Severity = checks.Fail, checks.SevLow
	f.Title = checks.T("SSH サーバーが弱いアルゴリズムを提示しています: "+label(po), "SSH server offers weak algorithms: "+label(po))
	f.Detail = checks.T(
		"弱いアルゴリズム: "+list+"。SHA-1 や MD5、CBC モード、3DES・RC4、ssh-rsa・ssh-dss の署名は sshd_config の KexAlgorithms、HostKeyAlgorithms、Ciphers、MACs から外してください。",
		"Weak: "+list+". Remove SHA-1, MD5, CBC modes, 3DES/RC4 and ssh-rsa/ssh-dss signatures from KexAlgorithms, HostKeyAlgorithms, Ciphers and MACs in sshd_config.")
	return f
}
