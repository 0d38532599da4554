#!/usr/bin/env bash
# Regenerates docs/PERFORMANCE.md: fetches the npm trees, builds cachebust
# and the baselines, and runs the measuring command scripts/perf, which
# measures, computes the verdicts and writes the report. Arguments are
# passed to scripts/perf (go run ./scripts/perf -h lists them), such as
#
#   scripts/perf.sh -sections query,manifest    # regenerate two sections
#   scripts/perf.sh -runs 9                     # more rounds per comparison
#
# Environment:
#   REPORT=docs/PERFORMANCE.md   the report; empty prints it instead
#   SMOKE=1                      check the harness quickly: no npm trees,
#                                tiny generated trees, one round
#
# It installs nothing: the npm packages are fetched with "npm pack" into a
# temporary directory, and a package that cannot be fetched is left out
# with a note on stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
REPORT=${REPORT-docs/PERFORMANCE.md}
SMOKE=${SMOKE:-}
NPM_PACKAGES=(@fortawesome/fontawesome-free@7.3.1 bootstrap@5.3.3 bootstrap-icons@1.11.3)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cachebust-perf.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

log() { printf '%s\n' "$*" >&2; }

# fetch_npm PKG prints the directory of the unpacked npm package PKG, or
# nothing if it cannot be fetched.
fetch_npm() {
	local dir tgz
	dir=$WORK/npm/$(printf '%s' "$1" | tr -c 'A-Za-z0-9.@-' _)
	mkdir -p "$dir"
	if ! tgz=$(cd "$dir" && npm pack --silent "$1" 2>/dev/null | tail -1) || [[ -z $tgz ]]; then
		log "npm pack $1 failed: leaving it out"
		return 0
	fi
	tar -xzf "$dir/$tgz" -C "$dir"
	rm "$dir/$tgz"
	echo "$dir/package"
}

mkdir -p "$WORK/bin"
go build -o "$WORK/bin/" ./cmd/cachebust ./scripts/walkhash ./scripts/gentree ./scripts/perf

args=(-cachebust "$WORK/bin/cachebust" -walkhash "$WORK/bin/walkhash" -gentree "$WORK/bin/gentree" -work "$WORK/run")
if [[ -n $SMOKE ]]; then
	args+=(-smoke)
else
	for pkg in "${NPM_PACKAGES[@]}"; do
		dir=$(fetch_npm "$pkg")
		[[ -z $dir ]] || args+=(-npm "$pkg=$dir")
	done
fi
[[ -z $REPORT ]] || args+=(-o "$REPORT")
"$WORK/bin/perf" "${args[@]}" "$@"
