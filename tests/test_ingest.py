"""Batch ingestion from feeds and pages served by a real HTTP server on 127.0.0.1, and the
bad input a batch must survive. The server is on loopback, so these runs opt in with
--allow-private-addresses (test_fetch_safety.py tests the default)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.sources.fetch import Fetcher
from pipeline.sources.formats import sniff
from tests.conftest import SAMPLES

PAGE = (SAMPLES / "syndicated" / "danube-courier-eu-sanctions.html").read_bytes()
ARTICLE_TEXT = ("Tens of thousands of people protested in Tbilisi on Tuesday against a bill on foreign agents. "
                "The European Union warned that the law could harm Georgia's bid to join the bloc. ") * 3  # fmt: skip


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}/story/{i}?utm_source=rss</link>"
        f"<pubDate>Wed, 15 May 2024 10:00:00 GMT</pubDate>"
        f"<description>Summary {i}: {ARTICLE_TEXT if i == 1 else 'Officials met in Vienna on Monday.'}</description></item>"
        for i in (1, 2)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>{items}</channel></rss>'.encode()


class Server:
    """A real HTTP server whose routes the test sets; it records every request."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, tuple[int, str, bytes, dict]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.failures: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                if server.failures.get(self.path, 0) > 0:
                    server.failures[self.path] -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                status, ctype, body, headers = server.routes.get(self.path.split("?")[0], (404, "text/plain", b"no", {}))
                if headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    s.routes["/feed.xml"] = (200, "application/rss+xml", _feed(s.base), {"ETag": '"v1"'})
    s.routes["/story/1"] = (200, "text/html; charset=utf-8", PAGE, {})
    s.routes["/story/2"] = (200, "text/html", b"<html><body><nav>Home | World</nav></body></html>", {})
    yield s
    s.close()


def test_ingest_feed_fetches_pages_and_falls_back_on_the_feed(cli, server, db_path, tmp_path):
    report = tmp_path / "report.jsonl"
    result = cli("ingest", f"{server.base}/feed.xml", "--db", db_path, "--allow-private-addresses", "--report", str(report), "--json")
    summary = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    fetched = [path for path, _ in server.requests]
    assert fetched[0] == "/feed.xml" and "/story/1?utm_source=rss" in fetched and "/story/2?utm_source=rss" in fetched
    assert summary["new"] == 2
    assert dict(server.requests[0][1])["User-Agent"].startswith("newsgraph/")
    from pipeline.store import open_store

    with open_store(db_path, read_only=True) as store:
        titles = {row[0] for row in store.query("MATCH (a:Article) RETURN a.title").rows}
    # story 1: the page's own headline; story 2's page is no article, so the feed's text is used
    assert "EU adopts new sanctions package against Russia ahead of war anniversary" in titles
    assert "Story 2" in titles


def test_ingest_no_fetch_uses_feed_text_only(cli, server, db_path):
    result = cli("ingest", f"{server.base}/feed.xml", "--db", db_path, "--allow-private-addresses", "--no-fetch", "--json")
    summary = json.loads(result.stdout)
    assert summary["new"] == 2 and summary["failed"] == 0
    assert [path for path, _ in server.requests] == ["/feed.xml"]


def test_ingest_conditional_get_skips_an_unchanged_feed(cli, server, db_path):
    cli("ingest", f"{server.base}/feed.xml", "--db", db_path, "--allow-private-addresses", "--no-fetch", "--quiet")
    second = cli("ingest", f"{server.base}/feed.xml", "--db", db_path, "--allow-private-addresses", "--no-fetch", "--json")
    assert server.requests[-1][1].get("If-None-Match") == '"v1"'
    assert json.loads(second.stdout)["new"] == 0 and second.exit_code == 0


def test_fetch_retries_with_backoff_then_succeeds(server):
    server.failures["/story/1"] = 2
    fetcher = Fetcher(backoff=0.01, delay=0.0, allow_private=True)
    fetched = fetcher.get(f"{server.base}/story/1")
    fetcher.close(save=False)
    assert fetched.status == 200 and [p for p, _ in server.requests].count("/story/1") == 3


