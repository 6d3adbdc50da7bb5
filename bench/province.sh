#!/usr/bin/env bash
# bench/province.sh — a province in a benchmark (issue 16 item 5, the read
# side): seeds `fenghuo serve --demo --demo-shape province` (about 1,000
# offices, 10,000 units, 50,000 systems, 1,000,000 incidents with their
# reports and duties) once per engine into a cached data directory /
# database, then starts the real `serve` on that data (without --demo) and
# measures it over loopback with bench/province: the incident list (first
# page, filtered, overdue, deep), the home page, the awareness API, grading
# and report filing, as the province commander and a county duty officer,
# p50/p99/max per operation, and the server's memory (RSS from /proc, the Go
# heap from its last GC line).
#
# A sibling of bench/run.sh, not part of it: the first run seeds for tens of
# minutes per engine and takes about 15 GB of disk per engine.
#
#   bash bench/province.sh                       # both engines
#   FENGHUO_PROVINCE_ENGINES=sqlite bash bench/province.sh
#
# Environment:
#   FENGHUO_PROVINCE_CACHE   where the seeded data lives (default ${TMPDIR:-/tmp}/fenghuo-province);
#                            delete <cache>/<engine>/seeded to seed again
#   FENGHUO_PROVINCE_ENGINES sqlite, postgres or both (default "sqlite postgres")
#   FENGHUO_PROVINCE_N       timed requests per read operation (default 200; writes take half)
#   FENGHUO_PROVINCE_USERS   accounts to measure as (default prov-commander,county-duty)
#   FENGHUO_PROVINCE_PG      a postgres:// URL of an empty database to seed into; without it a
#                            cluster of scripts/test-db.sh is started in FENGHUO_TEST_PGDIR (default
#                            <cache>/pg; fsync off) and left running for the next run (stop it with
#                            FENGHUO_TEST_PGDIR=<dir> bash scripts/test-db.sh stop)
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${FENGHUO_PROVINCE_CACHE:-${TMPDIR:-/tmp}/fenghuo-province}"
engines="${FENGHUO_PROVINCE_ENGINES:-sqlite postgres}"
n="${FENGHUO_PROVINCE_N:-200}"
mkdir -p "$cache"
go build -o "$cache/fenghuo" ./cmd/fenghuo
go build -o "$cache/province" ./bench/province

pid=""
url=""
# start_serve DIR LOG ARGS… starts serve on a free loopback port and waits
# until it listens (after seeding, on a first run).
start_serve() {
	local dir=$1 log=$2
	shift 2
	"$cache/fenghuo" serve --data-dir "$dir/data" --listen 127.0.0.1:0 --slow-query 100ms "$@" >"$dir/$log" 2>"$dir/$log.err" &
	pid=$!
	url=""
	while kill -0 "$pid" 2>/dev/null; do
		url=$(sed -n 's|^Fenghuo is running at \(http://[^ ]*\)/ .*|\1|p' "$dir/$log")
		[[ -n "$url" ]] && return 0
		sleep 2
	done
	echo "province: serve stopped:" >&2
	tail -20 "$dir/$log.err" >&2
	exit 1
}
stop_serve() {
	kill -INT "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
trap 'if [[ -n "$pid" ]]; then stop_serve; fi' EXIT

for engine in $engines; do
	dir="$cache/$engine"
	mkdir -p "$dir"
	db=()
	size() { du -sh "$dir/data" | cut -f1; }
	if [[ "$engine" == postgres ]]; then
		pg="${FENGHUO_PROVINCE_PG:-}"
		if [[ -z "$pg" ]]; then
			admin=$(FENGHUO_TEST_POSTGRES= FENGHUO_TEST_PGDIR="${FENGHUO_TEST_PGDIR:-$cache/pg}" bash scripts/test-db.sh | sed -n "s/^export FENGHUO_TEST_POSTGRES='\(.*\)'$/\1/p")
			pg="${admin%%/postgres\?*}/fenghuo_province?sslmode=disable"
			if [[ ! -f "$dir/seeded" ]]; then
				psql -q "$admin" -c "DROP DATABASE IF EXISTS fenghuo_province" -c "CREATE DATABASE fenghuo_province"
			fi
		fi
		db=(--db "$pg")
		size() { psql -At "$pg" -c "SELECT pg_size_pretty(pg_database_size(current_database()))"; }
	elif [[ "$engine" != sqlite ]]; then
		echo "province: unknown engine $engine (sqlite or postgres)" >&2
		exit 2
	fi
	if [[ ! -f "$dir/seeded" ]]; then
		echo "== $engine: seeding the province once into $dir (tens of minutes)"
		rm -rf "$dir/data"
		t0=$(date +%s)
		start_serve "$dir" seed.log --demo --demo-shape province "${db[@]}"
		t1=$(date +%s)
		stop_serve
		pid=""
		grep -E '^(Province|Seeded)' "$dir/seed.log"
		echo "seeded in $((t1 - t0)) s (wall, with the server's start), $(size) on disk" | tee "$dir/seeded"
	else
		echo "== $engine: seeded earlier: $(cat "$dir/seeded")"
	fi
	echo "== $engine: measuring the real serve on the province ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
	GODEBUG=gctrace=1 start_serve "$dir" measure.log "${db[@]}"
	"$cache/province" -url "$url" -accounts "$dir/seed.log" -pid "$pid" -engine "$engine" -n "$n" -writes $((n / 2)) -users "${FENGHUO_PROVINCE_USERS:-prov-commander,county-duty}"
	# The Go heap after the last collection: "gc N @…: … A->B->C MB, D MB goal".
	grep '^gc ' "$dir/measure.log.err" | tail -1 | sed -n "s|.* \([0-9]*\)->\([0-9]*\)->\([0-9]*\) MB, \([0-9]*\) MB goal.*|$engine heap after the last GC: \3 MB live, \4 MB goal|p"
	slow=$(grep -c 'slow database statement' "$dir/measure.log.err" || true)
	echo "$engine statements slower than 100 ms while measuring: $slow"
	grep 'slow database statement' "$dir/measure.log.err" | sed -n 's/.*duration_ms=\([0-9.]*\).*sql="\(.\{0,160\}\).*/  \1 ms  \2/p' | sort -rn | head -5
	stop_serve
	pid=""
	echo "== $engine: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
