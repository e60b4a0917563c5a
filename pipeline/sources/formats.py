"""Input formats: JSON and JSONL records, RSS/Atom feeds (feedparser), OPML and plain-text
lists of feeds, and HTML pages (trafilatura). Each file's format comes from its extension and,
where that is ambiguous (.xml, .txt, none), from its content. XML is parsed with defusedxml
first, so entity-expansion bombs and external entities are refused before any parser expands
them. JSONL is judged line by line: a bad line (invalid JSON or UTF-8, a NUL byte, a lone
surrogate) is reported with its number and the lines around it are kept.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from models import INPUT_FIELDS, Article, content_hash
from pipeline.errors import InputError, InputWarning

MAX_BYTES = 20 * 1024 * 1024
_URL = re.compile(r"^https?://\S+$", re.I)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_OPML_ROOT = re.compile(rb"<opml[\s>]", re.I)
_HTML_ROOT = re.compile(rb"<(!doctype html|html|head|body|article)[\s>]", re.I)


def sniff(data: bytes, suffix: str) -> str:
    """The format of a file: 'feed', 'opml', 'html', 'urls', 'jsonl', 'json' or 'txt'."""
    suffix = suffix.lower()
    known = {".rss": "feed", ".atom": "feed", ".opml": "opml", ".html": "html", ".htm": "html",
             ".jsonl": "jsonl", ".json": "json"}  # fmt: skip
    if suffix in known:
        return known[suffix]
    head = data[:4096].lstrip()
    if head.startswith(b"<"):
        if _OPML_ROOT.search(head):
            return "opml"
        if _FEED_ROOT.search(head):
            return "feed"
        if _HTML_ROOT.search(head):
            return "html"
    if suffix in {"", ".xml"} and head[:1] in (b"{", b"["):
        return "jsonl" if b"\n{" in data[:65536] or head[:1] == b"{" and b"\n" in data.strip() else "json"
    text_lines = [line.strip() for line in data[:65536].decode("utf-8", "replace").splitlines()]
    lines = [line for line in text_lines if line and not line.startswith("#")]
    if lines and all(_URL.match(line) for line in lines):
        return "urls"
    return "txt"


def check_bytes(data: bytes, where: str) -> InputError | None:
    """Refuse what is no article source: too large, binary."""
    if len(data) > MAX_BYTES:
        return InputError(where, f"too large ({len(data)} bytes; the cap is {MAX_BYTES})")
    if b"\x00" in data[:8192]:
        return InputError(where, "binary file, not text")
    return None


_JSON_TYPES = {dict: "an object", list: "an array", int: "a number", float: "a number", bool: "a boolean"}


def read_jsonl_lines(lines: Iterable[bytes | None], origin: str) -> Iterator[Article | InputError]:
    """The records of JSONL lines (bytes; None for a line over the cap), each judged alone."""
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if raw is None:
            yield InputError(where, f"line too large (over {MAX_BYTES} bytes)")
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputError(where, f"undecodable bytes (not UTF-8) at byte {exc.start + 1} of the line")
            continue
        if not line.strip():
            continue
        if "\x00" in line:
            yield InputError(where, f"binary data: a NUL byte at column {line.index(chr(0)) + 1}")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"invalid JSON: {json_problem(exc)}")
            continue
        yield from build(record, where)


def decode_utf8(data: bytes, where: str) -> str | InputError:
    """The text of a file (a byte-order mark dropped), or an error naming the line of the first
    byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return InputError(f"{where}:{line}", f"undecodable bytes (not UTF-8) at byte {exc.start}")


def read_json(data: bytes, where: str) -> Iterator[Article | InputError]:
    """The records of a JSON file: one object, or an array of them."""
    text = decode_utf8(data, where)
    if isinstance(text, InputError):
        yield text
        return
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(f"{where}:{exc.lineno}", f"invalid JSON: {json_problem(exc)}")
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    for index, record in enumerate(records, start=1):
        yield from build(record, f"{where}[{index}]" if isinstance(parsed, list) else where)


def json_problem(exc: json.JSONDecodeError) -> str:
    """The parser's message with the column it points at ("Unterminated string starting at column 9")."""
    return f"{exc.msg}{'' if exc.msg.endswith(' at') else ' at'} column {exc.colno}"


