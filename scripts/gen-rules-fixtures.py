#!/usr/bin/env python3
"""Generates the calendar fixtures the Swift rules tests compare against, from sources that
share no code with nixwash:

- Tests/NixWashKitTests/Fixtures/no-call-days.csv: Christmas Eve, Easter Eve and Midsummer
  Eve per year, taken from the `holidays` package's Swedish calendar (Julafton, Påskafton,
  Midsommarafton) and cross-checked against python-dateutil's Easter computation.
- Tests/NixWashKitTests/Fixtures/stockholm-dst.csv: the instants (seconds since the epoch)
  Europe/Stockholm enters and leaves summer time per year, found from the IANA time zone
  database through Python's zoneinfo. Europe/Oslo is checked to change on the same instants
  (the Norway profile reads clock times with the Stockholm rules).
- Tests/NixWashKitTests/Fixtures/norway-holidays.csv: Norway's public holidays per year (the
  no-call days of the Norway profile besides Saturdays and Sundays), from the same `holidays`
  package's Norwegian calendar, its movable feasts cross-checked against dateutil's Easter.

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


NORWAY = {"Første nyttårsdag": "new_years_day", "Skjærtorsdag": "maundy_thursday", "Langfredag": "good_friday",
          "Første påskedag": "easter_sunday", "Andre påskedag": "easter_monday", "Arbeidernes dag": "may_day",
          "Grunnlovsdag": "constitution_day", "Kristi himmelfartsdag": "ascension_day",
          "Første pinsedag": "whit_sunday", "Andre pinsedag": "whit_monday", "Første juledag": "christmas_day",
          "Andre juledag": "boxing_day"}
EASTER_OFFSETS = {"maundy_thursday": -3, "good_friday": -2, "easter_sunday": 0, "easter_monday": 1,
                  "ascension_day": 39, "whit_sunday": 49, "whit_monday": 50}


def norway_holidays():
    rows = []
    for year in YEARS:
        found = {}
        for day, name in holidays.Norway(years=year, language="no").items():
            for part in name.split("; "):
                found[NORWAY[part]] = day  # an unknown name is a KeyError: the list changed
        assert set(found) == set(NORWAY.values()), (year, found)
        for code, offset in EASTER_OFFSETS.items():
            assert found[code] == easter(year) + dt.timedelta(days=offset), (year, code)
        for code, day in sorted(found.items(), key=lambda item: item[1]):
            rows.append((year, code, day.isoformat()))
    return rows


def dst_transitions(zone_name="Europe/Stockholm"):
    zone = ZoneInfo(zone_name)
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
assert dst_transitions("Europe/Oslo") == dst_transitions(), "Oslo and Stockholm change clocks apart"
write("stockholm-dst.csv", ("year", "summer_time_start", "summer_time_end"), dst_transitions())
write("norway-holidays.csv", ("year", "day", "date"), norway_holidays())
