#!/usr/bin/env bash
# Reproduces the benchmark in docs/PUBLISH.md: "cachebust publish" against
# "rclone copy" of the same build directory to the same S3 server, a first
# publish and an unchanged one, as ratios of medians in one run. The
# measuring is scripts/publishbench (Go); this script only fetches the
# tree, builds it, starts the server and rewrites the report's section.
#
# Usage: scripts/publish-bench.sh
#
# Environment:
#   RUNS=5                     runs; figures are medians
#   PACKAGE=@fortawesome/fontawesome-free@7.3.1   the npm tree (5,839 files)
#   TREE=DIR                   use DIR instead of an npm package (for a smoke run)
#   REPORT=docs/PUBLISH.md     where the section between <!-- BEGIN publish-bench -->
#                              and <!-- END publish-bench --> is rewritten; "-" prints it
#   CACHEBUST_S3_ENDPOINT, CACHEBUST_S3_ACCESS_KEY, CACHEBUST_S3_SECRET_KEY
#                              a running S3 server; without them versitygw
#                              (on PATH) is started on 127.0.0.1
#
# Needs rclone (apt-get install -y rclone) and, without an S3 server, versitygw
# (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-5}
PACKAGE=${PACKAGE:-@fortawesome/fontawesome-free@7.3.1}
REPORT=${REPORT:-docs/PUBLISH.md}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cachebust-publish-bench.XXXXXX")
s3pid=""
cleanup() {
	if [ -n "$s3pid" ]; then kill "$s3pid" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '%s\n' "$*" >&2; }

command -v rclone >/dev/null || { log "rclone not found: apt-get install -y rclone"; exit 1; }

go build -o "$WORK/" ./cmd/cachebust ./cmd/cachebust-publish # cachebust publish runs the one beside it
go build -o "$WORK/publishbench" ./scripts/publishbench

if [ -n "${TREE:-}" ]; then
	tree=$TREE
	label="$(basename "$TREE") ($(find "$TREE" -type f | wc -l) files)"
else
	log "fetching $PACKAGE"
	(cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null)
	mkdir "$WORK/pkg"
	tar -xzf "$WORK"/*.tgz -C "$WORK/pkg"
	tree="$WORK/pkg/package"
	label="$PACKAGE ($(find "$tree" -type f | wc -l) files)"
fi
"$WORK/cachebust" build -out "$WORK/dist" "$tree" >&2

if [ -z "${CACHEBUST_S3_ENDPOINT:-}" ]; then
	command -v versitygw >/dev/null || { log "no S3 server: set CACHEBUST_S3_ENDPOINT or install versitygw"; exit 1; }
	port=$((20000 + RANDOM % 20000))
	mkdir "$WORK/s3"
	CACHEBUST_S3_ACCESS_KEY=bench CACHEBUST_S3_SECRET_KEY=bench-secret
	versitygw --access "$CACHEBUST_S3_ACCESS_KEY" --secret "$CACHEBUST_S3_SECRET_KEY" \
		--port "127.0.0.1:$port" posix "$WORK/s3" >"$WORK/s3.log" 2>&1 &
	s3pid=$!
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
	CACHEBUST_S3_ENDPOINT=http://127.0.0.1:$port
fi

section=$(
	printf 'Tree: %s, built with `cachebust build -out`; server: versitygw on 127.0.0.1, %s CPUs.\n\n' "$label" "$(nproc)"
	"$WORK/publishbench" -dir "$WORK/dist" -cachebust "$WORK/cachebust" -runs "$RUNS" \
		-endpoint "$CACHEBUST_S3_ENDPOINT" -access "$CACHEBUST_S3_ACCESS_KEY" -secret "$CACHEBUST_S3_SECRET_KEY"
)

if [ "$REPORT" = "-" ]; then
	printf '%s\n' "$section"
	exit 0
fi
begin='<!-- BEGIN publish-bench -->'
end='<!-- END publish-bench -->'
grep -qF "$begin" "$REPORT" || printf '\n%s\n%s\n' "$begin" "$end" >>"$REPORT"
printf '%s\n' "$section" > "$WORK/section.md"
awk -v begin="$begin" -v end="$end" -v file="$WORK/section.md" '
	$0 == begin { print; while ((getline line < file) > 0) print line; skip = 1; next }
	$0 == end { skip = 0 }
	!skip { print }
' "$REPORT" > "$WORK/report.md"
cp "$WORK/report.md" "$REPORT"
log "wrote the publish-bench section of $REPORT"
