"""The interactive HTML view: self-contained, escaped, and working in a real headless Chromium."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from models import Article
from pipeline.graph.build import build_graph
from pipeline.nlp.extract import extract
from pipeline.snapshots import html as html_view
from pipeline.snapshots.elements import Snapshot
from pipeline.sources.read import read_sources
from pipeline.store import open_store
from tests.conftest import SAMPLES

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,900"]  # fmt: skip
SCRIPT = "<script>alert(3)</script>"
IMG = '"><img src=x onerror=alert(2)>'
HOSTILE = Article(
    id="hostile", url="javascript:alert(4)", published="2024-03-01",
    title='Putin <script>alert("t")</script> "><img src=x onerror=alert(1)>',
    text=f"Vladimir Putin met Xi Jinping in Beijing on Tuesday, said {IMG} and {SCRIPT} officials.",
)  # fmt: skip


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The samples plus a hostile article, exported as one HTML page; (path, view data)."""
    directory = tmp_path_factory.mktemp("html")
    db = str(directory / "g.db")
    with open_store(db) as store:
        store.write([build_graph(r) for r in extract([*read_sources([SAMPLES]), HOSTILE])])
        snapshot = Snapshot.from_store(store)
    from click.testing import CliRunner

    from pipeline.cli import main

    path = directory / "graph.html"
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "html", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path, html_view.view_data(snapshot)


def test_html_is_one_self_contained_file(page):
    html = page[0].read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html
    assert "default-src 'none'" in html, "the page may not fetch anything"
    assert "cytoscape" in html and len(html) > 100_000, "the library is inlined"


def test_html_escapes_untrusted_text(page):
    html = page[0].read_text(encoding="utf-8")
    assert SCRIPT not in html and "<img src=x" not in html
    assert "\\u003cscript\\u003ealert(3)\\u003c/script\\u003e" in html


def test_html_without_the_vendored_library_names_the_make_target(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(html_view, "VENDORED_JS", tmp_path / "missing.js")
    db = str(tmp_path / "g.db")
    with open_store(db) as store:
        store.write([build_graph(r) for r in extract([HOSTILE])])
    result = cli("export", "--db", db, "--format", "html", "-o", str(tmp_path / "g.html"))
    assert result.exit_code == 1 and "run `make vendor`" in result.output


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium and chromium-driver (.ci/run does)")
        pytest.skip("needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager fetch a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def loaded(browser, page):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page[0].as_uri())
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    return browser


def _visible(driver) -> int:
    return int(driver.execute_script("return document.body.dataset.visibleNodes"))


def test_html_loads_without_console_errors_and_draws_every_actor(loaded, page):
    errors = [entry for entry in loaded.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    data = page[1]
    assert loaded.execute_script("return newsgraphView.cy.nodes().length") == len(data["nodes"]) > 50
    assert loaded.execute_script("return newsgraphView.cy.edges().length") == len(data["edges"])
    assert loaded.find_element("id", "status").text == f"{len(data['nodes'])} of {len(data['nodes'])} actors"


def test_html_search_shows_matches_and_their_neighbours(loaded, page):
    data = page[1]
    box = loaded.find_element("id", "search")
    box.clear()
    box.send_keys("lavrov")
    matches = {n["id"] for n in data["nodes"] if "lavrov" in n["name"].lower()}
    neighbours = {e["target"] for e in data["edges"] if e["source"] in matches}
    neighbours |= {e["source"] for e in data["edges"] if e["target"] in matches}
    assert matches and _visible(loaded) == len(matches | neighbours)
    box.send_keys("zzz-nobody")
    assert _visible(loaded) == 0
    box.clear()
    box.send_keys(" ")  # clear() sends no input event; a blank query shows everything again
    assert _visible(loaded) == len(data["nodes"])


def test_html_date_range_filters_relations(loaded, page):
    data = page[1]
    loaded.execute_script(
        "var s = document.getElementById('since'), u = document.getElementById('until');"
        "s.value = '2024-04-01'; u.value = '2024-04-30'; u.dispatchEvent(new Event('input'));"
    )
    inside = [e for e in data["edges"] if e["date"] and e["date"] >= "2024-04-01"[: len(e["date"])]
              and e["date"][:10] <= "2024-04-30"]  # fmt: skip
    assert inside and _visible(loaded) == len({e["source"] for e in inside} | {e["target"] for e in inside})
    loaded.execute_script(
        "var s = document.getElementById('since'), u = document.getElementById('until');"
        "s.value = ''; u.value = ''; u.dispatchEvent(new Event('input'));"
    )
    assert _visible(loaded) == len(data["nodes"])


def test_html_evidence_is_shown_as_text_with_safe_links(loaded, page):
    data = page[1]
    [edge] = [e for e in data["edges"] if any(i["article"] == "hostile" for i in data["evidence"].get(e["event_id"], []))][:1]
    loaded.execute_script(f"newsgraphView.cy.getElementById({json.dumps(edge['id'])}).emit('tap')")
    panel = loaded.find_element("id", "details")
    assert SCRIPT in panel.text and IMG in panel.text, "hostile text is shown as text"
    assert panel.find_elements("css selector", "img, script") == []
    hrefs = [a.get_attribute("href") for a in panel.find_elements("css selector", "a")]
    assert all(h.startswith("http") for h in hrefs), "javascript: URLs never become links"
    node = next(n for n in data["nodes"] if n["name"] == "Sergey Lavrov")
    loaded.execute_script(f"newsgraphView.cy.getElementById({json.dumps(node['id'])}).emit('tap')")
    assert panel.find_element("tag name", "h2").text == "Sergey Lavrov"
    assert panel.find_elements("css selector", "li a[href^='https://']"), "evidence links to its articles"
    assert [e for e in loaded.get_log("browser") if e["level"] == "SEVERE"] == []
