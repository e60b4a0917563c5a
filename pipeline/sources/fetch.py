"""Polite HTTP(S) fetching with httpx: timeouts, retries with backoff, at most two connections
and a delay per host, conditional GET for feeds (ETag / Last-Modified), a size cap, a
content-type check, a bounded number of redirects and an identifying user agent.

No server-side request forgery: a URL that came from a fetched document (a feed item, an
entry of a remote OPML or URL list) may only reach public addresses. Its host is resolved and
every address checked before the request, each redirect target is checked the same way, and
the address actually connected to is checked again before the body is read (a DNS answer
that changed in between is caught). URLs the user gives (`trusted`) are the user's choice;
their redirects are held to public addresses too unless the URL itself named a private host.
`allow_private` (`--allow-private-addresses`) lifts the rule, for intranet feeds. Behind an
HTTP proxy (HTTP_PROXY and friends), the proxy connects: the hosts this machine can resolve are
still checked, the rest is the proxy's to refuse.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline.errors import AddressRefused, InputError
from pipeline.sources.formats import MAX_BYTES

USER_AGENT = "newsgraph/0.1 (news knowledge-graph builder; +https://example.org/newsgraph)"
TEXT_TYPES = ("text/html", "application/xhtml+xml", "application/rss+xml", "application/atom+xml",
              "application/xml", "text/xml", "application/rdf+xml", "text/plain", "application/json",
              "application/x-ndjson", "text/x-opml", "application/octet-stream")  # fmt: skip
RETRY_STATUS = {429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: Address) -> bool:
    """Routable on the internet: not loopback, private, link-local, shared, reserved or multicast."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _proxied(url: str) -> bool:
    """Whether an HTTP proxy from the environment (HTTP_PROXY, NO_PROXY…, as httpx reads them)
    carries this request: then the proxy is the peer, and it resolves the host."""
    import urllib.request

    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    return bool(proxies.get(parts.scheme) or proxies.get("all")) and not urllib.request.proxy_bypass(parts.hostname or "")


def _addresses(host: str, port: int, where: str) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(where, f"cannot resolve host {host}: {exc}") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


