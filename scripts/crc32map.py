#!/usr/bin/env python3
"""A Python build step for the query form, the peer scripts/perf compares
`cachebust build -hash crc32 -url query` with: it walks ROOT, computes the
CRC-32 of every file line by line with zlib, and writes a JSON map from
each relative path to its hex CRC-32, sorted and indented, to OUT.

usage: crc32map.py ROOT OUT
"""
import json
import os
import sys
import zlib


def crc32_map(root):
    result = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            crc = 0
            with open(path, "rb") as f:
                for line in f:
                    crc = zlib.crc32(line, crc)
            result[rel] = "%x" % (crc & 0xFFFFFFFF)
    return result


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    root, out = sys.argv[1], sys.argv[2]
    with open(out, "w") as f:
        f.write(json.dumps(crc32_map(root), sort_keys=True, indent=4, separators=(",", ": ")))


if __name__ == "__main__":
    main()