def build(record: Any, where: str) -> list[Article | InputError]:
    """The article of one JSON record, after a warning naming the fields it ignored."""
    if not isinstance(record, dict):
        return [InputError(where, f"expected a JSON object with a 'text' field, not {_JSON_TYPES.get(type(record), 'a string')}")]
    text = record.get("text")
    if text is None:
        return [InputError(where, "no 'text' field")]
    if not isinstance(text, str):
        return [InputError(where, f"text must be a string, not {_JSON_TYPES.get(type(text), 'that')}")]
    if not text.strip():
        return [InputError(where, "empty text")]
    fields = {key: value for key, value in record.items() if key in INPUT_FIELDS}
    fields.setdefault("title", "")
    if not fields.get("id"):
        fields["id"] = content_hash(fields.get("title") if isinstance(fields.get("title"), str) else "", text)[:16]
    try:
        article = Article.model_validate(fields | {"origin": where})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        return [InputError(where, problems)]
    unknown = sorted(key for key in record if key not in INPUT_FIELDS)
    if not unknown:
        return [article]
    names = ", ".join(json.dumps(key) for key in unknown)
    return [InputWarning(where, f"ignored unknown field{'s' if len(unknown) > 1 else ''} {names} "
                                f"(known: {', '.join(INPUT_FIELDS)})"), article]  # fmt: skip


def _safe_xml(data: bytes, where: str):
    """Parse XML refusing DTD entities and external references."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(where, f"unsafe XML refused ({type(exc).__name__}): entity declarations are not allowed") from exc
    except Exception as exc:  # xml.etree.ElementTree.ParseError and friends
        raise InputError(where, f"malformed XML: {exc}") from exc


def opml_feeds(data: bytes, where: str) -> list[str]:
    root = _safe_xml(data, where)
    urls = [node.get("xmlUrl") or node.get("xmlurl") for node in root.iter("outline")]
    return [u for u in urls if u]


def url_list(data: bytes) -> list[str]:
    lines = (line.strip() for line in data.decode("utf-8", "replace").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


class FeedEntry:
    """One feed item: its link and whatever text the feed itself carries."""

    def __init__(self, url: str | None, title: str, text: str, published: Any, source: str | None, where: str):
        self.url, self.title, self.text = url, title, text
        self.published, self.source, self.where = published, source, where

    def to_article(self) -> Article | InputError:
        if not self.text.strip():
            return InputError(self.where, "feed entry carries no text (fetching is off or failed)")
        return Article(
            id=article_id(self.url, self.title, self.text), url=self.url, title=self.title,
            text=self.text, published=self.published, source=self.source, language=None, origin=self.where,
        )  # fmt: skip


def article_id(url: str | None, title: str, text: str) -> str:
    """Stable id: from the canonical URL when there is one, else from the content."""
    from pipeline.sources.dedup import canonical_url

    if url:
        return "url:" + content_hash(canonical_url(url))[:20]
    return content_hash(title, text)[:16]


def _html_to_text(fragment: str) -> str:
    import lxml.html

    if not fragment.strip():
        return ""
    try:
        return lxml.html.fromstring(f"<div>{fragment}</div>").text_content().strip()
    except Exception:
        return re.sub(r"<[^>]+>", " ", fragment).strip()


def feed_entries(data: bytes, where: str, base: str | None = None) -> Iterator[FeedEntry | InputError]:
    from urllib.parse import urljoin

    import feedparser

    _safe_xml(data, where)  # refuses bombs and malformed XML before feedparser sees them
    parsed = feedparser.parse(data)
    base = base or parsed.feed.get("link") or None
    if parsed.bozo and not parsed.entries:
        yield InputError(where, f"malformed feed: {parsed.get('bozo_exception')}")
        return
    source = parsed.feed.get("title")
    for index, entry in enumerate(parsed.entries, start=1):
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        published = None
        if stamp := (entry.get("published_parsed") or entry.get("updated_parsed")):
            published = dt.datetime(*stamp[:6])
        link = entry.get("link")
        if link and base and "://" not in link:
            link = urljoin(base, link)  # "/news/story-1" in a feed of https://example.org/
        yield FeedEntry(link, (entry.get("title") or "").strip(), _html_to_text(html),
                        published, source, f"{where}#entry{index}")  # fmt: skip


def html_article(data: bytes | str, where: str, url: str | None = None) -> Article | InputError:
    """The main text and metadata of an HTML page; pages that are not articles are refused."""
    import trafilatura

    document = trafilatura.bare_extraction(data, url=url, with_metadata=True)
    if document is None:
        return InputError(where, "HTML page has no article text (navigation or index page?)")
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = (fields.get("text") or "").strip()
    if len(text.split()) < 30:
        return InputError(where, f"HTML page is not an article (only {len(text.split())} words of text)")
    published = None
    if fields.get("date"):
        try:
            published = dt.date.fromisoformat(fields["date"][:10])
        except ValueError:
            published = None
    title = (fields.get("title") or "").strip()
    return Article(
        id=article_id(url or fields.get("url"), title, text), url=url or fields.get("url"), title=title,
        text=text, published=published, source=fields.get("sitename"), language=fields.get("language"),
        origin=where,
    )  # fmt: skip
