# shellcheck shell=bash
# lab/pki.sh — the lab CA and the servers' certificates (sourced by lab/up after lib.sh).
#
# $LAB_CA_DIR (default /tmp/ecscan-lab/ca) holds, once created:
#   ca.pem, private/ca.key                 the root CA (what scans get as --ca-bundle)
#   intermediate.pem, private/…key         an intermediate CA signed by the root
#   certs/NAME.pem, NAME.key               a server certificate (leaf only) and its key
#   certs/NAME.chain.pem                   the leaf followed by the intermediate, if any
#   certs/NAME.meta                        how it was issued (a changed line re-issues it)
#   ocsp/NAME.der                          an OCSP response ("good") for NAME, signed by the
#                                          intermediate, 30 days valid, refreshed daily by
#                                          lab/up (the hardened twin's apache staples it)
# The root and the intermediate are created once; `rm -rf "$LAB_CA_DIR"` starts over (and
# lab/up then restarts every TLS server, whose config dirs hold copies of their files).
# Valid certificates are re-issued when they would expire within 30 days; the expired one
# stays expired.

# Server certificates: "NAME CA KEY VALIDITY SAN". CA is root, int or self (self-signed with
# SHA-1), KEY rsa, rsa1024 or ec, VALIDITY valid (397 days from issue) or expired (notAfter
# 30 days ago; root or int only).
LAB_CERTS=(
	"www.$LAB_ZONE root rsa expired DNS:www.$LAB_ZONE,DNS:$LAB_ZONE"
	"mail.$LAB_ZONE root rsa valid DNS:mail.$LAB_ZONE"
	"www.$LAB_SAFE_ZONE int ec valid DNS:www.$LAB_SAFE_ZONE,DNS:$LAB_SAFE_ZONE"
	"mail.$LAB_SAFE_ZONE int rsa valid DNS:mail.$LAB_SAFE_ZONE"
	"ftp.$LAB_SAFE_ZONE int rsa valid DNS:ftp.$LAB_SAFE_ZONE"
	"legacy.$LAB_ZONE self rsa1024 valid DNS:legacy.$LAB_ZONE"
)

# pki_openssl ARGS...: openssl with the lab CA's configuration; output to $LAB_CA_DIR/pki.log.
pki_openssl() {
	if ! openssl "$@" >>"$LAB_CA_DIR/pki.log" 2>&1; then
		show_log "$LAB_CA_DIR/pki.log"
		die "pki: openssl $1 failed"
	fi
}

# pki_newkey TYPE FILE: a private key (rsa: 2048 bits, rsa1024, ec: P-256; root and
# intermediate: rsa3072).
pki_newkey() {
	local opts
	case $1 in
	rsa) opts=(-algorithm RSA -pkeyopt rsa_keygen_bits:2048) ;;
	rsa3072) opts=(-algorithm RSA -pkeyopt rsa_keygen_bits:3072) ;;
	rsa1024) opts=(-algorithm RSA -pkeyopt rsa_keygen_bits:1024) ;;
	ec) opts=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256) ;;
	esac
	(umask 077 && pki_openssl genpkey "${opts[@]}" -out "$2")
}

# pki_db DIR: an empty openssl-ca database.
pki_db() {
	mkdir -p "$1/newcerts"
	: >"$1/index.txt"
	openssl rand -hex 16 >"$1/serial"
}

# pki_create_cas: the root and the intermediate CA (replacing whatever was there).
pki_create_cas() {
	local d=$LAB_CA_DIR cnf=$LAB_CA_DIR/openssl.cnf
	say "pki: creating the lab CA in $d"
	rm -rf "$d/root" "$d/int" "$d/private" "$d/certs" "$d/ca.pem" "$d/intermediate.pem"
	mkdir -p "$d/private" "$d/certs"
	chmod 700 "$d/private"
	pki_db "$d/root"
	pki_db "$d/int"
	pki_newkey rsa3072 "$d/private/ca.key"
	pki_openssl req -config "$cnf" -new -x509 -key "$d/private/ca.key" -sha256 -days 3650 \
		-subj "/O=ecscan lab/CN=ecscan lab root CA" -extensions root_ext -out "$d/ca.pem"
	pki_newkey rsa3072 "$d/private/intermediate.key"
	pki_openssl req -config "$cnf" -new -key "$d/private/intermediate.key" \
		-subj "/O=ecscan lab/CN=ecscan lab intermediate CA" -out "$d/int/intermediate.csr"
	pki_openssl ca -config "$cnf" -batch -notext -name root_ca -extensions int_ext -days 1825 \
		-in "$d/int/intermediate.csr" -out "$d/intermediate.pem"
}

