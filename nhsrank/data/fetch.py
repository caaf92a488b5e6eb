"""Download NHS England's published NOF files into a local cache: :func:`fetch_files`.

NHS England publishes the NHS Oversight Framework files of every quarter on its
segmentation and league tables page (:data:`DEFAULT_URL`): for each trust type
(acute, mental health and community, ambulance) a data file
(``nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv``) and a league
table (``...-league-table...csv``). :func:`find_files` reads the page and keeps
the links whose file names say what they are (:func:`describe`);
:func:`fetch_files` downloads those of the latest quarter (or the one asked
for) into a folder, each written whole or not at all
(:func:`nhsrank.outputs.write_atomic`), and records in ``index.json`` beside
them each file's sha256, the address it came from and when it was downloaded.
A file already in the folder is asked for again only if it changed
(``If-Modified-Since``); one that comes back identical is left untouched.

Only the standard library is used (``urllib``, ``html.parser``). Any network
failure is a :class:`FetchError`, one line naming the address and the cause.

Examples
--------
>>> describe("https://www.england.nhs.uk/wp-content/uploads/2026/02/"
...          "nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv")
{'trust_type': 'acute', 'kind': 'data', 'quarter': '2025-26-Q3', 'version': 2}
>>> describe("nhs-oversight-framework-mental-health-and-community-trust-league-table.csv", "Q1 2025/26")
{'trust_type': 'non-acute', 'kind': 'league-table', 'quarter': '2025-26-Q1', 'version': 1}
>>> describe("board-papers.pdf") is None
True
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import hashlib
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..outputs import write_atomic, write_text

#: NHS England's segmentation and league tables page
DEFAULT_URL = "https://www.england.nhs.uk/nhs-oversight-framework/segmentation-and-league-tables/"
#: the cache folder used without --dest
DEFAULT_DEST = Path("~/.cache/nhsrank")
#: the record of what was downloaded, in the cache folder
INDEX_NAME = "index.json"
#: seconds to wait for the server before giving up
TIMEOUT = 60
USER_AGENT = "nhsrank-fetch (https://github.com/; Python urllib)"

#: NHS England's file names: nhs-oversight-framework-<type>-trust-<data|league-table>[-q3-25-26][-v2].csv
_NAME = re.compile(
    r"nhs-oversight-framework-(?P<type>acute|mental-health-and-community|non-acute-hospital|non-acute|ambulance)"
    r"(?:-trusts?)?-(?P<kind>data|league-tables?)(?P<rest>[^/]*)\.csv$", re.I)
_TYPES = {"acute": "acute", "mental-health-and-community": "non-acute", "non-acute-hospital": "non-acute",
          "non-acute": "non-acute", "ambulance": "ambulance"}
#: a quarter in a file name: q3-25-26, q3-2025-26
_NAME_QUARTER = re.compile(r"q([1-4])[-_](?:20)?(\d\d)[-_](\d\d)(?!\d)", re.I)
#: a quarter in text: "Q3 2025/26", "quarter 3 2025/26", "2025/26 Q3"
_TEXT_QUARTER = [re.compile(r"\bq(?:uarter)?\s*([1-4])\b\D{0,12}?(20\d\d)\s*[/-]\s*(?:20)?(\d\d)\b", re.I),
                 re.compile(r"\b(20\d\d)\s*[/-]\s*(?:20)?(\d\d)\b\D{0,12}?\bq(?:uarter)?\s*([1-4])\b", re.I)]
_VERSION = re.compile(r"-v(\d+)(?!.*-v\d)", re.I)


class FetchError(Exception):
    """The page or a file could not be fetched (offline, refused, not found, not a CSV): one line."""


def _quarter_in_text(text: str) -> str | None:
    m = _TEXT_QUARTER[0].search(text)
    if m:
        return f"{m.group(2)}-{m.group(3)}-Q{m.group(1)}"
    m = _TEXT_QUARTER[1].search(text)
    if m:
        return f"{m.group(1)}-{m.group(2)}-Q{m.group(3)}"
    return None


def describe(url: str, context: str = "") -> dict | None:
    """What a link to a NOF file holds, from its file name (the quarter from ``context``, the link's text
    or the heading above it, when the name has none); ``None`` if it is not one of NHS England's NOF files.

    Returns
    -------
    dict or None
        ``trust_type`` (acute, non-acute, ambulance), ``kind`` (data, league-table), ``quarter``
        (``2025-26-Q3``, or None if neither the name nor the context says) and ``version`` (1 unless -vN).
    """
    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    m = _NAME.search(name)
    if not m:
        return None
    q = _NAME_QUARTER.search(m.group("rest"))
    quarter = f"20{q.group(2)}-{q.group(3)}-Q{q.group(1)}" if q else _quarter_in_text(context)
    v = _VERSION.search(m.group("rest"))
    kind = "data" if m.group("kind").lower() == "data" else "league-table"
    return {"trust_type": _TYPES[m.group("type").lower()], "kind": kind, "quarter": quarter,
            "version": int(v.group(1)) if v else 1}


class _Links(HTMLParser):
    """Every ``<a href>`` of a page with its text and the last heading before it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self._heading = ""
        self._in_heading = False
        self._href = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in_heading, self._heading = True, ""
        elif tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in_heading = False
        elif tag == "a" and self._href:
            self.links.append((self._href, " ".join("".join(self._text).split()), self._heading))
            self._href = None

    def handle_data(self, data):
        if self._in_heading:
            self._heading += data
        if self._href is not None:
            self._text.append(data)


