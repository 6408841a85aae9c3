// Package web is the check of the web servers. For every HTTP and HTTPS service of the
// service map (checks.Service with Protocol "http"; TLS marks HTTPS) it makes a few requests
// of its own, then runs ecscan's nuclei templates (configs/templates) on all of them in one
// nuclei engine, and, with --intrusive, a write test.
//
// # Targets
//
// Each service becomes a root URL with the service's host name, so that Host headers and SNI
// are right: http://www.example.jp, https://www.example.jp, http://www.example.jp:8080. A
// host that has the same port on several addresses is scanned once, on its first address.
// Without Config.AllowPrivate a target on a private or loopback address is skipped.
//
// # The check's own requests (Go, net/http)
//
// Connections go to the service map's address for the name (never through a resolver),
// through the scan's checks.Dialer, after the per-address rate (Config.HostRate, shared
// with nuclei). Every request has Config.Timeout as its deadline; no redirect is followed
// except on the home page within the same target (3 at most); at most 64 KB of a body and
// 32 KB of a head are read. On each target, in order:
//
//	GET /ecscan-RANDOM.html, /ecscan-RANDOM/, /cgi-bin/ecscan-RANDOM   the soft-404 baseline
//	GET /                      security headers, cookies, version in Server/X-Powered-By
//	GET the login links of the home page and /login, /login.php, /mypage/login, …
//	                           password inputs (the page's scheme, the form's action)
//
// # nuclei
//
// One engine per scan (nuclei/v3/lib), in a process of its own: the ecscan-nuclei program
// (cmd/ecscan-nuclei, package checks/web/engine), which the check starts and feeds its
// parameters on stdin, and which answers with one event per line on stdout (package wire).
// So nuclei's 700-odd packages, their start-up work (tlsx even runs `openssl version`), their
// memory, their process-wide settings and any panic stay out of ecscan's process, and a
// scan without the web check pays nothing for them. The check finds the program in
// $ECSCAN_NUCLEI, beside its own executable or on the PATH; without it, the check makes its
// own requests and records why the templates did not run. Closing stdin stops the engine;
// 5 s later its process group is killed. The embedded templates are written to a private temporary directory (0700)
// and removed afterwards; the intrusive directory only with Intrusive. Matcher status is on:
// a template that ran and did not match reports so, and that is the evidence of a pass.
//
// Containment: every connection of nuclei goes through a SOCKS5 gateway on 127.0.0.1 (an
// ephemeral port) that the check runs. The gateway connects only to the scan's web targets
// (host:port → the service map's address), through the scan's dialer, after the per-address
// rate; it refuses every other destination (a redirect to another host); it bounds each
// tunnel to 3×Timeout+5s and to 128 KB from the server. An endpoint whose answers took the
// whole Timeout 5 times (a server dripping its answers) gets no more requests, from nuclei or
// from the check. Name lookups nuclei makes on its own
// (the CNAME it adds to results) go only to Config.Resolver: fastdialer's defaults
// (/etc/resolv.conf, /etc/hosts, public resolvers, the system fallback) are switched off.
// Update check, template download, interactsh (OOB), cloud upload: off; nuclei's version
// check to api.pdtm.sh, which the SDK makes at every start whatever DisableUpdateCheck says,
// is answered in memory by a refusing transport. nuclei's log (its gologger, including the
// ".nuclei-ignore" error and stack trace of every start) goes to Config.Debug. Rates:
// nuclei's global limit is min(GlobalRate, HostRate × addresses), one token at a time; the
// per-address rate holds at the gateway because nuclei opens one connection per request
// (keep-alive off in its default spraying mode), and its template concurrency
// (Config.Concurrency) keeps the queue short enough for the request deadlines.
//
// The templates, by directory (IDs are stable: the answer rules refer to their findings):
//
//	listing/   ecscan-dir-listing-common   index pages on 42 usual directories
//	           ecscan-dir-listing-linked   a flow: GET /, extract the directories of every
//	                                       href/src (and their parents), request 20 at most
//	samples/   ecscan-sample-cgi           phf, test-cgi, printenv, nph-test-cgi, …
//	           ecscan-iis-samples          /iissamples/, /scripts/samples/, /msadc/, …
//	           ecscan-app-samples          Tomcat /examples/, snoop.jsp, …
//	           ecscan-cgi-interpreters     perl, sh, php, cmd.exe in /cgi-bin/, /scripts/
//	           ecscan-server-status, ecscan-server-info, ecscan-phpinfo, ecscan-default-page
//	methods/   ecscan-methods-options      OPTIONS /: Allow and Public (the claim)
//	           ecscan-methods-trace        TRACE / with a random marker header: echoed?
//	           ecscan-methods-webdav       PROPFIND (Depth 0) on / and upload dirs: 207?
//	           ecscan-methods-any          a random made-up method: 2xx?
//	files/     ecscan-files-vcs            /.git/HEAD, /.git/config, /.svn/entries, …
//	           ecscan-files-secrets        .env, web.config, config.php.bak, .htpasswd, keys
//	           ecscan-files-dumps, -archives, -logs, -source-backups, -server-config
//	intrusive/ ecscan-sample-cgi-exploit   phf's Qalias injection (/etc/passwd), perl -v,
//	                                       php -v, sh -c id: read-only commands
//
// Each template names its finding, severity and kind in info.metadata (ecscan-finding,
// ecscan-severity, ecscan-kind: content, reachable or method). "content" matchers need the characteristic content of what
// they look for (an index page, "ref: refs/", "-----BEGIN PRIVATE KEY", SQL statements, an
// archive's magic bytes), so a site answering 200 to everything does not match them. The
// soft-404 baseline is applied in Go after nuclei: a "reachable" match (a status code
// without characteristic content: a sample CGI answering 200, an interpreter answering 500)
// is discarded when a random path in the same place got the same status, and any match of
// a path template is discarded when its body is the random path's body (the first 2 KB,
// the paths removed). The method templates ("method") are not filtered: a made-up method
// answered with the page every path gets is exactly what web.any-method looks for.
//
// # Intrusive (Config.Intrusive or Env.Intrusive)
//
// The intrusive templates, and the write test (Go): in /, the directories where PROPFIND
// answered 207 and /uploads/, /upload/, /webdav/, /dav/, /files/ (8 at most): PUT
// ecscan-RANDOM.txt holding a random marker, GET it back; when the PUT was accepted, DELETE
// it and GET it again. A file the DELETE did not remove is named in the finding.
//
// # Findings
//
// One Result per target (Target "scheme://host:port", Data an *Observation). Passes are
// made only from templates that ran to their end without an error; a finding ID whose
// templates all failed gets no finding (not tested).
//
//	web.dir-listing            index page: fail medium per path; pass
//	web.sample-cgi             sample CGI present: fail medium per path; pass
//	web.iis-sample             IIS sample/admin script: fail medium per path; pass
//	web.sample-app             Tomcat/Jetty/JBoss sample: fail medium per path; pass
//	web.cgi-interpreter        interpreter in a CGI dir: fail high per path; pass
//	web.sample-cgi-exploitable (intrusive) command output proven: fail critical; pass
//	web.server-status          fail medium; pass
//	web.server-info            fail medium; pass
//	web.phpinfo                fail medium; pass
//	web.default-page           fail low; pass
//	web.methods-claimed        info: the Allow/Public list (risky ones named)
//	web.trace                  TRACE echoes the marker: fail medium; pass
//	web.webdav                 PROPFIND 207: fail medium per path; pass
//	web.any-method             a made-up method gets 2xx: fail low; pass
//	web.put                    (intrusive) the PUT file read back: fail high per dir; pass
//	web.delete                 (intrusive) our file deleted: fail high; refused: pass
//	web.vcs-exposed            fail high per path; pass
//	web.exposed-file           fail per path, severity from the template (keys, .env,
//	                           dumps, archives, config backups high; logs, source backups
//	                           medium; .htaccess, .DS_Store low); pass
//	web.soft-404               info: what random paths got
//	web.version-disclosure     version in Server, X-Powered-By, X-AspNet-Version, …, or
//	                           in an error page's signature: fail low per header; pass
//	web.hsts                   HTTPS only: missing fail medium; max-age < 180 days fail
//	                           low; pass
//	web.csp, web.frame-options (X-Frame-Options DENY/SAMEORIGIN or CSP frame-ancestors),
//	web.content-type-options (nosniff), web.referrer-policy (set, not unsafe-url or
//	                           no-referrer-when-downgrade): on the home page served by the
//	                           target (not a redirect away): fail low; pass
//	web.cookie-flags           per cookie missing Secure (HTTPS), HttpOnly or SameSite:
//	                           fail medium (session-like names, or no Secure on HTTPS) or
//	                           low; pass when every cookie has them
//	web.password-over-http     a password input on an http:// page, or a form posting to
//	                           http://: fail high per page; pass when all were HTTPS
//
// Evidence: "home", "baseline", "pages", "page-N" (the check's exchanges), "tpl-N" (one per
// template result: nuclei's request and response, the head and the first 4 KB of the body;
// for a template that did not match, the requests it made), "put-N", "gateway".
package web
