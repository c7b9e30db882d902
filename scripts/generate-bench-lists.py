#!/usr/bin/env python3
"""Generates the lists scripts/bench washes against, drawn partly from a lead list so the
rules fire as in real runs: a NIX register, a company block list, a customer list and a
time-ordered attempt log a year long.

    scripts/generate-bench-lists.py --leads LEADS.csv.gz --out DIR [--register 5000000]
        [--block 200000] [--customers 200000] [--attempts 20000000] [--seed S]

Writes DIR/nix-register.txt.gz, DIR/block-list.csv, DIR/customers.csv and
DIR/history.csv.gz (gzip -1 through a pipe, so compression runs beside Python).
"""
import argparse
import datetime as dt
import gzip
import os
import random
import subprocess


def swedish(written):
    digits = "".join(c for c in written if c.isdigit())
    if any(c.isalpha() for c in written) or written.startswith(("+47", "+358", "+45")):
        return False
    national = digits[2:] if digits.startswith("46") else digits[4:] if digits.startswith("0046") else digits[1:]
    if national.startswith("0"):  # +46 (0)70 ...
        national = national[1:]
    return 7 <= len(national) <= 9 and not national.startswith(("900", "20", "939", "746"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", required=True, help="a vendor-A lead list (gzip, ';', phone column Telefon)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--register", type=int, default=5_000_000)
    ap.add_argument("--block", type=int, default=200_000)
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--attempts", type=int, default=20_000_000)
    ap.add_argument("--call-date", default="2026-11-23")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    call_date = dt.date.fromisoformat(args.call_date)

    # One pass over the leads: a share of their numbers go to each list as written there.
    with gzip.open(args.leads, "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(";")
        phone = header.index("Telefon")
        # Every third row's number, when it is a Swedish one that a register can hold (not
        # one of the generator's bad, foreign or premium-rate forms).
        usable = [n for i, line in enumerate(f) if i % 3 == 0
                  for n in (line.split(";", phone + 1)[phone],) if swedish(n)]

    def mobile():
        return "+4670%07d" % rng.randrange(10**7)

    register = os.path.join(args.out, "nix-register.txt.gz")
    with gzip.open(register + ".tmp", "wt", encoding="ascii", compresslevel=1) as f:
        for i in range(args.register):
            f.write((rng.choice(usable) if i % 2 == 0 else mobile()) + "\n")
    os.replace(register + ".tmp", register)

    with open(os.path.join(args.out, "block-list.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("telefonnummer,datum,kommentar\n")
        for _ in range(args.block):
            f.write("%s,%s,spärr via kundtjänst\n" % (rng.choice(usable), call_date - dt.timedelta(days=rng.randrange(400))))

    with open(os.path.join(args.out, "customers.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("number,agreement_end,category\n")
        for _ in range(args.customers):
            end = "" if rng.random() < 0.4 else str(call_date - dt.timedelta(days=rng.randrange(-200, 700)))
            f.write("%s,%s,%s\n" % (rng.choice(usable), end, rng.choice(["bredband", "bredband", "tv", ""])))

    # A dialer's year, day by day: each attempt's number is a lead's (half) or another mobile.
    history = os.path.join(args.out, "history.csv.gz")
    campaigns = [("vinter-2026", "bredband-100"), ("host-2026", "bredband-100"), ("var-2026", "tv-bas"),
                 ("sommar-2026", "bredband-100")]
    centres = ["kkc-umea", "kkc-lulea"]
    outcomes = ["answered", "no_answer", "busy", "hung_up"]
    tails = [",%s,%s,%s,%s\n" % (c, o, k, r) for c, o in campaigns for k in centres for r in outcomes]
    days = 365
    per_day = args.attempts // days
    with open(history + ".tmp", "wb") as raw:
        gz = subprocess.Popen(["gzip", "-1"], stdin=subprocess.PIPE, stdout=raw)
        out = gz.stdin
        out.write(b"number,attempted_at,campaign,offer,contact_centre,outcome\n")
        written = 0
        for d in range(days, 0, -1):
            day = call_date - dt.timedelta(days=d)
            summer = dt.date(day.year, 3, 29) <= day <= dt.date(day.year, 10, 25)
            zone = "+02:00" if summer else "+01:00"
            count = per_day if d > 1 else args.attempts - written
            stamps = sorted("%sT%02d:%02d:%02d%s" % (day.isoformat(), 8 + s // 3600, s // 60 % 60, s % 60, zone)
                            for s in (rng.randrange(12 * 3600) for _ in range(count)))
            lines = []
            for stamp in stamps:
                number = rng.choice(usable) if rng.random() < 0.5 else mobile()
                lines.append(number + "," + stamp + rng.choice(tails))
            out.write("".join(lines).encode("utf-8"))
            written += count
        out.close()
        if gz.wait() != 0:
            raise SystemExit("gzip failed")
    os.replace(history + ".tmp", history)


if __name__ == "__main__":
    main()
