#!/usr/bin/env bash
# Issue 14 item 7: sustained syslog intake of the real `fenghuo serve`
# (200 uploaded Sigma rules, 100,000 imported indicators, TCP syslog over
# four connections and over one), events stored per second and CPU per
# event, against a private rsyslogd (imtcp → omfile) on the same stream,
# then 20 kill -9 cycles of HTTP intake checking that no acknowledged event
# is lost. docs/performance.md records the figures.
#
# Loopback only; bounded: about 3 minutes on SQLite, about 6 when a
# PostgreSQL server is named by FENGHUO_TEST_POSTGRES (then both engines
# are measured). Options pass through to the program (go run ./bench/ingest
# -h lists them; -profile writes a CPU profile of serve).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rsyslogd >/dev/null && [ ! -x /usr/sbin/rsyslogd ]; then
	echo "bench/ingest.sh: rsyslogd is missing (Debian package rsyslog); the comparison is skipped" >&2
fi
exec go run ./bench/ingest "$@"