@dataclass
class Fetched:
    url: str
    status: int
    content: bytes
    content_type: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Fetcher:
    """One polite HTTP client for a run. `cache_path` keeps validators for conditional GET."""

    cache_path: Path | None = None
    timeout: float = 15.0
    retries: int = 3
    backoff: float = 0.5
    per_host: int = 2
    delay: float = 0.5
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5
    allow_private: bool = False
    public: Callable[[Address], bool] = is_public  # which addresses count as public
    _client: httpx.Client = field(init=False)
    _validators: dict = field(init=False, default_factory=dict)
    _hosts: dict = field(init=False, default_factory=dict)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout, connect=min(5.0, self.timeout)),
            follow_redirects=False,  # followed one by one in _get_once, each target checked
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/xml;q=0.9, */*;q=0.5"},
        )  # fmt: skip
        if self.cache_path is not None and self.cache_path.exists():
            try:
                self._validators = json.loads(self.cache_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                self._validators = {}

    def _host_slot(self, url: str) -> tuple[threading.Semaphore, list[float]]:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = (threading.Semaphore(self.per_host), [0.0])
            return self._hosts[host]

    def _private_allowed(self, url: str, trusted: bool) -> bool:
        if self.allow_private:
            return True
        if not trusted:
            return False
        parts = urlsplit(url)  # the user named a private host: its redirects may stay there
        return not all(self.public(a) for a in _addresses(parts.hostname or "", parts.port or 80, url))

    def _check(self, url: str, origin: str, allow_private: bool) -> None:
        """Refuse `url` (reached from `origin`) when its host resolves to a non-public address."""
        if allow_private:
            return
        parts = urlsplit(url)
        try:
            addresses = _addresses(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80), origin)
        except InputError:
            if _proxied(url):
                return  # the proxy resolves what this machine cannot
            raise
        for address in addresses:
            if not self.public(address):
                raise AddressRefused(origin, f"refused {url}: {parts.hostname} is at {address}, not a public address "
                                         "(--allow-private-addresses allows intranet URLs)")  # fmt: skip

    def get(self, url: str, *, conditional: bool = False, trusted: bool = False) -> Fetched:
        """Fetch `url`; raises InputError with the reason when it cannot be had. `trusted`
        says the user gave this URL; any other may only reach public addresses."""
        try:
            if urlsplit(url).scheme not in {"http", "https"}:
                raise InputError(url, "not an http(s) URL")
            semaphore, last = self._host_slot(url)
            allow_private = self._private_allowed(url, trusted)
        except ValueError as exc:
            raise InputError(url, f"malformed URL: {exc}") from None
        except InputError as refused:
            raise type(refused)(url, refused.reason) from None
        headers = {}
        if conditional and (validators := self._validators.get(url)):
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        error = "no attempt made"
        for attempt in range(self.retries):
            with semaphore:
                wait = last[0] + self.delay - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    fetched = self._get_once(url, headers, allow_private)
                except httpx.ConnectError as exc:
                    raise InputError(url, f"cannot connect: {exc}") from None  # no such host: final
                except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                    raise InputError(url, f"malformed URL: {exc}") from None
                except (httpx.TransportError, httpx.TimeoutException) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    fetched = None
                finally:
                    last[0] = time.monotonic()
            if fetched is not None and fetched.status not in RETRY_STATUS:
                break
            if fetched is not None:
                error = f"HTTP {fetched.status}"
            time.sleep(self.backoff * 2**attempt)
        else:
            raise InputError(url, f"fetch failed after {self.retries} attempts ({error})")
        if fetched.status >= 400:
            raise InputError(url, f"HTTP {fetched.status}")
        if conditional and fetched.status == 200:
            self._remember(url, fetched)
        return fetched

    def _get_once(self, url: str, headers: dict, allow_private: bool) -> Fetched:
        current = url
        for _ in range(self.max_redirects + 1):
            self._check(current, url, allow_private)
            with self._client.stream("GET", current, headers=headers) as response:
                self._check_peer(response, current, url, allow_private)
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUS and location:
                    current = urljoin(str(response.url), location)
                    if urlsplit(current).scheme not in {"http", "https"}:
                        raise InputError(url, f"redirected to {current}, not an http(s) URL")
                    continue
                return self._read(response, url)
        raise InputError(url, f"more than {self.max_redirects} redirects")

    def _check_peer(self, response: httpx.Response, current: str, origin: str, allow_private: bool) -> None:
        """The address really connected to, checked before the body is read."""
        if allow_private or _proxied(current):
            return  # through a proxy, the peer is the proxy
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if not peer:
            return
        address = ipaddress.ip_address(str(peer[0]).split("%")[0])
        if not self.public(address):
            raise AddressRefused(origin, f"refused {current}: connected to {address}, not a public address "
                                     "(--allow-private-addresses allows intranet URLs)")  # fmt: skip

    def _read(self, response: httpx.Response, url: str) -> Fetched:
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if response.status_code == 200 and content_type and not content_type.startswith(TEXT_TYPES):
            raise InputError(url, f"content type {content_type!r} is not a page or a feed")
        declared = int(response.headers.get("content-length") or 0)
        if declared > self.max_bytes:
            raise InputError(url, f"too large ({declared} bytes; the cap is {self.max_bytes})")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise InputError(url, f"too large (over {self.max_bytes} bytes)")
            chunks.append(chunk)
        fetched = Fetched(str(response.url), response.status_code, b"".join(chunks), content_type)
        fetched.etag = response.headers.get("etag")  # type: ignore[attr-defined]
        fetched.last_modified = response.headers.get("last-modified")  # type: ignore[attr-defined]
        return fetched

    def _remember(self, url: str, fetched: Fetched) -> None:
        etag, modified = getattr(fetched, "etag", None), getattr(fetched, "last_modified", None)
        if etag or modified:
            self._validators[url] = {"etag": etag, "last_modified": modified}

    def close(self, *, save: bool = True) -> None:
        """Close the client; keep the feed validators only after a complete run, so a feed
        is never skipped as unchanged while some of its entries were not ingested."""
        self._client.close()
        if save and self.cache_path is not None and self._validators:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self.cache_path.write_text(json.dumps(self._validators, indent=1), encoding="utf-8")
