"""Remote references in a page (nhsrank.report.offline): what a page would fetch from the network."""

import pytest

from nhsrank.report.offline import remote_references


@pytest.mark.parametrize("page, kind", [
    ('<script src="https://cdnjs.cloudflare.com/require.js"></script>', "script"),
    ("<script type='text/javascript' src=//cdn.x/a.js></script>", "script"),
    ('<link rel="stylesheet" href="http://fonts.googleapis.com/css">', "stylesheet or link"),
    ('<img src="https://x/y.png">', "image"),
    ('<style>@import "https://fonts.x/a.css";</style>', "CSS import"),
    ('<style>@import url("https://fonts.x/a.css");</style>', "CSS url()"),
    ('<style>body {background: url(https://x/bg.png)}</style>', "CSS url()"),
    ('<script>const m = await import("https://cdn.x/mermaid.mjs")</script>', "JS import"),
])
def test_remote_reference_scan_finds(page, kind):
    found = remote_references(page)
    assert len(found) == 1 and found[0].startswith(kind + ":")


def test_remote_reference_scan_ignores_links_namespaces_and_local_files():
    page = ('<a href="https://www.england.nhs.uk/">NHS England</a><svg xmlns="http://www.w3.org/2000/svg"></svg>'
            '<script src="local.js"></script><link href="style.css" rel="stylesheet">'
            '<style>a {background: url(data:image/png;base64,AAAA)}</style>')
    assert remote_references(page) == []
