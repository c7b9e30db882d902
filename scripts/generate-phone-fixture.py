#!/usr/bin/env python3
"""Generates Tests/NixWashKitTests/Fixtures/phone-reference.tsv: phone fields in many written
forms with what Google's libphonenumber (Python `phonenumbers`, `pip install phonenumbers`)
says about them. PhoneNormalizerReferenceTests checks nixwash's normalizer against every row.

Deterministic: a fixed seed, and the numbers are drawn by random walks over the numbering-plan
automata of scripts/generate-numbering-plans.py (so every number series is covered) plus
mutations of them (a digit dropped, added or changed) and random digit strings, which give the
invalid cases. The verdict in each row is libphonenumber's, never the automaton's.

Columns: default country, form, input (bytes; \\\\ \\t and \\xHH escaped), valid (1/0),
E.164, type, country (SE/NO/FI/DK, or empty for other calling codes).
"""
import importlib.util
import os
import random

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat, PhoneNumberType

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "NixWashKitTests", "Fixtures", "phone-reference.tsv")

spec = importlib.util.spec_from_file_location(
    "plans", os.path.join(ROOT, "scripts", "generate-numbering-plans.py"))
plans = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plans)

rnd = random.Random(20261121)
TYPE_NAMES = {
    PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_or_mobile", PhoneNumberType.TOLL_FREE: "freephone",
    PhoneNumberType.PREMIUM_RATE: "premium", PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.PERSONAL_NUMBER: "personal", PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PAGER: "paging", PhoneNumberType.UAN: "uan", PhoneNumberType.VOICEMAIL: "voicemail",
}
COUNTRY = {"SE": "SE", "NO": "NO", "SJ": "NO", "FI": "FI", "AX": "FI", "DK": "DK"}
NORDIC = {46: "SE", 47: "NO", 358: "FI", 45: "DK"}
OTHER_REGIONS = ["DE", "GB", "US", "FR", "PL", "NL", "ES", "IT", "EE", "IS", "DE", "CH", "AT", "IN"]


def walk(plan):
    """A random NSN accepted or nearly accepted by the plan's automaton."""
    table, types = plan["table"], plan["types"]
    state, nsn = 1, ""
    while True:
        choices = [d for d in range(10) if table[state * 10 + d]]
        if types[state] and (not choices or rnd.random() < 0.35):
            return nsn
        if not choices:
            return nsn
        d = rnd.choice(choices)
        nsn += str(d)
        state = table[state * 10 + d]


def mutate(nsn):
    k = rnd.randrange(4)
    if k == 0 and len(nsn) > 1:
        return nsn[:-1]
    if k == 1:
        return nsn + str(rnd.randrange(10))
    if k == 2:
        i = rnd.randrange(len(nsn))
        return nsn[:i] + str(rnd.randrange(10)) + nsn[i + 1:]
    i = rnd.randrange(min(3, len(nsn)))
    return nsn[:i] + str(rnd.randrange(10)) + nsn[i + 1:]


def number(cc, nsn):
    n = pn.PhoneNumber(country_code=cc, national_number=int(nsn) if nsn else 0)
    zeros = len(nsn) - len(nsn.lstrip("0"))
    if zeros:
        n.italian_leading_zero = True
        n.number_of_leading_zeros = zeros
    return n


def group(nsn):
    """A plausible hand-written grouping when libphonenumber has no format for the number."""
    parts, i = [], 0
    head = 2 if len(nsn) > 7 else 1
    parts.append(nsn[:head])
    i = head
    while i < len(nsn):
        parts.append(nsn[i:i + 3] if len(nsn) - i > 4 else nsn[i:])
        i += 3 if len(nsn) - i > 4 else len(nsn)
    return " ".join(parts)


