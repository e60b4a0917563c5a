"""What fetched documents may make newsgraph read: no local file named by a remote OPML, and
no loopback, link-local or private address reached from a feed, an OPML or a redirect unless
the user opts in. Real HTTP servers on 127.0.0.1 (and 127.0.0.2 standing in for an intranet)."""

from __future__ import annotations

import ipaddress
import json

import pytest

from pipeline.errors import InputError
from pipeline.sources.fetch import Fetcher, is_public
from pipeline.store import open_store
from tests.test_ingest import ARTICLE_TEXT, Server

SECRET = "The vault code is 7431 and the backup server is in room 12, the administrator said."


def _feed(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{title}</title><link>{link}</link><description>{ARTICLE_TEXT}</description></item>"
                      for title, link in items)  # fmt: skip
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{entries}</channel></rss>'.encode()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def _texts(db: str) -> list[str]:
    with open_store(db, read_only=True) as store:
        return [row[0] for row in store.query("MATCH (a:Article)-[:MENTIONS]->(n) RETURN n.name").rows]


def test_remote_opml_naming_local_paths_reads_no_local_file(cli, server, tmp_path):
    secret_dir = tmp_path / "private"
    secret_dir.mkdir()
    (secret_dir / "notes.txt").write_text(f"Vault\n{SECRET}\n")
    outlines = ["/etc/passwd", str(secret_dir / "notes.txt"), str(secret_dir), "-", f"{server.base}/feed.xml"]
    server.routes["/feeds.opml"] = (200, "text/x-opml", ("<opml version='2.0'><body>" + "".join(
        f'<outline text="f" xmlUrl="{url}"/>' for url in outlines) + "</body></opml>").encode(), {})  # fmt: skip
    server.routes["/feed.xml"] = (200, "application/rss+xml", _feed([("One", "https://news.test/1")]), {})
    report, db = tmp_path / "report.jsonl", str(tmp_path / "g.db")
    result = cli("ingest", f"{server.base}/feeds.opml", "--db", db, "--no-fetch", "--allow-private-addresses",
                 "--report", str(report), "--json")  # fmt: skip
    assert result.exit_code == 3, result.output
    refused = [json.loads(line)["reason"] for line in report.read_text().splitlines()]
    assert refused == [f"entry {u!r} is not an http(s) URL: a fetched document may only name URLs" for u in outlines[:4]]
    assert json.loads(result.stdout)["new"] == 1
    assert "Vault" not in str(_texts(db)) and not any("7431" in line for line in result.output.splitlines())


def test_urls_from_fetched_documents_cannot_reach_private_addresses_by_default(cli, server, tmp_path):
    server.routes["/secret.html"] = (200, "text/html", f"<html><body><article><p>{SECRET * 4}</p></article></body></html>".encode(), {})  # fmt: skip
    server.routes["/feed.xml"] = (200, "application/rss+xml", _feed([("Story", f"{server.base}/secret.html")]), {})
    server.routes["/feeds.opml"] = (200, "text/x-opml", f'<opml><body><outline xmlUrl="{server.base}/feed.xml"/></body></opml>'.encode(), {})  # fmt: skip
    report, db = tmp_path / "report.jsonl", str(tmp_path / "g.db")
    # the feed the user names is fetched (a loopback URL given is the user's choice) ...
    result = cli("ingest", f"{server.base}/feed.xml", "--db", db, "--report", str(report), "--json")
    assert result.exit_code == 0, result.output
    assert [path for path, _ in server.requests] == ["/feed.xml"]  # ... but not the page its item links to
    [warning] = [json.loads(line) for line in report.read_text().splitlines()]
    assert warning["kind"] == "warning" and f"refused {server.base}/secret.html: 127.0.0.1 is at 127.0.0.1" in warning["reason"]
    # a feed named by a fetched OPML is refused too
    listed = cli("ingest", f"{server.base}/feeds.opml", "--db", str(tmp_path / "o.db"))
    assert listed.exit_code == 3 and "not a public address" in listed.stderr
    assert [path for path, _ in server.requests].count("/feed.xml") == 1
    # opting in fetches the page
    server.requests.clear()
    opted = cli("ingest", f"{server.base}/feed.xml", "--db", str(tmp_path / "p.db"), "--allow-private-addresses", "--json")
    assert opted.exit_code == 0 and "/secret.html" in [path for path, _ in server.requests]


def test_redirects_from_public_urls_may_not_reach_private_addresses(server):
    intranet = Server("127.0.0.2")
    try:
        intranet.routes["/secret.html"] = (200, "text/html", b"<html>secret</html>", {})
        server.routes["/moved"] = (302, "text/html", b"", {"Location": f"{intranet.base}/secret.html"})
        server.routes["/page"] = (200, "text/html", b"<html>public</html>", {})
        # 127.0.0.1 plays a public host here, 127.0.0.2 an intranet one
        fetcher = Fetcher(delay=0.0, backoff=0.01, public=lambda address: str(address) == "127.0.0.1")
        assert fetcher.get(f"{server.base}/page").content == b"<html>public</html>"
        for trusted in (True, False):
            with pytest.raises(InputError, match=r"refused http://127\.0\.0\.2:\d+/secret\.html: 127\.0\.0\.2 is at"):
                fetcher.get(f"{server.base}/moved", trusted=trusted)
        with pytest.raises(InputError, match="not a public address"):
            fetcher.get(f"{intranet.base}/secret.html")
        assert intranet.requests == []
        # the user may name the intranet host itself
        assert fetcher.get(f"{intranet.base}/secret.html", trusted=True).content == b"<html>secret</html>"
        fetcher.close(save=False)
    finally:
        intranet.close()


def test_public_addresses_are_told_from_private_ones():
    private = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
               "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"]  # fmt: skip
    assert not any(is_public(ipaddress.ip_address(a)) for a in private)
    assert all(is_public(ipaddress.ip_address(a)) for a in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])


def test_behind_a_proxy_public_targets_pass_and_private_ones_are_still_refused(server, monkeypatch):
    # the server plays a forward proxy on loopback: the peer is the proxy, the target is checked
    server.routes["http://93.184.216.34/page"] = (200, "text/html", b"<html>via the proxy</html>", {})
    monkeypatch.setenv("HTTP_PROXY", server.base)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    fetcher = Fetcher(delay=0.0, backoff=0.01)
    assert fetcher.get("http://93.184.216.34/page").content == b"<html>via the proxy</html>"
    with pytest.raises(InputError, match="not a public address"):
        fetcher.get("http://10.0.0.7/admin")
    assert [path for path, _ in server.requests] == ["http://93.184.216.34/page"]
    fetcher.close(save=False)
