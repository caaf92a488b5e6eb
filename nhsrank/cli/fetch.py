"""``nhsrank fetch``: download NHS England's published NOF files into a local cache."""
from __future__ import annotations

import sys

#: the defaults shown in --help (the same values as nhsrank.data.fetch; tests/data/test_fetch.py checks they match)
DEFAULT_URL = "https://www.england.nhs.uk/nhs-oversight-framework/segmentation-and-league-tables/"
DEFAULT_DEST = "~/.cache/nhsrank"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "fetch", help="download NHS England's published NOF files (every trust type) into a local cache",
        description="Read NHS England's segmentation and league tables page, download the NHS Oversight "
        "Framework data and league-table CSV files of every trust type for the latest quarter (or --quarter), "
        "and record beside them (index.json) each file's sha256, address and download date. A file already "
        "in the cache is downloaded again only if it changed. Exit status 2 if the page or a file cannot be "
        "fetched (nothing half-written is left).")
    p.add_argument("--quarter", help="the quarter to fetch, e.g. 2025-26-Q3 or 'Q3 2025/26' (default: the "
                   "latest on the page)")
    p.add_argument("--dest", metavar="DIR", default=DEFAULT_DEST, help=f"cache folder (default {DEFAULT_DEST})")
    p.add_argument("--url", default=DEFAULT_URL, help=f"the page listing the files (default {DEFAULT_URL})")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..data.fetch import FetchError, fetch_files, usage_lines

    try:
        quarter, files = fetch_files(args.dest, args.url, args.quarter)
    except FetchError as exc:
        print(f"nhsrank: error: {exc}", file=sys.stderr)
        return 2
    when = quarter or "a quarter the page does not state"
    print(f"NHS England's NOF files for {when} (from {args.url}):")
    for f in files:
        print(f"  {f.status:<10} {f.trust_type:<9} {f.kind:<12} {f.path} ({f.size:,} bytes, sha256 "
              f"{f.sha256[:12]}...)")
    types = sorted({f.trust_type for f in files})
    missing = [t for t in ("acute", "non-acute", "ambulance") if t not in types]
    if missing:
        print(f"  (no {', no '.join(missing)} file for {when} on the page)")
    print(f"sha256, address and date of each: {files[0].path.parent / 'index.json'}")
    lines = usage_lines(files)
    if lines:
        print("use them:")
        for line in lines:
            print(f"  {line}")
    return 0
