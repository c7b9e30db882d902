#!/usr/bin/env python3
"""Writes a synthetic NIX-like register: one Swedish number a line, in the written forms
registers and block lists arrive in, gzip-compressed. For timing `nixwash index build`:

    scripts/generate-register.py 10000000 /tmp/nix-10m.txt.gz
"""
import gzip
import random
import sys


def main():
    count = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(20261101)
    mobile = ["70", "72", "73", "76", "79"]
    areas2 = ["11", "13", "16", "18", "19", "21", "23", "26", "31", "33", "35", "36", "40", "42", "44", "46", "54", "60", "63", "90"]
    with gzip.open(out, "wt", compresslevel=6, newline="\n") as f:
        batch = []
        for i in range(count):
            pick = rng.randrange(100)
            if pick < 75:
                nsn = rng.choice(mobile) + "%07d" % rng.randrange(10_000_000)
            elif pick < 85:
                nsn = "8" + "%07d" % rng.randrange(10_000_000)
            else:
                nsn = rng.choice(areas2) + "%07d" % rng.randrange(10_000_000)
            form = i % 4
            if form == 0:
                line = "0" + nsn
            elif form == 1:
                line = "+46" + nsn
            elif form == 2:
                line = "46" + nsn
            else:
                line = "0%s-%s %s %s" % (nsn[:2], nsn[2:5], nsn[5:7], nsn[7:])
            batch.append(line)
            if len(batch) == 100_000:
                f.write("\n".join(batch) + "\n")
                batch = []
        if batch:
            f.write("\n".join(batch) + "\n")


if __name__ == "__main__":
    main()
