#!/usr/bin/env bash
# npm-proof.sh: build real npm packages nobody here wrote in the rename
# form and prove that every reference in every renamed stylesheet, script
# and source map resolves to a renamed file with the hash the manifest
# records, and that nothing outside the references changed.
#
# For bootstrap@5.3.3 and bootstrap-icons@1.11.3 (stylesheets, fonts,
# scripts with source maps) and lit@3.3.3, preact@10.29.8 and three@0.187.0
# (ES modules) (override with the arguments, as npm package specs) it
#
#   1. packs the package with `npm pack` into a temporary directory and
#      unpacks it;
#   2. lists the module specifiers of its scripts with esbuild (pinned
#      below, run with `npm exec`), an independent JavaScript parser;
#   3. builds it in place with `cachebust build -integrity sha384 -gzip
#      -brotli` and counts the warnings about missing references;
#   4. runs `cachebust verify` (hashes, sizes, decompressed siblings);
#   5. runs scripts/refcheck (see its doc comment) over the output, with
#      esbuild's list to cross-check the specifiers found;
#   6. builds it again in place and checks that nothing changed: the same
#      manifest bytes, the same files with the same content.
#
# preact is built with -exclude src: its src/ directories are sources for
# bundlers whose specifiers have no extension ("./util"), which no browser
# resolves, and the build rightly warns about every one of them.
#
# It needs Go and npm (with network access to the registry) and exits
# non-zero on the first failure. Run it from anywhere in the repository:
#
#	scripts/npm-proof.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
  packages=(bootstrap@5.3.3 bootstrap-icons@1.11.3 lit@3.3.3 preact@10.29.8 three@0.187.0)
fi
esbuild_version=0.28.2

# build_flags prints the extra build flags for the package spec $1.
build_flags() {
  case "$1" in
  preact@*) echo "-exclude src" ;;
  esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/cachebust-npm-proof.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One binary for every step, built from this checkout.
go build -o "$work/cachebust" ./cmd/cachebust
go build -o "$work/refcheck" ./scripts/refcheck

# tree_sum prints every file under $1 with its SHA-256, sorted.
tree_sum() {
  (cd "$1" && find . -type f ! -name .cachebust.lock -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

failed=0
for spec in "${packages[@]}"; do
  echo "== $spec"
  tgz=$(cd "$work" && npm pack --silent "$spec" | tail -n 1)
  dir="$work/${tgz%.tgz}"
  mkdir "$dir"
  tar -xzf "$work/$tgz" -C "$dir" --strip-components=1

  # esbuild's view of the module specifiers, before the build adds copies.
  esbuild_args=()
  mapfile -d '' scripts < <(cd "$dir" && find . -type f \( -name '*.js' -o -name '*.mjs' \) -print0 | LC_ALL=C sort -z)
  if [ ${#scripts[@]} -gt 0 ]; then
    (cd "$dir" && npm exec --yes --package="esbuild@$esbuild_version" -- esbuild "${scripts[@]}" \
      --bundle --external:'*' --format=esm --log-level=error --metafile="$work/esbuild.json" \
      --outdir="$work/esbuild-out" --entry-names='[dir]/[name]-[hash]' >/dev/null)
    rm -rf "$work/esbuild-out"
    esbuild_args=(-esbuild "$work/esbuild.json")
  fi

  # shellcheck disable=SC2046 # build_flags prints separate words
  "$work/cachebust" build -integrity sha384 -gzip -brotli $(build_flags "$spec") "$dir" 2>"$work/build.log" | tee "$work/build.out"
  warnings=$(grep -c 'reference left as written' "$work/build.log" || true)
  cat "$work/build.log"
  echo "missing-reference warnings: $warnings"

  "$work/cachebust" verify "$dir"

  if ! "$work/refcheck" "${esbuild_args[@]}" "$dir"; then
    failed=1
  fi

  cp "$dir/cachebust.json" "$work/manifest.before"
  tree_sum "$dir" >"$work/tree.before"
  # shellcheck disable=SC2046
  "$work/cachebust" build -integrity sha384 -gzip -brotli $(build_flags "$spec") "$dir" | tee "$work/rebuild.out"
  tree_sum "$dir" >"$work/tree.after"
  if ! grep -q ': 0 written, 0 removed,' "$work/rebuild.out" ||
    ! cmp -s "$work/manifest.before" "$dir/cachebust.json" ||
    ! cmp -s "$work/tree.before" "$work/tree.after"; then
    echo "second build changed the output:"
    diff "$work/tree.before" "$work/tree.after" || true
    failed=1
  else
    echo "second build in place: nothing changed ($(wc -l <"$work/tree.after") files)"
  fi
  if [ "$warnings" -ne 0 ]; then
    failed=1
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "npm-proof: FAILED"
  exit 1
fi
echo "npm-proof: ok"
