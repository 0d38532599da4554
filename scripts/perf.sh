#!/usr/bin/env bash
# Regenerates docs/PERFORMANCE.md: builds cachebust and the minimal
# programs it is measured against, mounts a journaled ext4 file system
# on a loop device to measure on, fetches the npm trees into it, and runs
# the measuring command scripts/perf, which measures, computes the
# verdicts and writes the report. Arguments are passed to scripts/perf
# (go run ./scripts/perf -h lists them), such as
#
#   scripts/perf.sh -sections query,manifest    # regenerate two sections
#   scripts/perf.sh -runs 9                     # more rounds per comparison
#
# Environment:
#   REPORT=docs/PERFORMANCE.md   the report; empty prints it instead
#   SMOKE=1                      check the harness quickly: no npm trees,
#                                tiny generated trees, one round
#   FS_SIZE=8G                   size of the file system image (SMOKE: 1G)
#
# The file system: the measurements create and remove hundreds of
# thousands of files, and an ext4 without a journal slows creating files
# for minutes after many were removed, so they run on a fresh journaled
# ext4 in an image file under TMPDIR, loop-mounted (which needs root), and
# unmounted and removed at the end. Where it cannot be mounted they run
# in TMPDIR, and the report names the file system they ran on.
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
MOUNTED=
cleanup() {
	if [[ -n $MOUNTED ]]; then
		umount "$WORK/fs" || { log "umount $WORK/fs failed: leaving $WORK"; return; }
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

# mount_fs mounts a fresh journaled ext4 image at $WORK/fs and sets RUN to
# a directory in it and FS to its description, or, if it cannot, sets RUN
# to a directory in $WORK and leaves FS empty.
mount_fs() {
	local size=${FS_SIZE:-8G}
	[[ -z $SMOKE ]] || size=${FS_SIZE:-1G}
	RUN=$WORK/run
	FS=
	if [[ $(id -u) -ne 0 ]]; then
		log "perf.sh: not root, so no loop-mounted file system: measuring in $WORK"
		return 0
	fi
	mkdir -p "$WORK/fs"
	if ! { truncate -s "$size" "$WORK/fs.img" &&
		mkfs.ext4 -q -F -O has_journal -i 8192 -E lazy_itable_init=0,lazy_journal_init=0 "$WORK/fs.img" &&
		mount -o loop "$WORK/fs.img" "$WORK/fs"; } >&2; then
		log "perf.sh: cannot mount an ext4 image: measuring in $WORK"
		rm -f "$WORK/fs.img"
		return 0
	fi
	MOUNTED=1
	rm -f "$WORK/fs.img" # the loop device keeps it until unmounted
	RUN=$WORK/fs/run
	FS="journaled ext4 on a loop-mounted $size image"
}

# fetch_npm PKG prints the directory of the unpacked npm package PKG, or
# nothing if it cannot be fetched.
fetch_npm() {
	local dir tgz
	dir=$RUN/npm/$(printf '%s' "$1" | tr -c 'A-Za-z0-9.@-' _)
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
go build -o "$WORK/bin/" ./cmd/cachebust ./scripts/minhash ./scripts/minrename ./scripts/gentree ./scripts/perf
mount_fs

args=(-cachebust "$WORK/bin/cachebust" -minhash "$WORK/bin/minhash" -minrename "$WORK/bin/minrename"
	-gentree "$WORK/bin/gentree" -work "$RUN")
[[ -z $FS ]] || args+=(-fs "$FS")
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