@dataclass(frozen=True)
class RemoteFile:
    """One NOF file linked from the page."""

    url: str
    name: str
    trust_type: str
    kind: str
    quarter: str | None
    version: int


def parse_page(html: str, base_url: str) -> list[RemoteFile]:
    """The NOF files linked from a page, the highest version of each (trust type, kind, quarter).

    Examples
    --------
    >>> page = ('<h2>Q2 2025/26</h2><a href="/f/nhs-oversight-framework-acute-trust-data.csv">data</a>'
    ...         '<a href="/f/nhs-oversight-framework-acute-trust-data-q3-25-26.csv">x</a>'
    ...         '<a href="/f/nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv">x</a>')
    >>> [(f.quarter, f.name) for f in parse_page(page, "https://e.org/page/")]  # doctest: +NORMALIZE_WHITESPACE
    [('2025-26-Q2', 'nhs-oversight-framework-acute-trust-data.csv'),
     ('2025-26-Q3', 'nhs-oversight-framework-acute-trust-data-q3-25-26-v2.csv')]
    """
    parser = _Links()
    parser.feed(html)
    best: dict[tuple, RemoteFile] = {}
    for href, text, heading in parser.links:
        url = urllib.parse.urljoin(base_url, href.strip())
        d = describe(url, f"{text} {heading}") if _quarter_in_text(text) else describe(url, heading)
        if d is None:
            continue
        f = RemoteFile(url, urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]), **d)
        key = (f.trust_type, f.kind, f.quarter)
        if key not in best or f.version > best[key].version:
            best[key] = f
    return sorted(best.values(), key=lambda f: (f.quarter or "", f.trust_type, f.kind))


