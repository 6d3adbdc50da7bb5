#!/usr/bin/env bash
# Prints Fenghuo's performance figures (docs/performance.md records them).
# Loopback only; every run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL figures come from a throwaway cluster of this checkout's own
# (scripts/test-db.sh), stopped at the end, unless FENGHUO_TEST_POSTGRES names
# a server already; FENGHUO_SKIP_POSTGRES=1 prints SQLite figures only.
if [ -z "${FENGHUO_TEST_POSTGRES:-}" ] && [ "${FENGHUO_SKIP_POSTGRES:-}" != 1 ]; then
	eval "$(bash scripts/test-db.sh)"
	trap 'bash scripts/test-db.sh stop >/dev/null 2>&1 || true' EXIT
fi
export FENGHUO_TEST_POSTGRES="${FENGHUO_TEST_POSTGRES:-}"

echo "== website tamper corpus: recall per kind, false alarms on clean pages"
go test ./internal/tamper -run 'Corpus$|CorpusFinal$' -v -count=1 | grep -E '^\s+(kind|defacement|hidden_link|illicit_content|malicious_redirect|new_external_script|hidden_iframe|cloaking|clean cases)' || true

echo "== page analysis CPU and baseline size (tamper.Check on a ~100 KB page)"
go test ./internal/tamper -run XXX -bench 'Check|Learn' -benchtime 400x -count 3

echo "== hostile pages (20,000-deep nesting, 30,000 links, 2 MB text and script): analysis time per page"
go test ./internal/tamper -run XXX -bench Hostile -benchtime 10x -count 1

echo "== full checks per second on a loopback farm of ~100 KB sites; memory per monitored page"
go test ./internal/monitor -run XXX -bench 'FullChecks|BaselineMemory' -benchtime 5x -count 1

echo "== live monitoring through serve's own loop (monitor.NewForServe + Serve): one-minute monitors, 90 s real time each"
# (go test splits -bench at each top-level '/', so each level gets its own pattern)
go test ./internal/monitor -run XXX -bench 'ServeMonitoring/availability/monitors=(10000|20000)$' -benchtime 1x -timeout 1200s
go test ./internal/monitor -run XXX -bench 'ServeMonitoring/content/monitors=(2000|5000)$' -benchtime 1x -timeout 1200s
echo "== issue 16 item 4: 10,000 one-minute content monitors in serve's loop, a fifth also watched by two probes (fenghuo probe's loop over the probe API), 90 s"
go test ./internal/monitor -run XXX -bench 'ServeMonitoring/content\+probes/monitors=10000$' -benchtime 1x -timeout 1200s

echo "== obligation escalations: 100,000 due within one minute, lateness on SQLite (and PostgreSQL when FENGHUO_TEST_POSTGRES is set)"
go test ./internal/app -run XXX -bench EscalationLateness -benchtime 1x -timeout 1200s

echo "== plan parsing and grading"
go test ./internal/plan -run XXX -bench . -benchtime 200x

echo "== incident list and home page medians at 1,000 vs 100,000 incidents (real handler, loopback; SQLite, and PostgreSQL with FENGHUO_TEST_POSTGRES; seeds with serve --demo-size's generator, a few minutes)"
go test ./internal/server -run XXX -bench ListAtScale -benchtime 1x -timeout 30m | grep -E '^(sqlite|postgres) '

echo "== awareness monitoring figures over 50,000 systems with one monitor each (SQLite; FENGHUO_BENCH_ENGINE=postgres for PostgreSQL)"
go test ./internal/store -run XXX -bench MonitorSummary -benchtime 20x

echo "== syslog intake of the real serve: 200 rules, 100,000 indicators, events/s and CPU per event beside rsyslog, kill -9 cycles (bench/ingest.sh, a few minutes)"
bash bench/ingest.sh

echo "== audited writes at 50 connections through the real serve: SQLite, and PostgreSQL with 1 and 3 replicas (bench/writes.sh, about 2 minutes)"
# PostgreSQL configurations run only when FENGHUO_TEST_POSTGRES names a
# server (above); with FENGHUO_SKIP_POSTGRES=1 only SQLite is measured.
if [ -n "$FENGHUO_TEST_POSTGRES" ]; then
	bash bench/writes.sh
else
	bash bench/writes.sh -configs sqlite
fi
echo "== website monitoring beside Gatus v5.33.0 on the same 200-page loopback farm, interleaved pairs: checks/s and CPU per check (bench/gatus.sh, about 8 minutes)"
bash bench/gatus.sh

# The province benchmark (1,000 offices, 10,000 units, 50,000 systems,
# 1,000,000 incidents; list, home, awareness, grading and filing p50/p99 and
# memory on both engines) seeds for about an hour an engine, so it is a
# sibling run on its own: bash bench/province.sh (docs/performance.md).
echo "== not run here: bash bench/province.sh (the province at a million incidents; about an hour of seeding an engine)"
