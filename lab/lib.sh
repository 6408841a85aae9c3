# shellcheck shell=bash disable=SC2034
# lab/lib.sh — shared by lab/up, lab/down and lab/status (sourced, not run).
#
# Every server of the lab has a name (SERVERS below) and is described by server_info,
# which sets S_EXE (the executable's basename, checked against /proc/PID/exe so a reused
# pid is never signalled), S_DIR (its state directory under $LAB_DIR), S_PIDFILE, S_IP,
# S_PORT, S_SIG (the signal that stops it cleanly) and S_LOG.

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env
. "$LAB_SRC/env"
LAB_CONF=$LAB_SRC/conf

# Start order; lab/down stops in reverse.
SERVERS=(named nsd apache-ecshop apache-safe-shop lighttpd sshd-ecshop sshd-safe-shop postgres
	dovecot-ecshop dovecot-safe-shop postfix-ecshop postfix-safe-shop sendmail
	vsftpd-ecshop vsftpd-safe-shop)

# How long a server may take to start or to stop, in seconds.
WAIT_SECONDS=${ECSCAN_LAB_WAIT:-30}

say() { echo "lab: $*"; }
die() {
	echo "lab: error: $*" >&2
	exit 1
}

# server_info NAME: set the S_* variables for NAME.
server_info() {
	S_NAME=$1
	case $1 in
	named) S_EXE=named S_DIR=$LAB_DIR/bind S_IP=$LAB_DNS_IP S_PORT=53 S_SIG=TERM
		S_PIDFILE=$S_DIR/named.pid S_LOG=$S_DIR/named.log ;;
	nsd) S_EXE=nsd S_DIR=$LAB_DIR/nsd S_IP=$LAB_SAFE_DNS_IP S_PORT=53 S_SIG=TERM
		S_PIDFILE=$S_DIR/nsd.pid S_LOG=$S_DIR/nsd.log ;;
	apache-ecshop | apache-safe-shop)
		S_EXE=apache2 S_DIR=$LAB_DIR/apache/${1#apache-} S_PORT=80 S_SIG=TERM
		S_PIDFILE=$S_DIR/apache2.pid S_LOG=$S_DIR/logs/error.log
		if [ "$1" = apache-ecshop ]; then S_IP=$LAB_WEB_IP; else S_IP=$LAB_SAFE_WEB_IP; fi ;;
	lighttpd) S_EXE=lighttpd S_DIR=$LAB_DIR/lighttpd S_IP=$LAB_LEGACY_IP S_PORT=443 S_SIG=TERM
		S_PIDFILE=$S_DIR/lighttpd.pid S_LOG=$S_DIR/logs/error.log ;;
	sshd-ecshop | sshd-safe-shop)
		S_EXE=sshd S_DIR=$LAB_DIR/ssh/${1#sshd-} S_PORT=22 S_SIG=TERM
		S_PIDFILE=$S_DIR/sshd.pid S_LOG=$S_DIR/sshd.log
		if [ "$1" = sshd-ecshop ]; then S_IP=$LAB_SSH_IP; else S_IP=$LAB_SAFE_SSH_IP; fi ;;
	postgres) S_EXE=postgres S_DIR=$LAB_DIR/postgres S_IP=$LAB_DB_IP S_PORT=5432 S_SIG=INT
		S_PIDFILE=$S_DIR/postgres.pid S_LOG=$S_DIR/postgres.log ;;
	dovecot-ecshop | dovecot-safe-shop)
		S_EXE=dovecot S_DIR=$LAB_DIR/dovecot/${1#dovecot-} S_PORT=143 S_SIG=TERM
		S_PIDFILE=$S_DIR/run/master.pid S_LOG=$S_DIR/dovecot.log
		if [ "$1" = dovecot-ecshop ]; then S_IP=$LAB_MAIL_IP; else S_IP=$LAB_SAFE_MAIL_IP; fi ;;
	postfix-ecshop | postfix-safe-shop)
		S_EXE=master S_DIR=$LAB_DIR/postfix/${1#postfix-} S_PORT=25 S_SIG=TERM
		S_PIDFILE=$S_DIR/spool/pid/master.pid S_LOG=$S_DIR/postfix.log
		if [ "$1" = postfix-ecshop ]; then S_IP=$LAB_MAIL_IP; else S_IP=$LAB_SAFE_MAIL_IP; fi ;;
	sendmail) S_EXE=sendmail S_DIR=$LAB_DIR/sendmail S_IP=$LAB_MAIL2_IP S_PORT=25 S_SIG=TERM
		S_PIDFILE=$S_DIR/sendmail.pid S_LOG=$S_DIR/start.log ;;
	vsftpd-ecshop | vsftpd-safe-shop)
		S_EXE=vsftpd S_DIR=$LAB_DIR/vsftpd/${1#vsftpd-} S_PORT=21 S_SIG=TERM
		S_PIDFILE=$S_DIR/vsftpd.pid S_LOG=$S_DIR/vsftpd.log
		if [ "$1" = vsftpd-ecshop ]; then S_IP=$LAB_FTP_IP; else S_IP=$LAB_SAFE_FTP_IP; fi ;;
	*) die "unknown server $1" ;;
	esac
}

# pid_alive PID: true while the process exists and is not a zombie (PID 1 here may take a
# while to reap what it inherits).
pid_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# server_pid: print the live pid of the current server (server_info first), or fail.
server_pid() {
	local pid exe
	[ -r "$S_PIDFILE" ] || return 1
	pid=$(head -n1 "$S_PIDFILE" | tr -dc 0-9)
	[ -n "$pid" ] && pid_alive "$pid" || return 1
	exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
	exe=${exe% (deleted)}
	[ "${exe##*/}" = "$S_EXE" ] || return 1
	echo "$pid"
}

