#!/usr/bin/env python3
"""Generates the calendar fixtures the Swift rules tests compare against, from sources that
share no code with nixwash:

- Tests/NixWashKitTests/Fixtures/no-call-days.csv: Christmas Eve, Easter Eve and Midsummer
  Eve per year, taken from the `holidays` package's Swedish calendar (Julafton, Påskafton,
  Midsommarafton) and cross-checked against python-dateutil's Easter computation.
- Tests/NixWashKitTests/Fixtures/stockholm-dst.csv: the instants (seconds since the epoch)
  Europe/Stockholm enters and leaves summer time per year, found from the IANA time zone
  database through Python's zoneinfo.

Usage: pip install holidays python-dateutil && python3 scripts/gen-rules-fixtures.py
"""
import csv
import datetime as dt
import pathlib
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter

YEARS = range(2000, 2100)  # SPEC needs 2025-2030; the wider span costs nothing
OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/NixWashKitTests/Fixtures"
NAMES = {"Julafton": "christmas_eve", "Påskafton": "easter_eve", "Midsommarafton": "midsummer_eve"}


def no_call_days():
    rows = []
    for year in YEARS:
        found = {}
        for category in holidays.Sweden.supported_categories:
            calendar = holidays.Sweden(years=year, categories=category, language="sv")
            for day, name in calendar.items():
                for part in name.split("; "):
                    if part in NAMES:
                        found[NAMES[part]] = day
        assert set(found) == set(NAMES.values()), (year, found)
        assert found["easter_eve"] == easter(year) - dt.timedelta(days=1), year
        for code in ("christmas_eve", "easter_eve", "midsummer_eve"):
            rows.append((year, code, found[code].isoformat()))
    return rows


def dst_transitions():
    zone = ZoneInfo("Europe/Stockholm")
    rows = []
    for year in YEARS:
        changes = []
        t = int(dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc).timestamp())
        end = int(dt.datetime(year + 1, 1, 1, tzinfo=dt.timezone.utc).timestamp())
        previous = dt.datetime.fromtimestamp(t, zone).utcoffset()
        while t < end:  # hourly steps: every change is on a whole hour
            offset = dt.datetime.fromtimestamp(t, zone).utcoffset()
            if offset != previous:
                changes.append(t)
                previous = offset
            t += 3600
        assert len(changes) == 2, (year, changes)
        rows.append((year, changes[0], changes[1]))
    return rows


def write(name, header, rows):
    with open(OUT / name, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


OUT.mkdir(parents=True, exist_ok=True)
write("no-call-days.csv", ("year", "day", "date"), no_call_days())
write("stockholm-dst.csv", ("year", "summer_time_start", "summer_time_end"), dst_transitions())
