#!/usr/bin/env bash
# Reproduces docs/PERFORMANCE.md: runs the measurements and rewrites the
# report's sections between their marker comments, so that the report can
# be regenerated whole or a section at a time.
#
# Usage: scripts/perf.sh [SECTION...]     (default: build gobench targets)
#
# Sections:
#   build    cachebust build on real npm package trees and a generated
#            10,000-file tree, against sha256sum over the same files and
#            the two seed articles' Python build steps
#   gobench  go test -bench over ./core and ./strategy, medians
#   targets  every runtime target (resolver lookups, per-engine render
#            ratios, handler against http.FileServer, Fiber middleware
#            against Fiber's static, dev-mode lookups, the load test), each
#            a ratio from one run, medians, with verdicts
#
# Environment:
#   RUNS=5          timed runs per command, after one warm-up run
#   GOBENCH_COUNT=5 go test -count for the gobench section
#   BENCHTIME=1s    go test -benchtime
#   REPORT=docs/PERFORMANCE.md
#   SEED_BASELINE=../shared/bench/seed_baseline.py (rows skipped if absent)
#
# Adding a section: write a function section_NAME that prints Markdown to
# stdout, and add NAME to the sections run. Its output replaces what lies
# between <!-- BEGIN NAME --> and <!-- END NAME --> in the report (the
# markers are appended if missing).
#
# It installs nothing: the npm packages are fetched with "npm pack" into a
# temporary directory, and trees that cannot be fetched are left out with
# a note.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-5}
GOBENCH_COUNT=${GOBENCH_COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
REPORT=${REPORT:-docs/PERFORMANCE.md}
SEED_BASELINE=${SEED_BASELINE:-$ROOT/../shared/bench/seed_baseline.py}
NPM_PACKAGES=(bootstrap-icons@1.11.3 bootstrap@5.3.3)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cachebust-perf.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

log() { printf '%s\n' "$*" >&2; }

# now prints the time in nanoseconds.
now() { date +%s%N; }

# median prints the median of its arguments.
median() {
	printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}

# timed PREP CMD: runs the shell command PREP (untimed) and then CMD (timed)
# once to warm up and RUNS times to measure, and prints the median wall
# time in milliseconds. Each run sees $RUN, its number.
timed() {
	local prep=$1 cmd=$2 times=() t0 t1
	for RUN in warm $(seq "$RUNS"); do
		export RUN
		eval "$prep"
		t0=$(now)
		eval "$cmd" >/dev/null
		t1=$(now)
		[[ $RUN == warm ]] || times+=($(((t1 - t0) / 1000)))
	done
	awk -v us="$(median "${times[@]}")" 'BEGIN {printf "%.1f", us / 1000}'
}

# ratio A B prints A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# verdict RATIO OP LIMIT prints "met" or "missed".
verdict() { awk -v r="$1" -v l="$3" -v op="$2" 'BEGIN {ok = (op == "<=") ? r <= l : r >= l; print ok ? "met" : "**missed**"}'; }

# fetch_npm prints the directory of an unpacked npm package, or nothing.
fetch_npm() {
	local pkg=$1 dir=$WORK/npm/${1%@*} tgz
	mkdir -p "$dir"
	if ! tgz=$(cd "$dir" && npm pack --silent "$pkg" 2>/dev/null | tail -1) || [[ -z $tgz ]]; then
		log "npm pack $pkg failed: leaving it out"
		return 0
	fi
	tar -xzf "$dir/$tgz" -C "$dir"
	rm "$dir/$tgz"
	echo "$dir/package"
}

machine() {
	local cpu fs
	cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -m)
	fs=$(df -T "$WORK" 2>/dev/null | awk 'NR==2 {print $2}')
	echo "$(nproc) × ${cpu:-unknown CPU}, $(uname -sr), $(go env GOVERSION), ${fs:-unknown} file system"
}

