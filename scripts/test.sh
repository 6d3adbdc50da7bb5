#!/usr/bin/env bash
# Runs every test of Fenghuo: formatting, vet, and the Go test suite against
# SQLite and PostgreSQL, with the console tests in a real headless Chromium.
# Installs what the tests need (PostgreSQL, Chromium from Debian packages)
# when it is missing, so it works on a fresh Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }

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

# poppler-utils: the PDF export tests read the generated PDF back with pdftotext.
if ! command -v pdftotext >/dev/null 2>&1; then
	log "installing poppler-utils (pdftotext) for the PDF export tests"
	apt_install poppler-utils
fi

# PostgreSQL: scripts/test-db.sh starts a throwaway cluster on loopback and
# prints the export line for FENGHUO_TEST_POSTGRES.
if [ -z "${FENGHUO_TEST_POSTGRES:-}" ] && [ "${FENGHUO_SKIP_POSTGRES:-}" != 1 ]; then
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

log "go test (SQLite${FENGHUO_TEST_POSTGRES:+ and PostgreSQL}, Chromium at $FENGHUO_TEST_CHROMIUM)"
go test -count=1 -timeout 20m ./... "$@"
