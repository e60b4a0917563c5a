"""Language detection on short texts: how often English is taken for another language (and
skipped), and how often short foreign texts are still told apart, before and after.

    python bench/language_bench.py

English: the 3,478 sentences of the event training corpus (headlines and news sentences in
nine styles, written for the project), the same cut to their first eight words, and the long
articles of samples/ and the evaluation sets. Foreign: bench/short-foreign.jsonl, 60 short
news sentences and headlines in 30 languages, written for this benchmark. "before" is what
ingest did until now (py3langid's plain classify over all its languages); "after" is
`LanguageDetector` with `pipeline/data/languages.toml`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import Article  # noqa: E402
from pipeline.ingest.steps import LanguageDetector  # noqa: E402
from pipeline.sources.read import read_sources  # noqa: E402


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    import py3langid

    sentences = [r["text"] for path in sorted((ROOT / "training" / "events").glob("*.jsonl")) for r in _lines(path)]
    english = {
        "training sentences": sentences,
        "first eight words": [" ".join(s.split()[:8]) for s in sentences],
        "long articles": [a.title + " " + a.text for a in read_sources(
            [ROOT / "samples", ROOT / "tests" / "heldout" / "articles.jsonl", ROOT / "tests" / "blind" / "articles.jsonl"])
            if isinstance(a, Article)],
    }  # fmt: skip
    foreign = _lines(ROOT / "bench" / "short-foreign.jsonl")
    detector = LanguageDetector(("en",))

    def before(text: str) -> str:
        return str(py3langid.classify(text[:2000])[0])

    def after(text: str) -> str:
        return detector.detect(Article(id="bench", text=text))[0]

    print(f"{'':28s} {'before':>16s} {'after':>16s}")
    for name, texts in english.items():
        rates = [sum(guess(t) != "en" for t in texts) for guess in (before, after)]
        print(f"English taken for another language, {name} ({len(texts)}):")
        print(f"{'':28s} {rates[0]:6d} ({rates[0] / len(texts):6.2%}) {rates[1]:6d} ({rates[1] / len(texts):6.2%})")
    kept = [sum(guess(r["text"]) != "en" for r in foreign) for guess in (before, after)]
    print(f"Short foreign texts still told from English ({len(foreign)}):")
    print(f"{'':28s} {kept[0]:6d} ({kept[0] / len(foreign):6.2%}) {kept[1]:6d} ({kept[1] / len(foreign):6.2%})")


if __name__ == "__main__":
    main()
