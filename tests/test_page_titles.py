"""Every page anyone can open names itself once: one h1, and a <title> of "<h1> · <site>", the
words a browser tab shows and a screen reader announces first (the home page: the site alone).

Walks every GET page of the URL map without ids, and every id-bearing page of the authorization
matrix, as each actor of its shared world who may open it.
"""

from __future__ import annotations

from html.parser import HTMLParser

from tests.authorization_cases import CASES
from tests.authorization_world import world  # noqa: F401 (the matrix's world fixture)

SITE = "雲端家庭聯絡簿"


class _Headings(HTMLParser):
    """The text of the <title> and of each <h1> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.h1, self._into = "", [], None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "title":
            self._into = "title"
        elif tag == "h1":
            self.h1.append("")
            self._into = "h1"

    def handle_endtag(self, tag) -> None:
        if tag in ("title", "h1"):
            self._into = None

    def handle_data(self, data) -> None:
        if self._into == "title":
            self.title += data
        elif self._into == "h1":
            self.h1[-1] += data


def _pages(world):  # noqa: F811
    """(actor, url) of every page to look at."""
    plain = sorted(
        rule.rule
        for rule in world.app.url_map.iter_rules()
        if not rule.arguments and "GET" in rule.methods and not rule.rule.startswith("/api/")
    )
    for actor in world.clients:
        yield from ((actor, url) for url in plain)
    for case in CASES:
        if case.method == "GET":
            yield from ((a, case.url(world)) for a, s in case.allowed.items() if s == 200)


def _fault(page: str) -> str | None:
    found = _Headings()
    found.feed(page)
    h1 = [" ".join(text.split()) for text in found.h1]
    title = " ".join(found.title.split())
    if len(h1) != 1 or not h1[0]:
        return f"wants one h1 with text, has {h1}"
    if title == SITE:  # the home page
        return None
    named = title.split(" · ")[0]
    # A person's page is titled by their call number alone (the h1's first word): their name
    # stays out of the browser's history on a shared office computer.
    if not title.endswith(f" · {SITE}") or named not in (h1[0], h1[0].split()[0]):
        return f"title {title!r}, h1 {h1[0]!r}"
    return None


def test_every_page_is_titled_by_its_h1(world):  # noqa: F811
    faults, seen = [], 0
    for actor, url in _pages(world):
        with world.clients[actor].get(url) as response:  # closes the files among them
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            page = response.get_data(as_text=True)
        seen += 1
        fault = _fault(page)
        if fault:
            faults.append(f"{actor} {url}: {fault}")
    assert seen > 100  # the walk reached the pages, not only redirects
    assert not faults, "\n".join(sorted(set(faults)))
