#!/usr/bin/env bash
# Issue 16 items 2 and 5: audited writes per second through the real
# `fenghuo serve` at 50 connections — SQLite, and PostgreSQL with one and
# with three serve replicas on the same database when FENGHUO_TEST_POSTGRES
# names a server (eval "$(bash scripts/test-db.sh)" starts one). Prints
# writes/s, p50/p99/max latency, errors, and the ratio of three replicas to
# one; `fenghuo audit verify` checks each run's chain afterwards.
# docs/performance.md records the figures.
#
# Loopback only; bounded: about 35 s per configuration after the build.
# Options pass through (go run ./bench/writes -h lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./bench/writes "$@"