# pki_issue NAME CA KEY VALIDITY SAN: (re-)issue the certificate of NAME when missing, issued
# differently, or (valid ones) expiring within 30 days.
pki_issue() {
	local name=$1 ca=$2 key=$3 validity=$4 san=$5 d=$LAB_CA_DIR/certs
	local meta="$ca $key $validity $san" dates
	if [ -s "$d/$name.pem" ] && [ "$(cat "$d/$name.meta" 2>/dev/null)" = "$meta" ] &&
		{ [ "$validity" = expired ] || openssl x509 -checkend 2592000 -noout -in "$d/$name.pem" >/dev/null; }; then
		return 0
	fi
	say "pki: issuing $name ($validity, $key, $([ "$ca" = self ] && echo self-signed || echo "signed by the $ca CA"))"
	pki_newkey "$key" "$d/$name.key"
	if [ "$ca" = self ]; then
		LAB_CERT_SAN=$san pki_openssl req -config "$LAB_CA_DIR/openssl.cnf" -new -x509 -sha1 -days 397 \
			-key "$d/$name.key" -subj "/O=ecscan lab/CN=$name" -extensions server_self_ext -out "$d/$name.pem"
		cp "$d/$name.pem" "$d/$name.chain.pem"
		echo "$meta" >"$d/$name.meta"
		return 0
	fi
	pki_openssl req -config "$LAB_CA_DIR/openssl.cnf" -new -key "$d/$name.key" \
		-subj "/O=ecscan lab/CN=$name" -out "$d/$name.csr"
	if [ "$validity" = expired ]; then
		dates=(-startdate "$(date -u -d '-395 days' +%Y%m%d%H%M%SZ)" -enddate "$(date -u -d '-30 days' +%Y%m%d%H%M%SZ)")
	else
		dates=(-startdate "$(date -u -d '-1 hour' +%Y%m%d%H%M%SZ)" -days 397)
	fi
	LAB_CERT_SAN=$san pki_openssl ca -config "$LAB_CA_DIR/openssl.cnf" -batch -notext \
		-name "${ca}_ca" -extensions "server_${key}_ext" "${dates[@]}" -in "$d/$name.csr" -out "$d/$name.pem"
	if [ "$ca" = int ]; then
		cat "$d/$name.pem" "$LAB_CA_DIR/intermediate.pem" >"$d/$name.chain.pem"
	else
		cp "$d/$name.pem" "$d/$name.chain.pem"
	fi
	rm -f "$d/$name.csr"
	echo "$meta" >"$d/$name.meta"
}

# Certificates with a stapled OCSP response.
LAB_OCSP_CERTS=("www.$LAB_SAFE_ZONE")

# pki_ocsp NAME: (re-)sign NAME's OCSP response when missing, older than a day or older
# than the certificate. Offline: openssl ocsp makes the request and answers it from the
# intermediate CA's database.
pki_ocsp() {
	local d=$LAB_CA_DIR name=$1 out=$LAB_CA_DIR/ocsp/$1.der
	if [ -s "$out" ] && [ "$out" -nt "$d/certs/$name.pem" ] && [ -z "$(find "$out" -mmin +1440)" ]; then
		return 0
	fi
	mkdir -p "$d/ocsp"
	pki_openssl ocsp -issuer "$d/intermediate.pem" -cert "$d/certs/$name.pem" -no_nonce -reqout "$d/ocsp/$name.req"
	pki_openssl ocsp -index "$d/int/index.txt" -CA "$d/intermediate.pem" -rsigner "$d/intermediate.pem" \
		-rkey "$d/private/intermediate.key" -reqin "$d/ocsp/$name.req" -respout "$out.tmp" -ndays 30
	mv "$out.tmp" "$out"
	rm -f "$d/ocsp/$name.req"
	chmod 644 "$out"
}

# ensure_pki: the CA (once), every server certificate of LAB_CERTS, the OCSP responses.
ensure_pki() {
	local entry
	mkdir -p "$LAB_CA_DIR"
	chmod 755 "$LAB_CA_DIR"
	: >"$LAB_CA_DIR/pki.log"
	render "$LAB_CONF/ca/openssl.cnf.in" "$LAB_CA_DIR/openssl.cnf"
	if [ ! -s "$LAB_CA_DIR/ca.pem" ] || [ ! -s "$LAB_CA_DIR/private/ca.key" ] ||
		[ ! -s "$LAB_CA_DIR/intermediate.pem" ] || [ ! -s "$LAB_CA_DIR/private/intermediate.key" ]; then
		pki_create_cas
	fi
	for entry in "${LAB_CERTS[@]}"; do
		# shellcheck disable=SC2086
		pki_issue $entry
	done
	for entry in "${LAB_OCSP_CERTS[@]}"; do
		pki_ocsp "$entry"
	done
}

# install_cert NAME: copy NAME's certificate chain and key into $CONF_DIR/tls/ (NAME.pem,
# NAME.key), so that a re-issued certificate changes the server's config hash.
install_cert() {
	local d=$LAB_CA_DIR/certs
	[ -s "$d/$1.chain.pem" ] || die "pki: no certificate for $1"
	mkdir -p "$CONF_DIR/tls"
	cp "$d/$1.chain.pem" "$CONF_DIR/tls/$1.pem"
	(umask 077 && cp "$d/$1.key" "$CONF_DIR/tls/$1.key")
	chmod 644 "$CONF_DIR/tls/$1.pem"
}
