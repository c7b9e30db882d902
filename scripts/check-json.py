#!/usr/bin/env python3
"""Checks JSON that nixwash wrote (test tooling, not part of the product).

  check-json.py schema SCHEMA FILE...     each FILE validates against the JSON schema SCHEMA
  check-json.py documented DOC FILE...    every key path of each FILE is documented in DOC

A key path is written in DOC in backticks: `totals.rows_in`, `inputs[].sha256`. An object
whose keys are data (source names, reason codes) is documented as `by_source.*`, and its
values' keys then as `by_source.*.rows_in`; `rule_profile.**` documents a whole subtree
that another page describes.
"""
import json
import re
import sys


def key_paths(value, documented, prefix=""):
    if isinstance(value, dict):
        for key, child in value.items():
            wildcard = (prefix + "." if prefix else "") + "*"
            path = wildcard if wildcard in documented else (prefix + "." if prefix else "") + key
            yield path
            if path + ".**" not in documented:
                yield from key_paths(child, documented, path)
    elif isinstance(value, list):
        for child in value:
            yield from key_paths(child, documented, prefix + "[]")


def documented_paths(doc):
    return set(re.findall(r"`([a-z0-9_.*\[\]]+)`", open(doc, encoding="utf-8").read()))


def main(argv):
    if len(argv) < 4 or argv[1] not in ("schema", "documented"):
        print(__doc__, file=sys.stderr)
        return 64
    failures = 0
    if argv[1] == "schema":
        import jsonschema
        schema = json.load(open(argv[2], encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        for path in argv[3:]:
            for error in validator.iter_errors(json.load(open(path, encoding="utf-8"))):
                where = "/".join(str(p) for p in error.absolute_path) or "(top)"
                print(f"{path}: {where}: {error.message}", file=sys.stderr)
                failures += 1
    else:
        documented = documented_paths(argv[2])
        for path in argv[3:]:
            seen = set()
            for key in key_paths(json.load(open(path, encoding="utf-8")), documented):
                if key not in documented and key not in seen:
                    print(f"{path}: key `{key}` is not documented in {argv[2]}", file=sys.stderr)
                    failures += 1
                seen.add(key)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
