#!/usr/bin/env bash
# test-db.sh — make a PostgreSQL server available for the store tests and print
#
#     export FENGHUO_TEST_POSTGRES=postgres://…
#
# on stdout (everything else goes to stderr), so that
#
#     eval "$(scripts/test-db.sh)" && go test ./internal/store/
#
# runs the suite on both engines. If FENGHUO_TEST_POSTGRES is already set it is
# used as it is. Otherwise a throwaway cluster is started from the Debian
# PostgreSQL binaries (installed with apt-get when missing), listening only on
# 127.0.0.1 on a free port with trust authentication. Running the script again
# reuses that cluster while it is up. `scripts/test-db.sh stop` stops it.
#
# Environment: FENGHUO_TEST_PGDIR is where the cluster lives. The default,
# ${TMPDIR:-/tmp}/fenghuo-test-pg-<hash of this checkout's path>, gives each
# checkout its own cluster (the socket directory must stay short and readable
# by the postgres user, so it is not inside the checkout).
set -euo pipefail

log() { echo "test-db: $*" >&2; }

if [[ -n "${FENGHUO_TEST_POSTGRES:-}" && "${1:-}" != stop ]]; then
	log "using FENGHUO_TEST_POSTGRES from the environment"
	printf 'export FENGHUO_TEST_POSTGRES=%q\n' "$FENGHUO_TEST_POSTGRES"
	exit 0
fi

checkout=$(cd "$(dirname "$0")/.." && pwd -P)
dir="${FENGHUO_TEST_PGDIR:-${TMPDIR:-/tmp}/fenghuo-test-pg-$(printf '%s' "$checkout" | sha256sum | cut -c1-12)}"
data="$dir/data"

find_bin() {
	local p
	if p=$(command -v pg_ctl 2>/dev/null) && [[ -x "$(dirname "$p")/initdb" ]]; then
		dirname "$(readlink -f "$p")"
		return 0
	fi
	# Debian keeps the server binaries out of PATH; take the newest version.
	for p in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [[ -x "$p/initdb" && -x "$p/pg_ctl" ]]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

if ! bin=$(find_bin); then
	if [[ $(id -u) -ne 0 ]]; then
		log "PostgreSQL is not installed and we are not root: install the Debian package 'postgresql' first"
		exit 1
	fi
	log "installing PostgreSQL from the Debian packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends postgresql >&2
	bin=$(find_bin) || { log "initdb and pg_ctl still not found after installing postgresql"; exit 1; }
fi

# PostgreSQL refuses to run as root: run it as the package's "postgres" user,
# or a system user of our own where that does not exist.
as_owner=()
owner=$(id -un)
if [[ $(id -u) -eq 0 ]]; then
	owner=postgres
	if ! id -u "$owner" >/dev/null 2>&1; then
		owner=fenghuo-pg
		id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
	fi
	as_owner=(runuser -u "$owner" --)
fi

pg_ctl() { "${as_owner[@]}" "$bin/pg_ctl" "$@"; }

if [[ "${1:-}" == stop ]]; then
	if [[ -d "$data" ]]; then
		pg_ctl -D "$data" -m fast -w stop >&2 || true
	fi
	rm -rf "$dir"
	log "stopped and removed $dir"
	exit 0
fi

dsn_for() { echo "postgres://postgres@127.0.0.1:$1/postgres?sslmode=disable"; }

# A cluster from an earlier run that is still up is reused.
if [[ -f "$dir/port" && -d "$data" ]] && pg_ctl -D "$data" status >/dev/null 2>&1; then
	port=$(cat "$dir/port")
	if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
		log "reusing the cluster in $dir on port $port"
		echo "export FENGHUO_TEST_POSTGRES='$(dsn_for "$port")'"
		exit 0
	fi
	pg_ctl -D "$data" -m immediate stop >&2 || true
fi

free_port() {
	local p
	for p in $(seq 55432 55532); do
		# A refused connection means nobody listens there.
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
rm -rf "$dir"
mkdir -p "$dir"
chmod 755 "$dir"
[[ $(id -u) -eq 0 ]] && chown "$owner" "$dir"

log "creating a throwaway cluster in $dir ($("$bin/postgres" --version))"
"${as_owner[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }

# Only loopback, our own socket directory (the packaged one may not exist),
# and no fsync: the data is thrown away, speed matters more. Another
# checkout's cluster starting at the same moment may take the port we found
# free: then the next free one is tried.
started=""
for _ in 1 2 3 4 5; do
	port=$(free_port) || { log "no free port in 55432-55532"; exit 1; }
	opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
	if pg_ctl -D "$data" -l "$dir/server.log" -o "$opts" -w -t 60 start >&2; then
		started=1
		break
	fi
	log "could not start on port $port; trying another"
	pg_ctl -D "$data" -m immediate stop >/dev/null 2>&1 || true
done
[[ -n "$started" ]] || { cat "$dir/server.log" >&2; exit 1; }

for _ in $(seq 1 60); do
	"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
	sleep 0.5
done
"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || { log "server did not become ready"; cat "$dir/server.log" >&2; exit 1; }

echo "$port" >"$dir/port"
log "PostgreSQL ready on 127.0.0.1:$port"
echo "export FENGHUO_TEST_POSTGRES='$(dsn_for "$port")'"
