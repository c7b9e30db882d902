#!/usr/bin/env python3
"""Generates the numbering-plan tables of nixwash (Sources/NixWashKit/Phone/*NumberingPlan.swift
and CountryCallingCodes.swift) from the metadata of Google's libphonenumber, as shipped by the
Python `phonenumbers` package (`pip install phonenumbers`).

Each plan is one minimal deterministic automaton over the digits of the national significant
number (NSN): a state per digit read, and for every state the number type libphonenumber would
give a number ending there (or none). libphonenumber's validity rules are regular expressions
per number type plus lists of possible lengths, checked in a fixed order, and for calling codes
shared by several regions (+47 Norway and Svalbard, +358 Finland and Aland) a region choice by
leading digits; the automaton folds all of that into one table lookup per digit, so the Swift
side needs no regex and agrees with libphonenumber by construction. The test fixture
(scripts/generate-phone-fixture.py) checks that it does.

Usage: scripts/generate-numbering-plans.py   (rewrites the generated Swift files in place)
"""
import os
import sys

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "NixWashKit", "Phone")
MAX_NSN = 17  # libphonenumber refuses longer national numbers

# Order matters: it is the raw value order of NumberType.code in NumberingPlan.swift.
TYPE_CODES = {
    PhoneNumberType.MOBILE: 1,
    PhoneNumberType.FIXED_LINE: 2,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: 3,
    PhoneNumberType.TOLL_FREE: 4,
    PhoneNumberType.PREMIUM_RATE: 5,
    PhoneNumberType.SHARED_COST: 6,
    PhoneNumberType.PERSONAL_NUMBER: 7,
    PhoneNumberType.VOIP: 8,
    PhoneNumberType.PAGER: 9,
    PhoneNumberType.UAN: 10,
    PhoneNumberType.VOICEMAIL: 11,
}
DESCS = ["general_desc", "premium_rate", "toll_free", "shared_cost", "voip", "personal_number",
         "pager", "uan", "voicemail", "fixed_line", "mobile"]

PLANS = [
    # (calling code, Swift file, Swift static name, country name)
    (46, "SwedishNumberingPlan.swift", "sweden", "Sweden"),
    (47, "NorwegianNumberingPlan.swift", "norway", "Norway (with Svalbard and Jan Mayen)"),
    (358, "FinnishNumberingPlan.swift", "finland", "Finland (with the Aland Islands)"),
    (45, "DanishNumberingPlan.swift", "denmark", "Denmark"),
]


# --- a small regex engine for the subset libphonenumber's metadata uses ----------------------

class Parser:
    """Parses digits, \\d, [..] classes, (?:..) and (..) groups, |, ?, *, + and {n} / {n,m}."""

    def __init__(self, text):
        self.s, self.i = text, 0

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else None

    def parse(self):
        node = self.alt()
        if self.i != len(self.s):
            raise ValueError("unsupported regex at %d: %s" % (self.i, self.s))
        return node

    def alt(self):
        branches = [self.concat()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.concat())
        return ("alt", branches)

    def concat(self):
        items = []
        while self.peek() not in (None, "|", ")"):
            items.append(self.repeat())
        return ("cat", items)

    def repeat(self):
        atom = self.atom()
        c = self.peek()
        if c == "?":
            self.i += 1
            return ("rep", atom, 0, 1)
        if c == "*":
            self.i += 1
            return ("rep", atom, 0, MAX_NSN)
        if c == "+":
            self.i += 1
            return ("rep", atom, 1, MAX_NSN)
        if c == "{":
            end = self.s.index("}", self.i)
            body = self.s[self.i + 1:end]
            self.i = end + 1
            lo, _, hi = body.partition(",")
            return ("rep", atom, int(lo), int(hi) if hi else (int(lo) if "," not in body else MAX_NSN))
        return atom

    def atom(self):
        c = self.peek()
        if c == "(":
            self.i += 1
            if self.s.startswith("?:", self.i):
                self.i += 2
            node = self.alt()
            assert self.peek() == ")", self.s
            self.i += 1
            return node
        if c == "[":
            end = self.s.index("]", self.i)
            body, digits, j = self.s[self.i + 1:end], set(), 0
            self.i = end + 1
            while j < len(body):
                if j + 2 < len(body) and body[j + 1] == "-":
                    digits |= set(range(int(body[j]), int(body[j + 2]) + 1))
                    j += 3
                elif body.startswith("\\d", j):
                    digits |= set(range(10))
                    j += 2
                else:
                    digits.add(int(body[j]))
                    j += 1
            return ("set", frozenset(digits))
        if self.s.startswith("\\d", self.i):
            self.i += 2
            return ("set", frozenset(range(10)))
        if c is not None and c.isdigit():
            self.i += 1
            return ("set", frozenset([int(c)]))
        raise ValueError("unsupported regex at %d: %s" % (self.i, self.s))