section_build() {
	local bin=$WORK/cachebust
	go build -o "$bin" ./cmd/cachebust
	local trees=() names=() dir
	for pkg in "${NPM_PACKAGES[@]}"; do
		dir=$(fetch_npm "$pkg")
		if [[ -n $dir ]]; then
			trees+=("$dir")
			names+=("$pkg")
		fi
	done
	go run ./scripts/gentree -n 10000 "$WORK/gen"
	trees+=("$WORK/gen")
	names+=("generated 10,000 files")
	local have_py=0
	if [[ -f $SEED_BASELINE ]] && command -v python3 >/dev/null; then
		have_py=1
	fi

	cat <<EOF
## Build

$(date -u +%Y-%m-%d), $(machine). Medians of $RUNS runs after one warm-up
run, page cache warm (nothing is dropped between runs). Every figure in a
row comes from the same run of \`scripts/perf.sh\`.

- **sha256sum**: \`find DIR -type f -print0 | xargs -0 -P2 sha256sum\`, reading and hashing only.
- **cp -r**: \`cp -r DIR NEW; sync\`, creating as many files as a rename build does, the floor under writing copies.
- **rename**: \`cachebust build DIR\` on a fresh copy of the tree (copied untimed): the full first build, hashing every file and writing a renamed copy beside each.
- **rename -out**: \`cachebust build -out OUT DIR\` into a new OUT each run: also copies every original, so twice the files written.
- **query**: \`cachebust build -url query DIR\` rebuilt in place: hashing every file, writing only the manifest. **query crc32** is the same with \`-hash crc32\`, the seed article's hash.
- **py crc32** / **py md5**: the seed articles' build steps, \`seed_baseline.py crc32|md5 DIR OUT.json\`; md5 writes renamed copies into \`cache/\` directories, so it runs on a fresh copy too. crc32 compares with query crc32 (both write only a map of CRC-32s), md5 with rename (both write copies). Neither syncs what it writes; cachebust makes its outputs durable (one \`syncfs\`) before writing the manifest, and that is timed.

Targets: a full build within 1.3× the sha256sum wall time; at least 5× faster than the Python steps.

| tree | files | MiB | sha256sum ms | cp -r ms | rename ms | rename -out ms | query ms | query crc32 ms | py crc32 ms | py md5 ms | rename / sha256sum | rename / cp -r | rename -out / sha256sum | query / sha256sum | py crc32 / query crc32 | py md5 / rename |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
	local i verdicts=()
	for i in "${!trees[@]}"; do
		local t=${trees[$i]} name=${names[$i]} files mib sha cpr ren out qry q32 crc md5
		log "build: $name"
		files=$(find "$t" -type f | wc -l)
		mib=$(du -sbL "$t" | awk '{printf "%.1f", $1 / 1048576}')
		# Every run writes into new directories, and nothing is removed
		# until the script exits: removing thousands of files just
		# before creating as many makes ext4 slower to allocate inodes,
		# which would be measured. Each run starts with the page cache's
		# dirty data written (sync, untimed), so that no run pays for
		# another's writes.
		local w=$WORK/t$i
		sha=$(timed sync "find '$t' -type f -print0 | xargs -0 -P2 sha256sum")
		cpr=$(timed sync "cp -r '$t' '$w-cp-'\$RUN; sync")
		ren=$(timed "cp -r '$t' '$w-ren-'\$RUN; sync" "'$bin' build '$w-ren-'\$RUN")
		out=$(timed sync "'$bin' build -out '$w-out-'\$RUN '$t'")
		cp -r "$t" "$w-q"
		qry=$(timed sync "'$bin' build -url query '$w-q'")
		q32=$(timed sync "'$bin' build -url query -hash crc32 -manifest '$WORK/crc32.json' '$w-q'")
		crc=- md5=- pycrc=- pymd5=-
		if ((have_py)); then
			crc=$(timed sync "python3 '$SEED_BASELINE' crc32 '$t' '$WORK/crc.json'")
			md5=$(timed "cp -r '$t' '$w-md5-'\$RUN; sync" "python3 '$SEED_BASELINE' md5 '$w-md5-'\$RUN '$WORK/md5.json'")
			pycrc=$(ratio "$crc" "$q32")×
			pymd5=$(ratio "$md5" "$ren")×
			verdicts+=("$name: py crc32 / query crc32 $pycrc ($(verdict "$(ratio "$crc" "$q32")" ">=" 5)), py md5 / rename $pymd5 ($(verdict "$(ratio "$md5" "$ren")" ">=" 5))")
		fi
		verdicts+=("$name: rename / sha256sum $(ratio "$ren" "$sha")× ($(verdict "$(ratio "$ren" "$sha")" "<=" 1.3)), query / sha256sum $(ratio "$qry" "$sha")× ($(verdict "$(ratio "$qry" "$sha")" "<=" 1.3))")
		echo "| $name | $files | $mib | $sha | $cpr | $ren | $out | $qry | $q32 | $crc | $md5 | $(ratio "$ren" "$sha")× | $(ratio "$ren" "$cpr")× | $(ratio "$out" "$sha")× | $(ratio "$qry" "$sha")× | $pycrc | $pymd5 |"
	done
	echo
	if ((!have_py)); then
		echo "The Python rows are left out: $SEED_BASELINE is not there."
		echo
	fi
	echo "Against the targets:"
	echo
	local v
	for v in "${verdicts[@]}"; do
		echo "- $v"
	done
}

# section_gobench runs the Go benchmarks and prints the median of each
# figure per benchmark.
section_gobench() {
	local raw=$WORK/gobench.txt
	log "gobench: go test -bench . -count $GOBENCH_COUNT ./core ./strategy"
	go test -run '^$' -bench . -benchmem -count "$GOBENCH_COUNT" -benchtime "$BENCHTIME" ./core ./strategy >"$raw"
	cat <<EOF
## Go benchmarks

$(date -u +%Y-%m-%d), $(machine). \`go test -run '^\$' -bench . -benchmem -count $GOBENCH_COUNT -benchtime $BENCHTIME ./core ./strategy\`, median of the $GOBENCH_COUNT runs of each. MB/s figures in one group (such as BenchmarkBuild/disk/...) come from the same run and the same files, so their ratios can be quoted.

| package | benchmark | ns/op | MB/s | B/op | allocs/op |
| --- | --- | ---: | ---: | ---: | ---: |
EOF
	awk '
		/^pkg: / { pkg = $2; sub(".*/cachebust/", "", pkg) }
		/^Benchmark/ {
			name = $1; sub(/-[0-9]+$/, "", name)
			key = pkg " " name
			if (!(key in seen)) { seen[key] = 1; order[++n] = key }
			for (i = 3; i < NF; i += 2) { vals[key, $(i+1)] = vals[key, $(i+1)] " " $i }
		}
		function med(s,    a, k, j, t, m) {
			if (s == "") return "-"
			m = split(s, a, " ")
			for (k = 2; k <= m; k++) for (j = k; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			return (m % 2) ? a[(m+1)/2] : (a[m/2] + a[m/2+1]) / 2
		}
		END {
			for (k = 1; k <= n; k++) {
				split(order[k], p, " ")
				printf "| %s | %s | %s | %s | %s | %s |\n", p[1], p[2], med(vals[order[k], "ns/op"]), med(vals[order[k], "MB/s"]), med(vals[order[k], "B/op"]), med(vals[order[k], "allocs/op"])
			}
		}' "$raw"
}

# section_targets runs the benchmarks that measure a runtime target against
# a baseline in the same run, and prints one row per target with the median
# over GOBENCH_COUNT runs and a verdict.
section_targets() {
	local raw=$WORK/targets.txt
	log "targets: go test -bench (ratio benchmarks) -count $GOBENCH_COUNT"
	{
		go test -run '^$' -bench 'BenchmarkURL$|BenchmarkDevLookup|BenchmarkHandler' -benchmem -count "$GOBENCH_COUNT" -benchtime "$BENCHTIME" ./core
		go test -run '^$' -bench 'BenchmarkPage' -benchmem -count "$GOBENCH_COUNT" -benchtime "$BENCHTIME" ./adapters/htmltemplate ./adapters/pongo2 ./adapters/jet
		go test -run '^$' -bench 'BenchmarkMiddleware' -benchmem -count "$GOBENCH_COUNT" -benchtime "$BENCHTIME" ./adapters/fiberstatic
		go test -run '^$' -bench 'BenchmarkLoad' -count 1 -benchtime 20000x ./e2e
	} >"$raw"
	# med PKG BENCH UNIT prints the median of UNIT over the runs of BENCH.
	med() {
		awk -v pkg="$1" -v bench="$2" -v unit="$3" '
			/^pkg: / { p = $2; sub(".*/cachebust/", "", p) }
			/^Benchmark/ && p == pkg {
				name = $1; sub(/-[0-9]+$/, "", name)
				if (name != bench) next
				for (i = 3; i < NF; i++) if ($(i+1) == unit) v[++n] = $i + 0
			}
			END {
				if (!n) { print "-"; exit }
				for (k = 2; k <= n; k++) for (j = k; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
				x = (n % 2) ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2
				printf (x >= 1000 ? "%.0f\n" : "%.4g\n"), x
			}' "$raw"
	}
	# row TARGET FIGURE OP LIMIT NOTE prints one row of the table.
	row() {
		if [[ $2 == - ]]; then
			printf '| %s | - | %s %s | not measured | %s |\n' "$1" "$3" "$4" "$5"
		else
			printf '| %s | %s | %s %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$(verdict "$2" "$3" "$4")" "$5"
		fi
	}
	printf '## Runtime targets\n\n'
	printf '%s, %s. Medians of %s runs of each benchmark (`-benchtime %s`). ' "$(date -u +%Y-%m-%d)" "$(machine)" "$GOBENCH_COUNT" "$BENCHTIME"
	printf 'Every ratio compares two things measured in the same run; the render, handler and middleware ratios take turns between the two sides inside one benchmark loop, which keeps them steady on a busy machine.\n\n'
	printf '| target | measured | goal | verdict | what is compared |\n| --- | ---: | ---: | --- | --- |\n'
	row "resolver lookup, ns/op" "$(med core BenchmarkURL/css_main.css ns/op)" "<=" 30 "\`Resolver.URL\` of a manifest path; a bare map lookup in the same run: $(med core BenchmarkURL/MapLookupBaseline ns/op) ns"
	row "resolver lookup, allocs/op" "$(med core BenchmarkURL/css_main.css allocs/op)" "<=" 0 "the same lookup"
	row "lookup of a missing path, allocs/op" "$(med core BenchmarkURL/js_app.js allocs/op)" "<=" 0 "fallback URL, logged once and then cached"
	row "dev-mode lookup ÷ normal lookup" "$(med core BenchmarkDevLookup/Dev x-normal)" "<=" 1.2 "\`core.NewDev\` between checks"
	row "html/template page ÷ built-in" "$(med adapters/htmltemplate BenchmarkPage/html/ratio x-baseline)" "<=" 1.2 "50 \`asset_url\` calls against 50 \`print\` calls"
	row "text/template page ÷ built-in" "$(med adapters/htmltemplate BenchmarkPage/text/ratio x-baseline)" "<=" 1.2 "the same in text/template"
	row "pongo2 filter page ÷ built-in" "$(med adapters/pongo2 BenchmarkPage/filter/ratio x-baseline)" "<=" 1.2 "\`\\|asset_url\` against \`\\|lower\`"
	row "pongo2 function page ÷ built-in filter" "$(med adapters/pongo2 BenchmarkPage/func/ratio x-baseline)" "<=" 1.2 "\`asset_url(x)\` against \`\\|lower\`; pongo2 has no built-in function"
	row "pongo2 function page ÷ no-op Go function" "$(med adapters/pongo2 BenchmarkPage/func-vs-noop/ratio x-baseline)" "<=" 1.2 "\`asset_url(x)\` against a Go function returning its argument"
	row "Jet page ÷ built-in" "$(med adapters/jet BenchmarkPage/ratio x-baseline)" "<=" 1.2 "\`\\| asset_url\` against \`\\| lower\`"
	row "handler time ÷ http.FileServer time" "$(med core BenchmarkHandler/ratio x-baseline)" "<=" 1.11 "the same file; at most 1.11 is throughput at least 0.9×"
	row "Fiber middleware time ÷ Fiber static time" "$(med adapters/fiberstatic BenchmarkMiddleware/ratio x-baseline)" "<=" 1.11 "\`fiberstatic\` against Fiber v3 \`static.New\`, in memory; at most 1.11 is throughput at least 0.9×"
	row "load test errors" "$(med e2e BenchmarkLoad errors)" "<=" 0 "$(med e2e BenchmarkLoad requests/s) requests/s, 20,000 requests from 8 workers over loopback while manifests are rebuilt and swapped every 50 ms"
}

# replace_section NAME FILE puts the contents of FILE between the markers
# of NAME in the report, appending the markers if they are missing.
replace_section() {
	local name=$1 body=$2 begin="<!-- BEGIN $1 -->" end="<!-- END $1 -->"
	[[ -f $REPORT ]] || printf '# Performance\n\nSections between marker comments are generated by scripts/perf.sh.\n' >"$REPORT"
	if ! grep -qF "$begin" "$REPORT"; then
		printf '\n%s\n%s\n' "$begin" "$end" >>"$REPORT"
	fi
	awk -v begin="$begin" -v end="$end" -v body="$body" '
		$0 == begin { print; while ((getline line < body) > 0) print line; skip = 1; next }
		$0 == end { skip = 0 }
		!skip' "$REPORT" >"$REPORT.tmp"
	mv "$REPORT.tmp" "$REPORT"
}

sections=("$@")
((${#sections[@]})) || sections=(build gobench targets)
for s in "${sections[@]}"; do
	if ! declare -F "section_$s" >/dev/null; then
		log "unknown section $s (have: $(declare -F | awk '/section_/ {sub("section_", "", $3); printf "%s ", $3}'))"
		exit 2
	fi
	"section_$s" >"$WORK/$s.md"
	cat "$WORK/$s.md"
	replace_section "$s" "$WORK/$s.md"
done
