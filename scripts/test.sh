#!/usr/bin/env bash
# Runs every test of Fenghuo: formatting, vet, and the Go test suite against
# SQLite and PostgreSQL, with the console tests in a real headless Chromium.
# Installs what the tests need (PostgreSQL, Chromium, Node.js and npm from
# Debian packages; axe-core from the npm registry with npm ci) when it is
# missing, so it works on a fresh Debian machine.
#
# Two passes: first every package, where the store tests run each test on
# both engines and the suites built on internal/apptest (app, api, web,
# monitor) on SQLite; then apptest and those suites again with
# FENGHUO_TEST_ENGINE=postgres, each test in a fresh PostgreSQL database. The
# Chromium console tests run in both passes: the second pass costs about as
# much as the first pass of those packages, which keeps make test within a few
# minutes on 2 cores.
#
# The PostgreSQL cluster is this checkout's own (scripts/test-db.sh derives
# its directory from the checkout's path) and is stopped when the script
# ends, unless FENGHUO_TEST_POSTGRES was given from outside: then that server
# is used and left alone. FENGHUO_SKIP_POSTGRES=1 runs SQLite only.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
log() { printf '==> [%4ds] %s\n' "$(($(date +%s) - started))" "$*" >&2; }

apt_updated=""
apt_install() {
	if [ "$(id -u)" != 0 ]; then
		log "need root to install $*; install it yourself and re-run"
		return 1
	fi
	if [ -z "$apt_updated" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Chromium for the console tests.
if [ -z "${FENGHUO_TEST_CHROMIUM:-}" ]; then
	for c in chromium chromium-browser google-chrome; do
		if command -v "$c" >/dev/null 2>&1; then FENGHUO_TEST_CHROMIUM=$(command -v "$c"); break; fi
	done
	if [ -z "${FENGHUO_TEST_CHROMIUM:-}" ]; then
		log "installing Chromium (Debian package chromium)"
		apt_install chromium fonts-wqy-microhei
		FENGHUO_TEST_CHROMIUM=$(command -v chromium)
	fi
fi
export FENGHUO_TEST_CHROMIUM

# axe-core (package.json at the repository root, pinned by package-lock.json)
# for the accessibility check of every console page in Chromium
# (internal/web TestChromiumAxeEveryPage). npm ci installs exactly the locked
# version into node_modules/; Node.js and npm come from Debian when missing.
if ! command -v npm >/dev/null 2>&1; then
	log "installing Node.js and npm (Debian packages nodejs, npm) for axe-core"
	apt_install nodejs npm
fi
log "npm ci (axe-core for the accessibility tests)"
npm ci --no-audit --no-fund --loglevel=error

# poppler-utils: the PDF export tests read the generated PDF back with pdftotext.
if ! command -v pdftotext >/dev/null 2>&1; then
	log "installing poppler-utils (pdftotext) for the PDF export tests"
	apt_install poppler-utils
fi

# rsyslog with its TLS driver: the syslog receiver's tests (internal/ingest/syslogd)
# run a real rsyslogd that forwards over TCP and over TLS (gtls).
if ! dpkg -s rsyslog rsyslog-gnutls >/dev/null 2>&1; then
	log "installing rsyslog and rsyslog-gnutls for the syslog receiver tests"
	apt_install rsyslog rsyslog-gnutls
fi

# PostgreSQL: scripts/test-db.sh starts a throwaway cluster on loopback and
# prints the export line for FENGHUO_TEST_POSTGRES.
if [ -z "${FENGHUO_TEST_POSTGRES:-}" ] && [ "${FENGHUO_SKIP_POSTGRES:-}" != 1 ]; then
	# Set before the start, so a half-started cluster is removed as well;
	# INT and TERM exit through the EXIT trap.
	trap 'bash scripts/test-db.sh stop' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	eval "$(bash scripts/test-db.sh)"
fi
export FENGHUO_TEST_POSTGRES="${FENGHUO_TEST_POSTGRES:-}"

log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
	printf 'gofmt would change:\n%s\n' "$unformatted" >&2
	exit 1
fi

log "go vet"
go vet ./...

# The longest packages first: go test starts packages in the order given,
# two at a time on two cores, so the console suite (the longest by far)
# runs beside the others instead of alone at the end.
slow_first() {
	local slow="fenghuo/internal/web fenghuo/internal/store fenghuo/internal/api fenghuo/internal/server fenghuo/internal/app/demo"
	local p
	for p in $slow; do
		if printf '%s\n' "$@" | grep -qx "$p"; then echo "$p"; fi
	done
	for p in "$@"; do
		case " $slow " in *" $p "*) ;; *) echo "$p" ;; esac
	done
}

status=0
log "go test (SQLite${FENGHUO_TEST_POSTGRES:+ and PostgreSQL in the store tests}, Chromium at $FENGHUO_TEST_CHROMIUM)"
FENGHUO_TEST_ENGINE=sqlite go test -count=1 -timeout 20m $(slow_first $(go list ./...)) "$@" || status=$?

# internal/apptest (its own test checks the engine) and the packages whose
# tests build their application with it.
apptest_pkgs=$(slow_first $(go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... |
	awk '$1 == "fenghuo/internal/apptest" || / fenghuo\/internal\/apptest( |$)/ { print $1 }'))
if [ -n "$FENGHUO_TEST_POSTGRES" ]; then
	log "go test on PostgreSQL (FENGHUO_TEST_ENGINE=postgres):" $apptest_pkgs
	FENGHUO_TEST_ENGINE=postgres go test -count=1 -timeout 20m $apptest_pkgs "$@" || status=$?
else
	log "no PostgreSQL (FENGHUO_SKIP_POSTGRES=1): not running" $apptest_pkgs "on PostgreSQL"
fi
log "done (exit $status)"
exit "$status"
