#!/usr/bin/env python3
"""Generates lead lists, a NIX register, a company block list, customers, consents and a
contact history of the SampleData shape, at any size, deterministically from a seed.

    scripts/generate-sample-data.py --out DIR [--leads N] [--seed S] [--register N]
        [--block N] [--customers N] [--attempts N] [--call-date YYYY-MM-DD]

The numbers overlap on purpose so that every rule fires: some leads are in the register, on
the block list, customers or consenting; some have attempts that reach each quota; some are
written twice, badly, abroad or in number ranges that are not called. Vendor A delivers
gzipped UTF-8 with ';' and a source column; vendor B delivers plain Latin-1 (Excel) with ','
and CRLF, two phone columns and no source column.
"""
import argparse
import datetime as dt
import gzip
import io
import os
import random

FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sofia", "Per",
         "Åsa", "Örjan", "Märta", "Björn", "Ingrid", "Göran", "Linnéa", "Håkan"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Öberg", "Åkesson", "Lindström", "Bäckström"]
CITIES = [("Stockholm", "8"), ("Göteborg", "31"), ("Malmö", "40"), ("Uppsala", "18"),
          ("Umeå", "90"), ("Västerås", "21"), ("Örebro", "19"), ("Linköping", "13")]
MOBILE_PREFIXES = ["70", "72", "73", "76", "79"]


def mobile(rng):
    return "46" + rng.choice(MOBILE_PREFIXES) + "%07d" % rng.randrange(10**7)


def fixed(rng):
    city, area = rng.choice(CITIES)
    digits = 8 if area == "8" else 7 if area in ("31", "40") else 6
    return "46" + area + str(rng.randrange(2, 10)) + "%0*d" % (digits - 1, rng.randrange(10 ** (digits - 1)))


def written(e164, rng):
    """One of the ways vendors write a Swedish number (e164 without '+')."""
    national = "0" + e164[2:]
    style = rng.randrange(9)
    if style == 0:
        return national
    if style == 1:
        return "+" + e164
    if style == 2:
        return "0046" + e164[2:]
    if style == 3:
        return e164
    if style == 4:
        return "+46 (0)" + e164[2:4] + " " + e164[4:7] + " " + e164[7:9] + " " + e164[9:]
    if national.startswith("07"):
        if style == 5:
            return national[:3] + "-" + national[3:6] + " " + national[6:8] + " " + national[8:]
        return national[:3] + "-" + national[3:]
    area = next(a for _, a in CITIES if e164[2:].startswith(a))
    rest = e164[2 + len(area):]
    return "0" + area + "-" + " ".join(rest[i:i + 3] for i in range(0, len(rest), 3))


def bad_number(rng):
    return rng.choice(["070-123", "0701234567890", "tel saknas", "0000000000", "12345",
                       "+46 (0)70 12", "07O-1234567", "-", "ring ej"])