# tcp_open IP PORT: true when something accepts a TCP connection there.
tcp_open() {
	timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# http_code [CURL-ARGS...] URL: the HTTP status code curl gets (000 when none).
http_code() {
	curl -s --noproxy '*' --max-time 3 -o /dev/null -w '%{http_code}' "$@" 2>/dev/null
}

# greets IP PORT PATTERN: true when the server's first line there matches PATTERN (ERE).
greets() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && IFS= read -r line <&3 && printf "%s\n" "$line"' \
		"$1" "$2" 2>/dev/null | grep -E -- "$3" >/dev/null
}

# tls_answers IP PORT: true when a TLS handshake succeeds there (any certificate).
tls_answers() {
	timeout 5 openssl s_client -connect "$1:$2" </dev/null 2>/dev/null | grep -q '^New, TLSv1'
}

# dns_has_soa ZONE: true when the current server answers ZONE's SOA (over UDP).
dns_has_soa() {
	dig +time=1 +tries=1 +noall +answer "@$S_IP" -p "$S_PORT" "$1" SOA 2>/dev/null |
		grep "^$1\.[[:space:]].*[[:space:]]SOA[[:space:]]" >/dev/null
}

# server_answers: true when the current server answers its protocol.
server_answers() {
	case $S_NAME in
	named) dns_has_soa "$LAB_ZONE" ;;
	nsd) dns_has_soa "$LAB_SAFE_ZONE" ;;
	apache-*)
		# Port 80 serves the shop (ecshop) or redirects to https (safe-shop); 443 serves it.
		case $(http_code "http://$S_IP:$S_PORT/") in 200 | 301) ;; *) return 1 ;; esac
		[ "$(http_code -k "https://$S_IP:443/")" = 200 ] ;;
	lighttpd) [ "$(http_code -k "https://$S_IP:$S_PORT/")" = 200 ] ;;
	sshd-*) ssh-keyscan -T 3 -p "$S_PORT" "$S_IP" 2>/dev/null | grep "^$S_IP " >/dev/null ;;
	postgres)
		[ "$(PGPASSWORD=$LAB_DB_PASSWORD PGCONNECT_TIMEOUT=3 psql -X -At \
			"host=$S_IP port=$S_PORT user=$LAB_DB_USER dbname=$LAB_DB_NAME" \
			-c 'select 1' 2>/dev/null)" = 1 ] ;;
	dovecot-*)
		greets "$S_IP" 143 '^\* OK ' && greets "$S_IP" 110 '^\+OK ' &&
			{ [ "$S_NAME" = dovecot-ecshop ] || { tls_answers "$S_IP" 993 && tls_answers "$S_IP" 995; }; } ;;
	postfix-* | sendmail) greets "$S_IP" 25 '^220 ' &&
		{ [ "$S_NAME" = sendmail ] || greets "$S_IP" 587 '^220 '; } ;;
	vsftpd-*) greets "$S_IP" 21 '^220 ' ;;
	esac
}

# stop_server NAME: stop it by its pid file (signal, wait, then KILL); remove the pid file.
stop_server() {
	server_info "$1"
	local pid i
	if ! pid=$(server_pid); then
		[ -e "$S_PIDFILE" ] && say "$1: removing stale pid file $S_PIDFILE"
		rm -f "$S_PIDFILE"
		return 0
	fi
	say "$1: stopping pid $pid"
	kill "-$S_SIG" "$pid" 2>/dev/null || true
	for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
		pid_alive "$pid" || break
		sleep 0.1
	done
	if pid_alive "$pid"; then
		say "$1: pid $pid ignored SIG$S_SIG; killing"
		# The daemons lead their own process group: take their workers too.
		if [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; then
			kill -KILL -- "-$pid" 2>/dev/null || true
		fi
		kill -KILL "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			pid_alive "$pid" || break
			sleep 0.1
		done
	fi
	rm -f "$S_PIDFILE"
}

# render SRC DST [KEY=VALUE...]: copy a template, replacing @KEY@ by VALUE for the given
# pairs and every LAB_* variable of lab/env; fail on any placeholder left over.
render() {
	local src=$1 dst=$2 script='' pair key val
	shift 2
	for pair in "$@" $(compgen -v LAB_); do
		key=${pair%%=*}
		if [[ $pair == *=* ]]; then val=${pair#*=}; else val=${!key}; fi
		val=$(printf '%s' "$val" | sed 's/[|&\\]/\\&/g')
		script+="s|@${key}@|${val}|g;"
	done
	mkdir -p "$(dirname "$dst")"
	sed -e "$script" "$src" >"$dst.tmp"
	if grep -n '@[A-Z][A-Z0-9_]*@' "$dst.tmp" >&2; then
		rm -f "$dst.tmp"
		die "unreplaced placeholder in $src"
	fi
	mv "$dst.tmp" "$dst"
}

# tree_hash DIR...: a digest of the files under the directories (config change detection).
tree_hash() {
	find "$@" -type f -print0 | sort -z |
		xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# show_log FILE: print the tail of a server's log to stderr.
show_log() {
	{
		echo "---- last lines of $1 ----"
		tail -n 60 "$1" 2>/dev/null || echo "(no log)"
		echo "----"
	} >&2
}
