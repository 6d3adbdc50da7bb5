#!/usr/bin/env bash
# Issue 16 item 3: Fenghuo's website monitoring beside Gatus on the same
# loopback farm (200 pages of ~100 KB, each on its own loopback address,
# with ETag and Last-Modified), in interleaved pairs: checks per second and
# CPU per check of each, and the ratios (bench/gatus/main.go says how each
# is counted). docs/performance.md records the figures.
#
# Gatus is installed at a pinned version through the Go module proxy:
#   GOBIN=… go install github.com/TwiN/gatus/v5@v5.33.0
# When the proxy refuses it (on 2026-12-07 proxy.golang.org answered 403
# "This module version is not available" for v5.33.0's .info, .mod and
# .zip), GATUS_SRC may name a checkout of Gatus's v5.33.0 tag: it is built
# with CGO_ENABLED=0, its dependencies coming through the proxy. GATUS_BIN
# names a Gatus binary already built.
#
# Bounded: about 2.5 minutes a pair (Gatus starts its endpoints 222 ms
# apart, so each Gatus run first waits ~45 s for all of them). Options pass
# through (go run ./bench/gatus -h): -pairs 3 -seconds 30 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v5.33.0
bin="${GATUS_BIN:-}"
if [ -z "$bin" ]; then
	gobin="${TMPDIR:-/tmp}/fenghuo-gatus-$version"
	bin="$gobin/gatus"
	if [ ! -x "$bin" ]; then
		mkdir -p "$gobin"
		if ! (cd "$gobin" && GOBIN="$gobin" CGO_ENABLED=0 GOFLAGS=-mod=mod go install "github.com/TwiN/gatus/v5@$version"); then
			if [ -n "${GATUS_SRC:-}" ] && [ -f "$GATUS_SRC/go.mod" ]; then
				echo "bench/gatus.sh: the proxy refused gatus $version; building it from GATUS_SRC=$GATUS_SRC" >&2
				(cd "$GATUS_SRC" && CGO_ENABLED=0 go build -o "$bin" .)
			else
				echo "bench/gatus.sh: gatus $version could not be installed through the Go module proxy (see above); set GATUS_SRC to a checkout of its $version tag, or GATUS_BIN to a binary. The comparison is skipped." >&2
				exit 0
			fi
		fi
	fi
fi
go build -o "${TMPDIR:-/tmp}/fenghuo-bench-gatus" ./bench/gatus
exec "${TMPDIR:-/tmp}/fenghuo-bench-gatus" -gatus "$bin" "$@"
