#!/usr/bin/env bash
# npm-proof.sh: build two real npm packages nobody here wrote in the rename
# form and prove that every reference in every renamed stylesheet and script
# resolves to a renamed file with the hash the manifest records.
#
# For bootstrap@5.3.3 and bootstrap-icons@1.11.3 (override with the
# arguments, as npm package specs) it
#
#   1. packs the package with `npm pack` into a temporary directory and
#      unpacks it;
#   2. builds it in place with `cachebust build -integrity sha384 -gzip
#      -brotli` and counts the warnings about missing references;
#   3. runs `cachebust verify` (hashes, sizes, decompressed siblings);
#   4. runs scripts/refcheck (see its doc comment) over the output;
#   5. builds it again in place and checks that nothing changed: the same
#      manifest bytes, the same files with the same content.
#
# It needs Go and npm (with network access to the registry) and exits
# non-zero on the first failure. Run it from anywhere in the repository:
#
#	scripts/npm-proof.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
  packages=(bootstrap@5.3.3 bootstrap-icons@1.11.3)
fi

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

  "$work/cachebust" build -integrity sha384 -gzip -brotli "$dir" 2>"$work/build.log" | tee "$work/build.out"
  warnings=$(grep -c 'reference left as written' "$work/build.log" || true)
  cat "$work/build.log"
  echo "missing-reference warnings: $warnings"

  "$work/cachebust" verify "$dir"

  if ! "$work/refcheck" "$dir"; then
    failed=1
  fi

  cp "$dir/cachebust.json" "$work/manifest.before"
  tree_sum "$dir" >"$work/tree.before"
  "$work/cachebust" build -integrity sha384 -gzip -brotli "$dir" | tee "$work/rebuild.out"
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
