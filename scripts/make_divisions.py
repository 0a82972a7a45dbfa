"""Build ``src/nianbao/data/divisions.csv``: China's administrative divisions down to county level.

Why a shipped table: agency names are matched against real place names (a typo such as 沐阳县 for
沭阳县 must not become a region of its own) and nothing may be fetched at run time.

Source: the ``adcodes.csv`` of the PyPI package ``cpca`` 0.5.5 (MIT licence, © 2018 QinYuan Du),
which lists the province-, prefecture- and county-level divisions with their 12-digit codes. Get it
with the ordinary client and run this script on the wheel::

    pip download cpca==0.5.5 --no-deps -d /tmp/cpca
    python scripts/make_divisions.py /tmp/cpca/cpca-0.5.5-py3-none-any.whl

Output columns: code (6 digits), name, level (province | city | county), parent code (empty for
provinces). Townships (乡镇/街道) are not in the source; they are recognised by suffix rules.
"""
from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "nianbao" / "data" / "divisions.csv"


# Statistical groupings in the code list, not places a report could be named after.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def level_of(code: str) -> str:
    if code[2:6] == "0000":
        return "province"
    return "city" if code[4:6] == "00" else "county"


def parent_of(code: str, codes: set[str]) -> str:
    if code[2:6] == "0000":
        return ""
    city = code[:4] + "00"
    if code[4:6] != "00" and city in codes:
        return city
    return code[:2] + "0000"  # counties of municipalities and province-administered counties


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read("cpca/resources/adcodes.csv").decode("utf-8")
    rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(io.StringIO(text))
            if r["name"].strip() not in PLACEHOLDERS]
    codes = {c for c, _ in rows}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["# China administrative divisions, province to county level. Built by scripts/make_divisions.py "
                "from cpca 0.5.5 adcodes.csv (MIT licence, (c) 2018 QinYuan Du)."])
    w.writerow(["code", "name", "level", "parent"])
    for code, name in sorted(rows):
        w.writerow([code, name, level_of(code), parent_of(code, codes)])
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    print(f"{OUT}: {len(rows)} divisions")


if __name__ == "__main__":
    main(sys.argv[1])
