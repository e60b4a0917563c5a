"""Deduplication: canonical URLs, content hashes, and near-duplicates (syndicated copies of one
wire story) found with MinHash signatures (datasketch) in a banded LSH index of numpy arrays,
its buckets capped so that the work per article stays bounded however many copies arrive.

What has been seen is kept beside the store in `seen.jsonl` (id, canonical url, content hash,
MinHash signature, when), appended before each batch is committed. A run killed at any moment
and started again rebuilds the same index, and an article never counts as a copy of itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from models import Article, content_hash

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|ref|ref_src|cmpid|ocid|smid|s_cid|at_medium|at_campaign|rss)$", re.I)
NUM_PERM = 64
# Syndicated copies are often cut or re-headed, so word 5-gram Jaccard between a copy and its
# original sits well below 1; unrelated articles on one topic share almost no 5-grams.
THRESHOLD = 0.5
SHINGLE = 5
SCHEME = "affine32"
BUCKET_CAP = 16


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, sorted query. A URL
    that cannot be parsed is kept as it is."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k))
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))


def text_hash(article: Article) -> str:
    """The hash of the words of the text, so whitespace and case do not hide a copy."""
    return content_hash(" ".join(article.text.lower().split()))


def _shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(max(1, len(words) - SHINGLE + 1))}


def signature(article: Article) -> list[int]:
    """MinHash of the article's word 5-grams, boilerplate left out."""
    from datasketch import MinHash

    from pipeline.sources.clean import clean

    document = clean(article)
    minhash = MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME)
    minhash.update_batch(list(_shingles(document.text[document.body_offset :])))
    return [int(v) for v in minhash.hashvalues]


class _BandIndex:
    """MinHash LSH over signature arrays: NUM_PERM values cut into bands of rows (the split
    datasketch finds best for THRESHOLD); two articles that agree on a whole band are
    candidates. A bucket holds at most BUCKET_CAP ids, the first that arrived, so a thousand
    copies of one story cost each new item a bounded number of comparisons, not one per copy."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.ranges = [(band * lsh.r, (band + 1) * lsh.r) for band in range(lsh.b)]
        self.buckets: list[dict[bytes, list[str]]] = [{} for _ in self.ranges]

    def insert(self, key: str, signature: np.ndarray) -> None:
        for (start, end), buckets in zip(self.ranges, self.buckets, strict=True):
            bucket = buckets.setdefault(signature[start:end].tobytes(), [])
            if len(bucket) < BUCKET_CAP:
                bucket.append(key)

    def candidates(self, signature: np.ndarray) -> list[str]:
        found: set[str] = set()
        for (start, end), buckets in zip(self.ranges, self.buckets, strict=True):
            found.update(buckets.get(signature[start:end].tobytes(), ()))
        return sorted(found)


class SeenIndex:
    """Everything ingested so far, to tell new articles from copies."""

    def __init__(self, path: Path | None):
        self.path = path
        self.by_url: dict[str, str] = {}
        self.by_hash: dict[str, str] = {}
        self.bands = _BandIndex()
        self.copy_of: dict[str, str | None] = {}
        self._signatures: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a kill mid-write: the batch it belongs to did not commit
                self._remember(record["id"], record.get("url"), record["hash"], record["minhash"])
                self.copy_of.setdefault(record["id"], record.get("copy_of"))

    def _remember(self, article_id: str, url: str | None, digest: str, minhash: list[int]) -> None:
        if url:
            self.by_url.setdefault(url, article_id)
        self.by_hash.setdefault(digest, article_id)
        if article_id not in self._signatures:
            signature = np.asarray(minhash, dtype=np.uint64)
            self._signatures[article_id] = signature
            self.bands.insert(article_id, signature)

    def fingerprint(self, article: Article) -> dict:
        """What identifies an article's content: canonical URL, text hash, MinHash signature.
        Computed once per article and handed to `original_of` and `add`."""
        return {
            "url": canonical_url(article.url) if article.url else None,
            "hash": text_hash(article),
            "minhash": signature(article),
        }

    def original_of(self, article: Article, fingerprint: dict | None = None) -> tuple[str, str] | None:
        """(original id, 'url' | 'exact' | 'near') when the article copies one seen before.

        An article first seen as an original stays one (re-ingesting or editing it never turns
        it into a copy of its own copies), and a copy points at the original, not at another copy.
        """
        if article.id in self.copy_of and self.copy_of[article.id] is None:
            return None
        fingerprint = fingerprint or self.fingerprint(article)
        url, digest = fingerprint["url"], fingerprint["hash"]
        found: list[tuple[str, str]] = []
        if url and self.by_url.get(url, article.id) != article.id:
            found.append((self.by_url[url], "url"))
        if self.by_hash.get(digest, article.id) != article.id:
            found.append((self.by_hash[digest], "exact"))
        mine = np.asarray(fingerprint["minhash"], dtype=np.uint64)
        candidates = [c for c in self.bands.candidates(mine) if c != article.id]
        if candidates:  # LSH only proposes: keep those whose estimated Jaccard reaches the threshold
            theirs = np.stack([self._signatures[c] for c in candidates])
            similarity = (theirs == mine).mean(axis=1)
            found.extend((c, "near") for c, s in zip(candidates, similarity, strict=True) if s >= THRESHOLD)
        for candidate, kind in found:
            original = self.copy_of.get(candidate) or candidate
            if original != article.id:
                return original, kind
        return None

    def add(self, article: Article, copy_of: str | None = None, fingerprint: dict | None = None) -> dict:
        """Remember an article; returns the record to persist with `save`."""
        record = {"id": article.id, **(fingerprint or self.fingerprint(article)), "copy_of": copy_of,
                  "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}  # fmt: skip
        self._remember(record["id"], record["url"], record["hash"], record["minhash"])
        self.copy_of.setdefault(article.id, copy_of)
        return record

    def save(self, records: list[dict]) -> None:
        if self.path is None or not records:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb") as handle:
                handle.seek(-1, 2)
                cut = handle.read(1) != b"\n"  # a line cut by a kill mid-write
        else:
            cut = False
        with self.path.open("a", encoding="utf-8") as handle:
            if cut:
                handle.write("\n")
            for record in records:
                handle.write(json.dumps(record) + "\n")
            handle.flush()