def odd_number(rng):
    """Valid numbers that a consumer campaign does not call, or foreign ones."""
    return rng.choice([
        "0900-%06d" % rng.randrange(10**6),         # premium rate
        "020-%06d" % rng.randrange(10**6),          # freephone
        "0939-%06d" % rng.randrange(10**6),         # premium rate
        "+47 4%07d" % rng.randrange(10**7),         # Norwegian mobile
        "+358 40 %07d" % rng.randrange(10**7),      # Finnish mobile
        "+45 20 %06d" % rng.randrange(10**6),       # Danish mobile
        "0746-%06d" % rng.randrange(10**6),         # paging
    ])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--leads", type=int, default=3000, help="total lead rows over both vendors")
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--register", type=int, default=None, help="NIX register size")
    ap.add_argument("--block", type=int, default=None, help="company block list size")
    ap.add_argument("--customers", type=int, default=None)
    ap.add_argument("--attempts", type=int, default=None, help="history attempts (besides the rule cases)")
    ap.add_argument("--call-date", default="2026-11-23")
    ap.add_argument("--vendor-b-share", type=float, default=0.4)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    call_date = dt.date.fromisoformat(args.call_date)
    n = args.leads
    register_size = args.register if args.register is not None else max(n // 3, 10)
    block_size = args.block if args.block is not None else max(n // 50, 5)
    customer_count = args.customers if args.customers is not None else max(n // 20, 5)
    attempt_count = args.attempts if args.attempts is not None else max(n // 5, 10)

    # The pool of consumers the leads are drawn from: each lead number is the next unused one
    # (vendor B rows may use two), and about 3 % repeat an earlier one.
    pool_size = max(int(n * 1.5), 1)
    pool = [mobile(rng) if rng.random() < 0.75 else fixed(rng) for _ in range(pool_size)]
    next_unused = [0]

    def pool_number(rng):
        if next_unused[0] > 0 and (rng.random() < 0.03 or next_unused[0] >= pool_size):
            return pool[rng.randrange(next_unused[0])]
        next_unused[0] += 1
        return pool[next_unused[0] - 1]

    # Register, block list, customers and consents overlap the pool.
    with gzip.open(os.path.join(args.out, "nix-register.txt.gz"), "wt", encoding="ascii", compresslevel=6) as f:
        for i in range(register_size):
            number = pool[rng.randrange(pool_size)] if rng.random() < 0.5 else mobile(rng)
            f.write(number + "\n")
    with open(os.path.join(args.out, "block-list.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("telefonnummer,datum,kommentar\n")
        for i in range(block_size):
            number = pool[rng.randrange(pool_size)]
            f.write("0%s,%s,spärr via kundtjänst\n" % (number[2:], call_date - dt.timedelta(days=rng.randrange(400))))
    with open(os.path.join(args.out, "customers.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("number,agreement_end,category\n")
        for i in range(customer_count):
            number = pool[rng.randrange(pool_size)]
            roll = rng.random()
            end = "" if roll < 0.4 else str(call_date - dt.timedelta(days=rng.randrange(-200, 700)))
            f.write("+%s,%s,%s\n" % (number, end, rng.choice(["bredband", "bredband", "tv", ""])))
    with open(os.path.join(args.out, "consents.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("number,consent_date\n")
        for i in range(max(customer_count // 2, 3)):
            number = pool[rng.randrange(pool_size)]
            f.write("%s,%s\n" % (number, call_date - dt.timedelta(days=rng.randrange(200))))

    # Contact history: random attempts, plus numbers driven to each quota.
    campaign, offer, centre = "vinter-2026", "bredband-100", "kkc-umea"

    def stamp(day, hour, minute, offset=True):
        local = dt.datetime(day.year, day.month, day.day, hour, minute)
        if not offset:
            return local.strftime("%Y-%m-%d %H:%M:%S")
        summer = dt.date(day.year, 3, 25) <= day <= dt.date(day.year, 10, 25)
        return local.strftime("%Y-%m-%dT%H:%M:%S") + ("+02:00" if summer else "+01:00")

    with gzip.open(os.path.join(args.out, "history.csv.gz"), "wt", encoding="utf-8", compresslevel=6) as f:
        f.write("number,attempted_at,campaign,offer,contact_centre,outcome\n")
        outcomes = ["answered", "no_answer", "busy", "hung_up"]
        for i in range(attempt_count):
            number = pool[rng.randrange(pool_size)]
            day = call_date - dt.timedelta(days=rng.randrange(1, 400))
            camp, off = rng.choice([(campaign, offer), ("host-2026", offer), ("var-2026", "tv-bas"), ("sommar-2025", offer)])
            f.write("+%s,%s,%s,%s,%s,%s\n" % (number, stamp(day, rng.randrange(8, 20), rng.randrange(60), rng.random() < 0.8),
                                              camp, off, rng.choice([centre, "kkc-lulea"]), rng.choice(outcomes)))
        cases = max(n // 100, 2)
        for i in range(cases):
            number = pool[rng.randrange(pool_size)]
            kind = i % 4
            if kind == 0:  # two attempts today: daily limit reached
                for hour in (9, 13):
                    f.write("+%s,%s,%s,%s,%s,no_answer\n" % (number, stamp(call_date, hour, 5), campaign, offer, centre))
            elif kind == 1:  # one late attempt today: the gap runs past closing time
                f.write("+%s,%s,%s,%s,%s,busy\n" % (number, stamp(call_date, 17, 30), campaign, offer, centre))
            elif kind == 2:  # twenty attempts in the last 30 days
                for d in range(20):
                    f.write("+%s,%s,%s,%s,%s,no_answer\n" % (number, stamp(call_date - dt.timedelta(days=1 + d), 11, 0), campaign, offer, "kkc-lulea"))
            else:  # two other campaigns with the same offer this year
                for camp, back in (("host-2026", 40), ("sommar-2026", 150)):
                    f.write("+%s,%s,%s,%s,%s,answered\n" % (number, stamp(call_date - dt.timedelta(days=back), 12, 0), camp, offer, centre))

    # Lead lists.
    b_rows = int(n * args.vendor_b_share)
    a_rows = n - b_rows

    def lead_number(rng):
        roll = rng.random()
        if roll < 0.03:
            return bad_number(rng)
        if roll < 0.06:
            return odd_number(rng)
        return written(pool_number(rng), rng)

    buf = io.StringIO()
    buf.write("Förnamn;Efternamn;Adress;Postnr;Ort;Telefon;Källa\n")
    for i in range(a_rows):
        city, _ = rng.choice(CITIES)
        buf.write("%s;%s;%s %d;%03d %02d;%s;%s;%s\n" % (
            rng.choice(FIRST), rng.choice(LAST), rng.choice(["Storgatan", "Kungsgatan", "Björkvägen", "Åvägen"]),
            rng.randrange(1, 120), rng.randrange(100, 999), rng.randrange(100), city, lead_number(rng),
            rng.choice(["Leadbolaget AB", "Leadbolaget AB", "Adressbanken"])))
        if i == a_rows // 2 and a_rows > 10:
            # A second gzip member: vendors concatenate daily parts.
            with gzip.open(os.path.join(args.out, "leads-vendor-a.csv.gz"), "wb", compresslevel=6) as f:
                f.write(buf.getvalue().encode("utf-8"))
            buf = io.StringIO()
    with open(os.path.join(args.out, "leads-vendor-a.csv.gz"), "ab") as raw:
        raw.write(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=6))

    with open(os.path.join(args.out, "leads-vendor-b.csv"), "w", encoding="latin-1", newline="") as f:
        f.write("Namn,Telefonnummer,Mobil,Ort,Anteckning\r\n")
        for i in range(b_rows):
            city, _ = rng.choice(CITIES)
            phone = lead_number(rng) if rng.random() < 0.6 else ""
            mob = lead_number(rng) if rng.random() < 0.8 or not phone else ""
            note = rng.choice(["", "", "ring efter 17", '"Vill ha offert, ""snabbt"""', '"Flyttar; ny adress"'])
            f.write("%s %s,%s,%s,%s,%s\r\n" % (rng.choice(FIRST), rng.choice(LAST), phone, mob, city, note))


if __name__ == "__main__":
    main()