def test_fetch_refuses_wrong_type_huge_bodies_and_redirect_loops(server):
    server.routes["/image"] = (200, "image/png", b"\x89PNG....", {})
    server.routes["/big"] = (200, "text/html", b"x" * 5000, {})
    server.routes["/loop"] = (302, "text/html", b"", {"Location": "/loop"})
    fetcher = Fetcher(backoff=0.01, delay=0.0, max_bytes=1000, max_redirects=3, allow_private=True)
    with pytest.raises(InputError, match="content type 'image/png'"):
        fetcher.get(f"{server.base}/image")
    with pytest.raises(InputError, match="too large"):
        fetcher.get(f"{server.base}/big")
    with pytest.raises(InputError, match="more than 3 redirects"):
        fetcher.get(f"{server.base}/loop")
    fetcher.close(save=False)


def test_fetch_is_polite_per_host(server):
    fetcher = Fetcher(delay=0.2, backoff=0.01, allow_private=True)
    started = time.monotonic()
    for _ in range(3):
        fetcher.get(f"{server.base}/story/1")
    fetcher.close(save=False)
    assert time.monotonic() - started >= 0.4


def test_ingest_mixed_directory_with_bad_input(cli, db_path, tmp_path):
    mixed = tmp_path / "in"
    mixed.mkdir()
    (mixed / "page.html").write_bytes(PAGE)
    (mixed / "feed.xml").write_bytes(_feed("https://example.test"))
    (mixed / "truncated.rss").write_text('<?xml version="1.0"?><rss><channel><title>x</title><item><title>cut')
    (mixed / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<rss><channel><title>&lol2;</title></channel></rss>"
    )
    (mixed / "binary").write_bytes(b"\x00\x01\x02" * 100)
    (mixed / "latin1.txt").write_bytes("Titre\nCaf\xe9 cr\xe8me".encode("latin-1"))
    (mixed / "empty.jsonl").write_text('{"id": "e", "text": "   "}\n')
    (mixed / "german.jsonl").write_text(json.dumps({"id": "de", "title": "Neue Sanktionen",
        "text": "Die Europäische Union hat am Dienstag neue Sanktionen gegen Russland beschlossen, teilten Diplomaten mit."}) + "\n")  # fmt: skip
    (mixed / "nav.html").write_text("<html><body><nav><a href='/'>Home</a> | <a href='/w'>World</a></nav></body></html>")
    report = tmp_path / "report.jsonl"
    result = cli("ingest", str(mixed), "--db", db_path, "--no-fetch", "--report", str(report), "--json")
    assert result.exit_code == 3
    summary = json.loads(result.stdout)
    records = [json.loads(line) for line in report.read_text().splitlines()]
    items = {Path(r["source"].split(":")[0].split("#")[0]).name: r for r in records}
    items["german.jsonl"] = next(r for r in records if r["article_id"] == "de")
    assert "entit" in items["bomb.xml"]["reason"] and items["bomb.xml"]["kind"] == "failed"
    assert "malformed" in items["truncated.rss"]["reason"]
    assert "binary" in items["binary"]["reason"]
    assert "not UTF-8" in items["latin1.txt"]["reason"]
    assert "empty text" in items["empty.jsonl"]["reason"]
    assert items["german.jsonl"]["kind"] == "skipped" and "'de'" in items["german.jsonl"]["reason"]
    assert "not an article" in items["nav.html"]["reason"]
    assert summary["new"] == 3 and summary["skipped"] == 1  # the page and two feed entries


def test_sniff_detects_ambiguous_files():
    assert sniff(b'<?xml version="1.0"?><rss version="2.0">', ".xml") == "feed"
    assert sniff(b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "") == "feed"
    assert sniff(b"<opml version='2.0'><body/></opml>", ".xml") == "opml"
    assert sniff(b"<!DOCTYPE html><html>", "") == "html"
    assert sniff(b"https://a.test/rss\nhttps://b.test/atom\n", ".txt") == "urls"
    assert sniff(b"A title\nSome body text.", ".txt") == "txt"


