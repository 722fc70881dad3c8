"""Issue 18: every internal link of `zhibiao serve`, followed from / in both languages, answers 200, and every
link to a fragment (#f12, #t340) lands on an element of the page it names.

The real server (uvicorn on a free port) over a small database (the examples, extracted and checked), read with
urllib as a link checker would; no browser is needed, since links are in the HTML the server writes.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from webserver import serve_demo

MAX_PAGES = 5000  # a crawl that finds more than this on the examples has a loop in its links


# beside the examples, a report of our own with a whole of key projects and two groups, so that the crawl follows
# /targets' histories of each group: their implied plans' findings and the completions they came from (issue 18)
GROUPS = ("2025年1-8月，桐溪县重点项目25个，年度计划投资50亿元，完成投资30亿元，占年度计划投资的60%；其中：续建项目10个，"
          "年度计划投资30亿元，完成投资19.5亿元，占年度计划投资的65%；新建项目15个，年度计划投资20亿元，完成投资10.5亿元，"
          "占年度计划投资的52.5%。\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("uvicorn")
    folder = tmp_path_factory.mktemp("crawl")
    report = folder / "groups.txt"
    report.write_text(GROUPS, encoding="utf-8")
    with serve_demo(folder, "crawl.db", [report]) as url:
        yield url


class _Page(HTMLParser):
    """The links (a, link, script, img, form GET) and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "link", "script", "img"):
                self.links.append(a[key])


@dataclass
class Crawl:
    lang: str
    status: dict[str, int] = field(default_factory=dict)  # url without fragment -> HTTP status
    ids: dict[str, set[str]] = field(default_factory=dict)  # html url -> ids of its elements
    fragments: list[tuple[str, str]] = field(default_factory=list)  # (page the link is on, url#fragment)

    def dangling(self) -> list[str]:
        out = []
        for where, link in self.fragments:
            url, frag = urldefrag(link)
            if url in self.ids and frag not in self.ids[url]:
                out.append(f"{link} (linked from {where})")
        return sorted(set(out))

    def broken(self) -> list[str]:
        return sorted(f"{url}: {code}" for url, code in self.status.items() if code != 200)


def _get(url: str, lang: str) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Cookie": f"lang={lang}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:  # follows the language switch's redirect
            kind = r.headers.get("content-type", "")
            body = r.read().decode("utf-8", errors="replace") if kind.startswith("text/html") else ""
            return r.status, kind, body
    except urllib.error.HTTPError as e:
        return e.code, "", ""


def crawl(base: str, lang: str) -> Crawl:
    """Every page reachable from / by internal links, each fetched once."""
    out = Crawl(lang)
    todo = [base + "/"]
    while todo and len(out.status) < MAX_PAGES:
        url = todo.pop()
        if url in out.status:
            continue
        code, kind, body = _get(url, lang)
        out.status[url] = code
        if not kind.startswith("text/html"):
            continue
        page = _Page()
        page.feed(body)
        out.ids[url] = page.ids
        for href in page.links:
            target = urljoin(url, href)
            if urlsplit(target).netloc != urlsplit(base).netloc:
                continue  # not ours (the app links nothing outside; test_browser fails on any such request)
            plain, frag = urldefrag(target)
            if frag:
                out.fragments.append((url, target))
            if plain not in out.status:
                todo.append(plain)
    assert len(out.status) < MAX_PAGES, "the crawl did not end"
    return out


@pytest.fixture(scope="module", params=["zh", "en"])
def crawled(request: pytest.FixtureRequest, server: str) -> Crawl:
    return crawl(server, request.param)


def test_every_internal_link_answers_200(crawled: Crawl) -> None:
    assert len(crawled.status) > 50  # the reports, their facts, the findings: a crawl that saw the site
    print(f"crawl ({crawled.lang}): {len(crawled.status)} links, {len(crawled.broken())} not 200")
    assert crawled.broken() == []


def test_every_link_to_a_fragment_lands_on_an_element(crawled: Crawl) -> None:
    assert len(crawled.fragments) > 10
    print(f"crawl ({crawled.lang}): {len(crawled.fragments)} links to a fragment, {len(crawled.dangling())} dangling")
    assert crawled.dangling() == []


def test_the_crawl_follows_the_targets_of_each_group(crawled: Crawl, server: str) -> None:
    # the groups' implied plans link their findings, the completions they came from their figures in the report
    code, _kind, body = _get(server + "/targets", crawled.lang)
    page = _Page()
    page.feed(body)
    links = {urljoin(server + "/targets", href) for href in page.links}
    findings = {u for u in links if urlsplit(u).path.startswith("/findings/")}
    completions = {u for u in links if urlsplit(u).path.startswith("/documents/") and urldefrag(u)[1]}
    assert code == 200 and len(findings) >= 2 and len(completions) >= 6
    assert all(crawled.status.get(u) == 200 for u in findings)
    assert all(urldefrag(u)[1] in crawled.ids[urldefrag(u)[0]] for u in completions)


def test_the_crawl_sees_a_dangling_fragment_and_a_broken_link(tmp_path: Path) -> None:
    # the checker itself, on pages of our own: one link to an id that is there, one to an id that is not
    c = Crawl("zh", status={"http://h/a": 200, "http://h/b": 404}, ids={"http://h/a": {"f1"}},
              fragments=[("http://h/", "http://h/a#f1"), ("http://h/", "http://h/a#f2")])
    assert c.dangling() == ["http://h/a#f2 (linked from http://h/)"]
    assert c.broken() == ["http://h/b: 404"]
