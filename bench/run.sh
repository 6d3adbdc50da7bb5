#!/usr/bin/env bash
# Prints Fenghuo's performance figures (docs/performance.md records them).
# Loopback only; every run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== website tamper corpus: recall per kind, false alarms on clean pages"
go test ./internal/tamper -run 'Corpus$' -v -count=1 | grep -E '^\s+(kind|defacement|hidden_link|illicit_content|malicious_redirect|new_external_script|hidden_iframe|cloaking|clean cases)' || true

echo "== page analysis CPU and baseline size (tamper.Check on a ~100 KB page)"
go test ./internal/tamper -run XXX -bench . -benchtime 400x -count 3

echo "== full checks per second on a loopback farm of ~100 KB sites; memory per monitored page"
go test ./internal/monitor -run XXX -bench 'FullChecks|BaselineMemory' -benchtime 5x -count 1

echo "== schedule lateness with 10,000 monitors (one-minute interval, real time, ~70 s)"
go test ./internal/monitor -run XXX -bench ScheduleLateness -benchtime 1x -timeout 300s

echo "== plan parsing and grading"
go test ./internal/plan -run XXX -bench . -benchtime 200x

echo "== incident list and home page medians at 1,000 vs 100,000 incidents (real handler, loopback; SQLite, and PostgreSQL with FENGHUO_TEST_POSTGRES; seeds with serve --demo-size's generator, a few minutes)"
go test ./internal/server -run XXX -bench ListAtScale -benchtime 1x -timeout 30m | grep -E '^(sqlite|postgres) '
