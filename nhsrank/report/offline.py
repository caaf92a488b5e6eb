"""The offline check: a report page must load nothing from the network (no remote script, style, font or frame)."""
from __future__ import annotations

import re


_REMOTE = r"""(?:https?:)?//"""
REMOTE_PATTERNS = {
    "script": re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*""" + _REMOTE, re.I),
    "stylesheet or link": re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*""" + _REMOTE, re.I),
    "image": re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']?\s*""" + _REMOTE, re.I),
    "iframe": re.compile(r"""<iframe\b[^>]*\bsrc\s*=\s*["']?\s*""" + _REMOTE, re.I),
    "CSS import": re.compile(r"""@import\s+["']\s*""" + _REMOTE, re.I),  # @import url(...) is a CSS url()
    "CSS url()": re.compile(r"""\burl\(\s*["']?\s*""" + _REMOTE, re.I),
    "JS import": re.compile(r"""\bimport\s*\(\s*["']""" + _REMOTE, re.I),
}


def remote_references(page: str) -> list[str]:
    """Every script, style, image or import a page would fetch from the network.

    Links the reader clicks (``<a href="https://...">``) and SVG namespaces are
    not fetched, so they are not reported.

    Examples
    --------
    >>> remote_references('<script src="https://cdn.x/require.js"></script><a href="https://nhs.uk">x</a>')
    ['script: <script src="https://cdn.x/require.js">']
    >>> remote_references('<link rel="stylesheet" href="//fonts.x/css"><svg xmlns="http://www.w3.org/2000/svg"/>')
    ['stylesheet or link: <link rel="stylesheet" href="//fonts.x/css">']
    >>> remote_references('<script src="local.js"></script>'
    ...                   '<style>a {background: url(data:image/png;base64,AA)}</style>')
    []
    """
    found = []
    for kind, pattern in REMOTE_PATTERNS.items():
        for m in pattern.finditer(page):
            end = page.find(">", m.start())
            snippet = page[m.start(): end + 1 if 0 <= end - m.start() < 300 else m.end() + 60]
            found.append(f"{kind}: {snippet.strip()}")
    return found
