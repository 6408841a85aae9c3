package web

// findingText holds the titles of a template-fed finding: the failure (followed by the
// path), why it matters, and the pass.
type findingText struct {
	failJA, failEN string
	whyJA, whyEN   string
	passJA, passEN string
}

// findingTexts are the texts of the findings the templates feed, by finding ID.
var findingTexts = map[string]findingText{
	"web.dir-listing": {
		"ディレクトリの一覧が表示される", "Directory listing enabled",
		"サーバが生成したファイル一覧のページが返された。公開を意図しないファイルの存在と名前が分かる", "The server returned a generated index of the directory's files, which shows files never meant to be linked",
		"調べたディレクトリで一覧は表示されない", "No directory listing on the directories checked",
	},
	"web.sample-cgi": {
		"サンプルCGIプログラムが残っている", "Sample CGI program present",
		"サーバに付属していたサンプルCGI（phf、test-cgi、printenv等）が応答した。既知の脆弱性や環境変数の漏えいがある", "A sample CGI program shipped with the server (phf, test-cgi, printenv, …) answered; these have known holes or disclose the environment",
		"既知のサンプルCGIプログラムは見つからない", "No known sample CGI program found",
	},
	"web.iis-sample": {
		"IISのサンプル・管理用プログラムが残っている", "IIS sample or administration program present",
		"IISに既定でインストールされるサンプルや管理用スクリプトが応答した", "A sample or administration script installed by default with IIS answered",
		"IISのサンプル・管理用プログラムは見つからない", "No IIS sample or administration program found",
	},
	"web.sample-app": {
		"アプリケーションサーバのサンプルアプリケーションが残っている", "Application server sample application present",
		"Tomcat等に付属するサンプル（リクエスト内容の表示、セッション操作）が応答した", "A sample application of Tomcat or another application server (request dump, session manipulation) answered",
		"アプリケーションサーバのサンプルは見つからない", "No application server sample found",
	},
	"web.cgi-interpreter": {
		"CGIディレクトリにインタープリタ（シェル等）が置かれている", "Interpreter or shell in a CGI directory",
		"CGIディレクトリのインタープリタは、クエリ文字列をコマンドライン引数として受け取り任意のコマンドを実行しうる。ランダムな名前には404を返すディレクトリで、この名前は実行された（200または500）", "An interpreter in a CGI directory takes the query string as its command line and can run any command; the directory answers 404 to a random name but this name ran (200 or 500)",
		"CGIディレクトリにインタープリタは見つからない", "No interpreter found in the CGI directories",
	},
	"web.sample-cgi-exploitable": {
		"サンプルCGI等で任意のコマンドが実行できる（実証済み）", "Sample CGI or interpreter runs commands (proven)",
		"--intrusiveの検査で、サンプルCGIまたはCGIディレクトリのインタープリタがこちらの指定した読み取り専用のコマンドを実行した（/etc/passwdの内容、バージョン表示、id）", "With --intrusive, a sample CGI or an interpreter in a CGI directory ran a read-only command we chose (/etc/passwd, a version banner, id)",
		"サンプルCGI・インタープリタでのコマンド実行はできなかった", "No sample CGI or interpreter ran our commands",
	},
	"web.server-status": {
		"サーバの稼働状況ページが公開されている", "Server status page exposed",
		"mod_status等のページが、接続元アドレスやアクセス中のURL（セッションIDを含むことがある）を表示する", "mod_status (or nginx's stub_status) shows client addresses and the URLs being requested, sometimes with session IDs",
		"サーバの稼働状況ページは公開されていない", "No server status page exposed",
	},
	"web.server-info": {
		"サーバの設定情報ページが公開されている", "Server information page exposed",
		"mod_infoのページがサーバの設定全体とモジュールを表示する", "mod_info shows the server's whole configuration and modules",
		"サーバの設定情報ページは公開されていない", "No server information page exposed",
	},
	"web.phpinfo": {
		"phpinfo()のページが公開されている", "phpinfo() page exposed",
		"phpinfo()がPHPのバージョン、モジュール、パス、環境変数を表示する", "phpinfo() shows PHP's version, modules, paths and environment variables",
		"phpinfo()のページは見つからない", "No phpinfo() page found",
	},
	"web.default-page": {
		"インストール時のデフォルトページが表示される", "Default installation page served",
		"Webサーバのインストール直後のページやマニュアルが残っており、初期設定のまま運用されている可能性がある", "The page a web server shows right after installation (or its manual) is still there: the server may run with its default settings",
		"デフォルトページは表示されない", "No default installation page",
	},
	"web.trace": {
		"TRACEメソッドが有効（クロスサイトトレーシング）", "TRACE enabled (cross-site tracing)",
		"TRACEへの応答に、送ったマーカーのヘッダがそのまま含まれていた。ブラウザのCookie等が読み取られうる", "The answer to TRACE echoed the marker header we sent; a browser's cookies and credentials can be read back this way",
		"TRACEメソッドは無効", "TRACE disabled",
	},
	"web.webdav": {
		"WebDAVが有効（PROPFINDに207応答）", "WebDAV enabled (PROPFIND answered 207)",
		"PROPFINDに207 Multi-Statusが返された。WebDAVでのファイル操作が可能な可能性がある", "PROPFIND got 207 Multi-Status: files may be managed over WebDAV",
		"WebDAVは無効（PROPFINDは受け付けられない）", "WebDAV disabled (PROPFIND not accepted)",
	},
	"web.any-method": {
		"未定義のHTTPメソッドを受け付ける", "Unknown HTTP method accepted",
		"存在しないメソッド名に2xxが返された。メソッドの制限が行われていない", "A made-up method name got a 2xx answer: methods are not restricted",
		"未定義のHTTPメソッドは拒否される", "Unknown HTTP methods are refused",
	},
	"web.vcs-exposed": {
		"バージョン管理のメタデータがURLで取得できる", "Version control metadata reachable by URL",
		"Git等のメタデータから、サイトのソースコード、履歴、コミットされた秘密情報を復元できる", "From Git (or Subversion, …) metadata anyone can rebuild the site's source, its history and any secret ever committed",
		"バージョン管理のメタデータはURLで取得できない", "No version control metadata reachable by URL",
	},
	"web.exposed-file": {
		"公開すべきでないファイルがURLで取得できる", "File that should not be public reachable by URL",
		"設定ファイル、鍵、ダンプ、アーカイブ、ログ等、内容から判別できるファイルが返された", "A configuration file, key, dump, archive, log or the like, recognised by its content, was returned",
		"既知の重要ファイル（設定、鍵、ダンプ、アーカイブ、ログ等）はURLで取得できない", "No known sensitive file (configuration, key, dump, archive, log, …) reachable by URL",
	},
}
