#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 10m) each, one after another
# (go test accepts one -fuzz target per run), and fails if any finds a
# crasher; go test then leaves the failing input under
# <package>/testdata/fuzz/<Target>/ — fix the bug and commit that file as a
# seed. `bash scripts/fuzz.sh FuzzCheck FuzzParse` runs only the named ones.
#
#   FUZZTIME=30s make fuzz     a quick pass
#   FUZZPARALLEL=2             fuzz workers per target (default 1)
set -uo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-10m}
FUZZPARALLEL=${FUZZPARALLEL:-1}
GO=${GO:-go}

# package target
targets=(
	"./internal/tamper FuzzLearn"
	"./internal/tamper FuzzCheck"
	"./internal/tamper FuzzCheckBaseline"
	"./internal/tamper FuzzCloaking"
	"./internal/tamper FuzzCloakingBaseline"
	"./internal/plan FuzzParse"
	"./internal/plan FuzzParseFacts"
	"./internal/sheets FuzzParseCSV"
	"./internal/sheets FuzzParseXLSX"
	"./internal/ingest FuzzParseRecordWazuh"
	"./internal/ingest FuzzParseRecordWazuhWebhook"
	"./internal/ingest FuzzParseRecordSuricata"
	"./internal/ingest FuzzParseRecordGeneric"
	"./internal/ingest FuzzParseRecordDetect"
	"./internal/ingest FuzzParseMapping"
	"./internal/ingest FuzzDecodeBatch"
	"./internal/ingest FuzzEnrich"
	# detection rules (issue 14 item 3)
	"./internal/ingest/sigma FuzzLoadRule"
)

want=" $* "
failed=()
ran=0
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	if [ $# -gt 0 ] && [[ $want != *" $name "* ]]; then
		continue
	fi
	ran=$((ran + 1))
	echo "== $name ($pkg) for $FUZZTIME, $FUZZPARALLEL worker(s), started $(date -u +%H:%M:%SZ)"
	if ! "$GO" test "$pkg" -run='^$' -fuzz="^$name\$" -fuzztime="$FUZZTIME" -parallel="$FUZZPARALLEL"; then
		failed+=("$name")
		echo "== $name FAILED: the failing input is in $pkg/testdata/fuzz/$name/"
	fi
done
if [ "$ran" -eq 0 ]; then
	echo "no fuzz target named: $*" >&2
	exit 2
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: crashers in ${failed[*]}" >&2
	exit 1
fi
echo "fuzz: $ran target(s) ran $FUZZTIME each, no crasher"