def forms(cc, nsn, region, trunk):
    """(default country, form, text, encoding) for one number in many written forms."""
    n = number(cc, nsn)
    intl = pn.format_number(n, PhoneNumberFormat.INTERNATIONAL)
    if not intl.startswith("+%d " % cc):
        intl = "+%d %s" % (cc, group(nsn))
    rest = intl[len("+%d " % cc):]
    out = [
        ("SE", "e164", "+%d%s" % (cc, nsn), "ascii"),
        ("SE", "intl", intl, "ascii"),
        ("SE", "idd", "00%d %s" % (cc, rest), "ascii"),
        ("SE", "idd_compact", "00%d%s" % (cc, nsn), "ascii"),
        ("SE", "tel", "tel:+%d-%s" % (cc, rest.replace(" ", "-")), "ascii"),
    ]
    if trunk:
        out += [("SE", "intl_trunk", "+%d (0)%s" % (cc, rest), "ascii"),
                ("SE", "intl_zero", "+%d0%s" % (cc, nsn), "ascii")]
    if region in COUNTRY:
        national = pn.format_number(n, PhoneNumberFormat.NATIONAL)
        prefix = "0" if trunk else ""
        if not national or national.startswith("+") or len([c for c in national if c.isdigit()]) != len(nsn) + len(prefix):
            national = prefix + group(nsn)
        home = COUNTRY[region]
        out += [
            (home, "national", national, "ascii"),
            (home, "national_compact", prefix + nsn, "ascii"),
            (home, "national_dashes", national.replace(" ", "-"), "ascii"),
            (home, "national_dots", national.replace(" ", ".").replace("-", "."), "ascii"),
            (home, "national_slash", national.replace("-", "/", 1) if "-" in national else national.replace(" ", "/", 1), "ascii"),
            (home, "national_parens", "(%s) %s" % tuple(national.split("-", 1)) if "-" in national else national, "ascii"),
            (home, "nbsp_utf8", national.replace(" ", "\u00a0"), "utf8"),
            (home, "nbsp_latin1", national.replace(" ", "\u00a0"), "latin1"),
            (home, "junk", " '%s\u00a0 " % national, "utf8"),
            (home, "cc_no_plus", "%d%s" % (cc, nsn), "ascii"),
            (home, "cc_no_plus_spaced", "%d %s" % (cc, rest), "ascii"),
        ]
        digits = [i for i, c in enumerate(national) if c.isdigit()]
        i = rnd.choice(digits[1:])
        out.append((home, "letters", national[:i] + rnd.choice("OlIAbx") + national[i + 1:], "ascii"))
    return out


def verdict(text, default):
    try:
        n = pn.parse(text, default)
    except pn.NumberParseException:
        return "0", "", "", ""
    e164 = pn.format_number(n, PhoneNumberFormat.E164)
    if not pn.is_valid_number(n):
        return "0", e164, "", ""
    region = pn.region_code_for_number(n)
    return "1", e164, TYPE_NAMES[pn.number_type(n)], COUNTRY.get(region, "")


def escape(text, encoding):
    data = text.encode("latin-1" if encoding == "latin1" else "utf-8")
    out = []
    for b in data:
        if b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\x%02X" % b)
    return "".join(out)


def main():
    rows = set()
    built = {cc: plans.build_plan(cc) for cc in NORDIC}
    budget = {46: 1500, 47: 450, 358: 500, 45: 400}
    for cc, count in budget.items():
        region = NORDIC[cc]
        trunk = built[cc]["trunk"]
        for k in range(count):
            nsn = walk(built[cc])
            if k % 3 == 1:
                nsn = mutate(nsn)
            elif k % 7 == 2:
                nsn = str(rnd.randrange(1, 10)) + "".join(str(rnd.randrange(10)) for _ in range(rnd.randrange(4, 12)))
            if not nsn:
                continue
            for default, form, text, enc in rnd.sample(forms(cc, nsn, region, trunk), 10):
                rows.add((default, form, text, enc))
    # Every Swedish three-digit prefix, with every subscriber length: known and unknown area
    # codes, and the lengths each series allows.
    for prefix in range(100, 1000):
        for length in range(6, 11):
            nsn = str(prefix) + "".join(str(rnd.randrange(10)) for _ in range(length - 3))
            text = "0" + nsn[:2] + "-" + nsn[2:] if rnd.random() < 0.5 else "+46 " + nsn
            rows.add(("SE", "se_prefix_scan", text, "ascii"))
    # Numbers of other countries, written internationally, in a Swedish list.
    for k in range(1500):
        region = rnd.choice(OTHER_REGIONS)
        example = pn.example_number_for_type(region, rnd.choice([PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE]))
        nsn = pn.national_significant_number(example)
        if k % 2:
            nsn = mutate(nsn)
        else:
            nsn = nsn[:-4] + "".join(str(rnd.randrange(10)) for _ in range(4))
        cc = example.country_code
        rows.add(("SE", "other_e164", "+%d%s" % (cc, nsn), "ascii"))
        rows.add(("SE", "other_idd", "00%d %s" % (cc, nsn), "ascii"))
    # Nordic numbers under a Nordic default other than their own (always international there).
    for default in ["NO", "FI", "DK"]:
        for cc in NORDIC:
            for _ in range(150):
                nsn = walk(built[cc])
                rows.add((default, "cross_default", "+%d %s" % (cc, nsn), "ascii"))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write("# default\tform\tinput\tvalid\te164\ttype\tcountry  (generated by scripts/generate-phone-fixture.py, phonenumbers %s)\n" % pn.__version__)
        for default, form, text, enc in sorted(rows):
            valid, e164, kind, country = verdict(text, default)
            f.write("\t".join([default, form, escape(text, enc), valid, e164, kind, country]) + "\n")
    print(len(rows), "rows")


if __name__ == "__main__":
    main()