def _open(url: str, headers: dict | None = None):
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        return urllib.request.urlopen(req, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return exc
        raise FetchError(f"cannot fetch {url}: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            reason = "connection refused"
        elif isinstance(reason, socket.gaierror):
            reason = "the host name could not be resolved"
        raise FetchError(f"cannot fetch {url}: {reason} (are you online? --url gives another address)") from None
    except (OSError, ValueError) as exc:     # timeouts, resets, a malformed address
        raise FetchError(f"cannot fetch {url}: {exc or type(exc).__name__}") from None


def _read(response, url: str) -> bytes:
    try:
        with response:
            return response.read()
    except OSError as exc:
        raise FetchError(f"cannot fetch {url}: the connection failed while reading ({exc})") from None


def list_files(url: str = DEFAULT_URL) -> list[RemoteFile]:
    """The NOF files the page at ``url`` links to (:func:`parse_page`)."""
    resp = _open(url)
    body = _read(resp, url)
    charset = resp.headers.get_content_charset() or "utf-8"
    return parse_page(body.decode(charset, errors="replace"), resp.geturl() if hasattr(resp, "geturl") else url)


def choose(files: list[RemoteFile], quarter: str | None = None) -> tuple[str | None, list[RemoteFile]]:
    """The files of ``quarter`` (default: the latest quarter on the page) and that quarter.

    Files whose quarter neither their name, their link nor the heading above it says are used only
    when no file on the page says its quarter (the quarter returned is then None).

    Raises
    ------
    FetchError
        No NOF file on the page, or none of the quarter asked for (naming the quarters there are).

    Examples
    --------
    >>> fs = [RemoteFile("u", "a", "acute", "data", "2025-26-Q1", 1),
    ...       RemoteFile("v", "b", "acute", "data", "2025-26-Q3", 2)]
    >>> choose(fs)[0], choose(fs, "Q1 2025/26")[0]
    ('2025-26-Q3', '2025-26-Q1')
    """
    from ..rules.quarters import normalise_quarter

    if not files:
        raise FetchError("no NHS Oversight Framework file (nhs-oversight-framework-*-trust-data*.csv or "
                         "*-league-table*.csv) was found on the page")
    dated = [f for f in files if f.quarter]
    if not dated:
        if quarter:
            raise FetchError(f"no file of quarter {quarter} on the page: none of its files says its quarter")
        return None, files
    quarters = sorted({f.quarter for f in dated})
    q = normalise_quarter(quarter) if quarter else quarters[-1]
    chosen = [f for f in dated if f.quarter == q]
    if not chosen:
        raise FetchError(f"no file of quarter {quarter} on the page; it has {', '.join(quarters)}")
    return q, chosen


@dataclass
class Fetched:
    """One file of the cache after a fetch: ``status`` is "downloaded", "updated" or "unchanged"."""

    path: Path
    url: str
    sha256: str
    size: int
    downloaded: str
    trust_type: str
    kind: str
    quarter: str | None
    status: str


def read_index(dest: Path) -> dict:
    """``index.json`` of a cache folder as a dict keyed by file name (empty if there is none yet)."""
    p = Path(dest) / INDEX_NAME
    try:
        return json.loads(p.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError):
        return {}


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _check_csv(data: bytes, url: str) -> None:
    head = data[:512].lstrip().lower()
    if not head or head.startswith(b"<") or b"<html" in head:
        raise FetchError(f"cannot fetch {url}: the server sent {'nothing' if not head else 'a web page'}, "
                         "not a CSV file")


def fetch_files(dest=DEFAULT_DEST, url: str = DEFAULT_URL, quarter: str | None = None,
                now: _dt.datetime | None = None) -> tuple[str | None, list[Fetched]]:
    """Download the NOF files of ``quarter`` (default: the latest on the page) into ``dest``.

    Parameters
    ----------
    dest : str or Path
        The cache folder (created if missing; ``~`` expanded).
    url : str
        The page listing the files (NHS England's segmentation and league tables page).
    quarter : str, optional
        ``2025-26-Q3``, ``Q3 2025/26``...; default the latest quarter the page has files for.
    now : datetime, optional
        The download time recorded (default: now, UTC).

    Returns
    -------
    (quarter, files) : the quarter fetched (None if no file on the page says its quarter) and one
    :class:`Fetched` per file.

    Raises
    ------
    FetchError
        The page or a file could not be fetched; files already complete stay in the cache and in
        ``index.json``, the one that failed is not written.
    nhsrank.errors.OutputError
        A file could not be written.
    """
    dest = Path(dest).expanduser()
    q, chosen = choose(list_files(url), quarter)
    index = read_index(dest)
    results = []
    for f in chosen:
        path = dest / f.name
        old = index.get(f.name, {})
        old_sha = _sha256(path) if path.is_file() else None
        headers = {}
        if old_sha and old.get("sha256") == old_sha and old.get("last_modified") and old.get("url") == f.url:
            headers["If-Modified-Since"] = old["last_modified"]
        resp = _open(f.url, headers)
        stamp = (now or _dt.datetime.now(_dt.UTC)).replace(microsecond=0).isoformat()
        if getattr(resp, "code", None) == 304:       # not modified since we downloaded it
            resp.close()
            results.append(Fetched(path, f.url, old_sha, path.stat().st_size, old["downloaded"], f.trust_type,
                                   f.kind, q, "unchanged"))
            continue
        data = _read(resp, f.url)
        _check_csv(data, f.url)
        sha = hashlib.sha256(data).hexdigest()
        last_modified = resp.headers.get("Last-Modified")
        if sha == old_sha:                           # identical: leave the file (and its date) alone
            status, stamp = "unchanged", old.get("downloaded", stamp)
        else:
            write_atomic(path, lambda tmp: tmp.write_bytes(data))  # noqa: B023 (called at once)
            status = "updated" if old_sha else "downloaded"
        results.append(Fetched(path, f.url, sha, len(data), stamp, f.trust_type, f.kind, q, status))
        index[f.name] = {"url": f.url, "sha256": sha, "bytes": len(data), "downloaded": stamp,
                         "last_modified": last_modified if last_modified and email.utils.parsedate(last_modified)
                         else None, "trust_type": f.trust_type, "kind": f.kind, "quarter": q}
        _write_index(dest, url, index)
    return q, results


def _write_index(dest: Path, page: str, files: dict) -> None:
    write_text(dest / INDEX_NAME, json.dumps({"page": page, "files": dict(sorted(files.items()))},
                                             indent=2) + "\n")


def usage_lines(files: list[Fetched]) -> list[str]:
    """The commands that use the fetched files (league tables; the comparison with NHS England's table).

    Examples
    --------
    >>> fs = [Fetched(Path("c/a-data.csv"), "u", "0", 1, "t", "acute", "data", "2025-26-Q3", "downloaded"),
    ...       Fetched(Path("c/a-lt.csv"), "u", "0", 1, "t", "acute", "league-table", "2025-26-Q3", "downloaded")]
    >>> print("\\n".join(usage_lines(fs)))
    nhsrank league --data c/a-data.csv --quarter 2025-26-Q3
    nhsrank reconcile --data c/a-data.csv --league-table c/a-lt.csv
    """
    import shlex

    data = [f for f in files if f.kind == "data"]
    if not data:
        return []
    q = data[0].quarter
    lines = [f"nhsrank league --data {' '.join(shlex.quote(str(f.path)) for f in data)}"
             + (f" --quarter {q}" if q else "")]
    for f in data:
        lt = [g for g in files if g.kind == "league-table" and g.trust_type == f.trust_type]
        lines.append(f"nhsrank reconcile --data {shlex.quote(str(f.path))}"
                     + (f" --league-table {shlex.quote(str(lt[0].path))}" if lt else ""))
    return lines


__all__ = ["DEFAULT_URL", "DEFAULT_DEST", "INDEX_NAME", "FetchError", "RemoteFile", "Fetched", "describe",
           "parse_page", "list_files", "choose", "fetch_files", "read_index", "usage_lines"]