def test_ingest_opml_and_url_list(cli, server, db_path, tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<opml version="2.0"><body><outline text="w" xmlUrl="{server.base}/feed.xml"/></body></opml>')
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# my feeds\n{server.base}/feed.xml\n")
    first = json.loads(cli("ingest", str(opml), "--db", db_path, "--allow-private-addresses", "--no-fetch", "--json").stdout)
    assert first["new"] == 2
    second = json.loads(cli("ingest", str(listing), "--db", db_path, "--allow-private-addresses", "--no-fetch", "--json").stdout)
    assert second["new"] == 0


def test_watch_polls_with_conditional_get(cli, server, db_path):
    result = cli("watch", f"{server.base}/feed.xml", "--allow-private-addresses", "--every", "1s", "--times", "2", "--db", db_path, "--no-fetch")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if " poll " in line]
    assert "poll 1: 2 new" in lines[0] and "poll 2: 0 new" in lines[1]
    feed_requests = [headers for path, headers in server.requests if path == "/feed.xml"]
    assert len(feed_requests) == 2 and feed_requests[1].get("If-None-Match") == '"v1"'


def test_force_and_edits_never_turn_an_original_into_a_copy(cli, db_path, sample_copy):
    first = json.loads(cli("ingest", str(sample_copy), "--db", db_path, "--json", "--quiet").stdout)
    forced = json.loads(cli("ingest", str(sample_copy), "--db", db_path, "--json", "--quiet", "--force").stdout)
    assert forced["duplicate"] == first["duplicate"] and forced["updated"] == first["new"]
    edited = sample_copy / "mw-2024-02-23-eu-russia-sanctions.txt"
    edited.write_text(edited.read_text() + "\nOfficials said more listings would follow.\n")
    again = json.loads(cli("ingest", str(sample_copy), "--db", db_path, "--json", "--quiet").stdout)
    assert again["updated"] == 1 and again["duplicate"] == 0
    from pipeline.store import open_store

    with open_store(db_path, read_only=True) as store:
        cycles = store.query("MATCH (a:Article)-[:DUPLICATE_OF]->(b:Article)-[:DUPLICATE_OF]->(a) RETURN count(a)").rows
        facts = store.query("MATCH (:Article {id: 'mw-2024-02-23-eu-russia-sanctions'})-[:MENTIONS]->(n) RETURN count(n)").rows
    assert cycles == [[0]] and facts[0][0] > 5


def test_overlong_text_and_malformed_links_are_reported_not_fatal(cli, db_path, tmp_path):
    feed = tmp_path / "odd.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    '<item><title>x</title><link>http://[bad-host/x</link><description>Officials met in Vienna on Monday to discuss trade.</description></item>'
                    "</channel></rss>")  # fmt: skip
    big = tmp_path / "big.jsonl"
    big.write_text(json.dumps({"id": "big", "text": "Officials met. " * 80000}) + "\n"
                   + json.dumps({"id": "ok", "text": "Vladimir Putin met Xi Jinping in Beijing on Tuesday."}) + "\n")
    result = cli("ingest", str(feed), str(big), "--db", db_path, "--json", "--quiet")
    summary = json.loads(result.stdout)
    assert result.exit_code == 3 and summary["failed"] == 1 and summary["new"] == 2


def test_an_upgraded_extractor_reads_stored_articles_again(cli, db_path, sample_copy, monkeypatch):
    # A new release (other code, rules or event model) has another fingerprint; the stand-in
    # for it here is a patched digest, since the installed files cannot change under a test.
    one = sample_copy / "mw-2024-02-23-eu-russia-sanctions.txt"
    first = json.loads(cli("ingest", str(one), "--db", db_path, "--json", "--quiet").stdout)
    again = json.loads(cli("ingest", str(one), "--db", db_path, "--json", "--quiet").stdout)
    assert (first["new"], again["unchanged"]) == (1, 1)
    from pipeline.nlp import fingerprint

    monkeypatch.setattr(fingerprint, "_fingerprint", lambda models: "0123456789abcdef")
    upgraded = json.loads(cli("ingest", str(one), "--db", db_path, "--json", "--quiet").stdout)
    settled = json.loads(cli("ingest", str(one), "--db", db_path, "--json", "--quiet").stdout)
    assert (upgraded["updated"], upgraded["unchanged"], settled["unchanged"]) == (1, 0, 1), (upgraded, settled)
