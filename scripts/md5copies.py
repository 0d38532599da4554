#!/usr/bin/env python3
"""A Python build step for the rename form, the peer scripts/perf compares
`cachebust build -url rename` with: in every directory under ROOT it
copies each file (dotfiles, .scss files and cache/ directories left out)
to cache/STEM-MD5.EXT beside it, writes a JSON manifest from each relative
path to its copy's relative path to OUT, and then removes the files in the
cache/ directories that the manifest does not name.

usage: md5copies.py ROOT OUT
"""
import hashlib
import json
import os
import shutil
import sys


def md5_file(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def copy_dir(root, base, mapping):
    cache = os.path.join(base, "cache")
    os.makedirs(cache, exist_ok=True)
    for entry in os.scandir(base):
        if entry.name.startswith(".") or entry.name.endswith(".scss") or entry.name == "cache":
            continue
        if entry.is_file():
            stem, ext = os.path.splitext(entry.name)
            copy = os.path.join(cache, "%s-%s%s" % (stem, md5_file(entry.path), ext))
            shutil.copy2(entry.path, copy)
            mapping[os.path.relpath(entry.path, root)] = os.path.relpath(copy, root)
        elif entry.is_dir():
            copy_dir(root, entry.path, mapping)


def remove_stale(root, mapping):
    active = set(mapping.values())
    for dirpath, dirs, files in os.walk(root):
        if os.path.basename(dirpath) != "cache":
            continue
        for name in files:
            path = os.path.join(dirpath, name)
            if os.path.relpath(path, root) not in active:
                os.remove(path)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    root, out = sys.argv[1], sys.argv[2]
    mapping = {}
    copy_dir(root, root, mapping)
    with open(out, "w") as f:
        json.dump(mapping, f, indent=2)
    remove_stale(root, mapping)


if __name__ == "__main__":
    main()
