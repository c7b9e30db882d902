#!/usr/bin/env python3
"""Writes the corpus of bad lead lists under Tests/nixwashTests/BadInputs/ (committed; the
tests never run this). Each file is one way a vendor delivery goes wrong; ReliabilityBadInputTests
pins the exact message and exit code of each."""
import gzip
import os
import random

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "nixwashTests", "BadInputs")
os.makedirs(out, exist_ok=True)
rng = random.Random(8)

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

good = "namn,telefon,källa\n" + "".join(f"n{i},070{1000000 + i * 7919 % 9000000},V1\n" for i in range(400))
good_gz = gzip.compress(good.encode(), mtime=0)
write("truncated.csv.gz", good_gz[: len(good_gz) // 2])
# The last 8 bytes are CRC-32 and length: a flipped CRC bit is damage zlib must report.
corrupt = bytearray(good_gz)
corrupt[-8] ^= 0x01
write("corrupt-crc.csv.gz", bytes(corrupt))
bad_method = bytearray(good_gz)
bad_method[2] = 7  # compression method other than deflate
write("bad-header.csv.gz", bytes(bad_method))
write("trailing-garbage.csv.gz", good_gz + b"this is not gzip\n")
write("garbage.bin", bytes(rng.randrange(1, 256) for _ in range(4096)))
write("nul-byte.csv", b"namn,telefon,k\xc3\xa4lla\nAnna,0701234567,V1\nBo,070\x00123,V1\n")
write("unterminated-quote.csv", "namn,telefon,källa\nAnna,0701234567,V1\nBo,\"0701234568,V1\nCia,0701234569,V1\n".encode())
write("huge-field.csv.gz", gzip.compress(("namn,telefon,källa\nAnna,0701234567," + "x" * (2 << 20) + "\n").encode(), mtime=0))
write("long-line.csv", ("namn,telefon,källa\nAnna,0701234567,V1\n" + "Bo,0701234568," + "y" * 5000 + "\n").encode())
write("duplicate-header.csv", "namn,telefon,telefon,källa\nAnna,0701234567,0701234567,V1\nBo,0701234568,0701234569,V1\n".encode())
write("missing-columns.csv", "namn,telefon,källa\nAnna,0701234567\nBo\nCia,0701234569,V1\n".encode())
write("no-phone-column.csv", "namn,adress,källa\nAnna,Storgatan 1,V1\n".encode())
write("mixed-delimiters.csv", "namn;telefon;källa\nAnna;0701234567;V1\nBo,0701234568,V1\nCia\t0701234569\tV1\nDan;0701234570,V1\n".encode())
write("empty.csv", b"")
write("header-only.csv", "namn,telefon,källa\n".encode())