class NFA:
    def __init__(self):
        self.eps, self.moves = [], []

    def state(self):
        self.eps.append([])
        self.moves.append([])
        return len(self.eps) - 1

    def build(self, node):
        """Returns (start, end) of a Thompson fragment for the AST node."""
        kind = node[0]
        if kind == "set":
            a, b = self.state(), self.state()
            self.moves[a].append((node[1], b))
            return a, b
        if kind == "cat":
            a = self.state()
            cur = a
            for item in node[1]:
                s, e = self.build(item)
                self.eps[cur].append(s)
                cur = e
            return a, cur
        if kind == "alt":
            a, b = self.state(), self.state()
            for branch in node[1]:
                s, e = self.build(branch)
                self.eps[a].append(s)
                self.eps[e].append(b)
            return a, b
        if kind == "rep":
            _, sub, lo, hi = node
            a = self.state()
            cur, ends = a, []
            for k in range(hi):
                if k >= lo:
                    ends.append(cur)
                s, e = self.build(sub)
                self.eps[cur].append(s)
                cur = e
            b = self.state()
            for e in ends + [cur]:
                self.eps[e].append(b)
            return a, b
        raise ValueError(kind)

    def closure(self, states):
        stack, seen = list(states), set(states)
        while stack:
            s = stack.pop()
            for t in self.eps[s]:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return frozenset(seen)


# --- one calling code: libphonenumber's type decision as an automaton ------------------------

def build_plan(cc):
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[cc]
    nfa = NFA()
    starts, accept_of = [], {}  # accept NFA state -> (region, desc name)
    metas = []
    for region in regions:
        meta = PhoneMetadata.metadata_for_region(region)
        metas.append(meta)
        for name in DESCS:
            desc = getattr(meta, name)
            if desc is None or desc.national_number_pattern is None:
                continue
            s, e = nfa.build(Parser(desc.national_number_pattern).parse())
            starts.append(s)
            accept_of[e] = (region, name)
        if meta.leading_digits is not None:
            # leading_digits is matched as a prefix: the pattern, then any digits.
            s, e = nfa.build(("cat", [Parser(meta.leading_digits).parse(),
                                      ("rep", ("set", frozenset(range(10))), 0, MAX_NSN)]))
            starts.append(s)
            accept_of[e] = (region, "leading_digits")

    def matches(meta, accepted, length, name):
        desc = getattr(meta, name)
        if desc is None or (meta.id, name) not in accepted:
            return False
        return not desc.possible_length or length in desc.possible_length

    def type_helper(meta, accepted, length):
        # Mirrors phonenumberutil._number_type_helper.
        if not matches(meta, accepted, length, "general_desc"):
            return None
        for name, t in [("premium_rate", PhoneNumberType.PREMIUM_RATE),
                        ("toll_free", PhoneNumberType.TOLL_FREE),
                        ("shared_cost", PhoneNumberType.SHARED_COST),
                        ("voip", PhoneNumberType.VOIP),
                        ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
                        ("pager", PhoneNumberType.PAGER),
                        ("uan", PhoneNumberType.UAN),
                        ("voicemail", PhoneNumberType.VOICEMAIL)]:
            if matches(meta, accepted, length, name):
                return t
        if matches(meta, accepted, length, "fixed_line"):
            if meta.same_mobile_and_fixed_line_pattern or matches(meta, accepted, length, "mobile"):
                return PhoneNumberType.FIXED_LINE_OR_MOBILE
            return PhoneNumberType.FIXED_LINE
        if not meta.same_mobile_and_fixed_line_pattern and matches(meta, accepted, length, "mobile"):
            return PhoneNumberType.MOBILE
        return None

    def tag(nfa_states, length):
        accepted = {accept_of[s] for s in nfa_states if s in accept_of}
        if len(metas) == 1:
            chosen = metas[0]
        else:
            # Mirrors phonenumberutil._region_code_for_number_from_list.
            chosen = None
            for meta in metas:
                if meta.leading_digits is not None:
                    if (meta.id, "leading_digits") in accepted:
                        chosen = meta
                        break
                elif type_helper(meta, accepted, length) is not None:
                    chosen = meta
                    break
            if chosen is None:
                return 0
        t = type_helper(chosen, accepted, length)
        return TYPE_CODES[t] if t is not None else 0

    # Subset construction; the length is part of the state because possible lengths matter.
    start = (nfa.closure(starts), 0)
    index, order, trans = {start: 0}, [start], []
    i = 0
    while i < len(order):
        nfa_states, length = order[i]
        row = []
        for d in range(10):
            nxt = set()
            if length < MAX_NSN:
                for s in nfa_states:
                    for digits, t in nfa.moves[s]:
                        if d in digits:
                            nxt.add(t)
            if not nxt:
                row.append(-1)
                continue
            key = (nfa.closure(nxt), length + 1)
            if key not in index:
                index[key] = len(order)
                order.append(key)
            row.append(index[key])
        trans.append(row)
        i += 1
    tags = [tag(s, n) for s, n in order]

    # Keep only states from which some number is still reachable; the rest are dead (-1).
    live = {k for k, t in enumerate(tags) if t}
    changed = True
    while changed:
        changed = False
        for k, row in enumerate(trans):
            if k not in live and any(t in live for t in row):
                live.add(k)
                changed = True
    assert 0 in live

    # Moore minimisation: refine the partition by (tag, successor blocks) until it is stable.
    block = {k: tags[k] for k in live}
    while True:
        sig = {k: (block[k],) + tuple(block[t] if t in live else -1 for t in trans[k]) for k in live}
        ids, new = {}, {}
        for k in sorted(live):
            new[k] = ids.setdefault(sig[k], len(ids))
        if len(ids) == len(set(block.values())):
            block = new
            break
        block = new

    # Renumber: 0 is the dead state, 1 the start, then breadth-first.
    rep = {}
    for k in sorted(live):
        rep.setdefault(block[k], k)
    number, queue = {block[0]: 1}, [block[0]]
    while queue:
        b = queue.pop(0)
        for t in trans[rep[b]]:
            if t in live and block[t] not in number:
                number[block[t]] = len(number) + 1
                queue.append(block[t])
    n = len(number) + 1
    table, types = [0] * (n * 10), [0] * n
    for b, s in number.items():
        types[s] = tags[rep[b]]
        for d, t in enumerate(trans[rep[b]]):
            table[s * 10 + d] = number[block[t]] if t in live else 0

    # Most digits still to read before a valid number, for the rejection reasons.
    max_rem = [0] * n
    for _ in range(MAX_NSN + 2):
        for s in range(1, n):
            max_rem[s] = max([max_rem[t] + 1 for t in table[s * 10:(s + 1) * 10] if t] or [0])

    main = metas[0]
    lengths = sorted({l for m in metas for l in m.general_desc.possible_length})
    # Geographic first digits: digits that start some fixed-line number (open plans only).
    geographic = 0
    if main.national_prefix_for_parsing == "0":
        for d in range(10):
            s = table[10 + d]
            stack, seen = [s], set()
            while stack:
                x = stack.pop()
                if x == 0 or x in seen:
                    continue
                seen.add(x)
                if types[x] in (2, 3):
                    geographic |= 1 << d
                    break
                stack.extend(table[x * 10:(x + 1) * 10])
    return dict(table=table, types=types, max_rem=max_rem,
                trunk=main.national_prefix_for_parsing == "0", geographic=geographic,
                min_len=lengths[0], max_len=lengths[-1], regions=regions)


def swift_array(values, per_line=20):
    lines = []
    for k in range(0, len(values), per_line):
        lines.append("        " + ", ".join(str(v) for v in values[k:k + per_line]) + ",")
    return "\n".join(lines)


def write_plan(cc, filename, static, country):
    p = build_plan(cc)
    states = len(p["types"])
    text = f"""// Generated by scripts/generate-numbering-plans.py from libphonenumber metadata
// (Python phonenumbers {phonenumbers.__version__}). Do not edit; rerun the script.

extension NumberingPlan {{
    /// +{cc} {country}: regions {", ".join(p["regions"])}, national significant numbers of
    /// {p["min_len"]} to {p["max_len"]} digits, {states - 1} automaton states.
    static let {static} = NumberingPlan(
        callingCode: {cc},
        hasTrunkPrefix: {"true" if p["trunk"] else "false"},
        geographicFirstDigits: 0b{p["geographic"]:010b},
        transitions: [
{swift_array(p["table"], 30)}
        ],
        types: [
{swift_array(p["types"], 30)}
        ],
        maxRemaining: [
{swift_array(p["max_rem"], 30)}
        ]
    )
}}
"""
    with open(os.path.join(OUT, filename), "w") as f:
        f.write(text)
    print(f"{filename}: {states} states", file=sys.stderr)


def write_calling_codes():
    """Every calling code libphonenumber knows, with its NSN length range, so that numbers of
    countries whose plans nixwash does not carry are still told apart from garbage."""
    rows = []
    for cc in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[cc]
        lengths, trunk = set(), False
        for region in regions:
            meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
            if meta is None:
                continue
            lengths |= set(meta.general_desc.possible_length)
            if region == regions[0]:
                trunk = meta.national_prefix == "0"
        if not lengths:
            continue
        rows.append((cc, min(lengths), max(lengths), trunk))
    # Packed per code: minLength | maxLength << 8 | trunk << 16; 0 = not a calling code.
    table = [0] * 1000
    for cc, lo, hi, trunk in rows:
        table[cc] = lo | hi << 8 | (1 << 16 if trunk else 0)
    text = f"""// Generated by scripts/generate-numbering-plans.py from libphonenumber metadata
// (Python phonenumbers {phonenumbers.__version__}). Do not edit; rerun the script.

/// The {len(rows)} country calling codes in use, indexed by code (0-999). Each entry packs the
/// shortest national significant number length (bits 0-7), the longest (bits 8-15) and whether
/// the country's trunk prefix is 0 (bit 16); 0 means the code is not assigned.
let countryCallingCodes: [UInt32] = [
{swift_array(table, 20)}
]
"""
    with open(os.path.join(OUT, "CountryCallingCodes.swift"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    for plan in PLANS:
        write_plan(*plan)
    write_calling_codes()
