"""Article extraction from web pages, before (the old hand-written parser, index/html_legacy.py)
and after (index/html_extract.py: trafilatura + htmldate + JSON-LD), in one run.

    python bench/extraction.py                      # the fixture pages in tests/fixtures/ingest/pages
    python bench/extraction.py --pages DIR          # any folder of NAME.html (or .html.gz) + NAME.txt

Each page's text is compared with the article body written for it (NAME.txt): word-4-gram
precision, recall and F1 (lower-cased words; 4-grams counted with multiplicity), averaged over
pages. A page without a NAME.txt is a page with no article: the extractor should return nothing
(counted as "rejected"). Where NAME.json states title / published_at / authors, the metadata
found is checked against it. Speed: pages per second of extraction alone (the page already in
memory as text), each extractor over all pages ``--repeat`` times. Writes
bench/results/extraction.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import encoding, html_extract, html_legacy  # noqa: E402
from index.types import DocMetadata  # noqa: E402

Extractor = Callable[[str], "tuple[str, DocMetadata] | None"]
_WORD = re.compile(r"\w+")


def ngrams(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def score(found: str, truth: str) -> tuple[float, float, float]:
    got, want = ngrams(found), ngrams(truth)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def read_page(path: Path) -> str:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return encoding.decode(raw, encoding.charset_of_html(raw)) or ""


def legacy(html: str) -> tuple[str, DocMetadata] | None:
    text, meta = html_legacy.html_to_text(html)
    return (text, meta) if text.strip() else None


EXTRACTORS: dict[str, Extractor] = {"before (hand-written parser)": legacy, "after (trafilatura)": html_extract.extract}


def pages_in(folder: Path) -> list[tuple[str, str, str | None, dict]]:
    found = []
    for path in sorted(folder.iterdir()):
        if not path.name.endswith((".html", ".htm", ".html.gz")):
            continue
        stem = path.name.split(".")[0]
        truth = folder / f"{stem}.txt"
        meta = folder / f"{stem}.json"
        found.append(
            (
                stem,
                read_page(path),
                truth.read_text(encoding="utf-8") if truth.exists() else None,
                json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {},
            )
        )
    return found


def evaluate(name: str, extract: Extractor, pages: list, repeat: int) -> dict:
    rows, rejected, no_article, meta_hits = [], 0, 0, Counter()
    meta_total: Counter[str] = Counter()
    for stem, html, truth, expected in pages:
        result = extract(html)
        if truth is None:
            no_article += 1
            rejected += result is None
            continue
        text, meta = result if result else ("", DocMetadata())
        p, r, f = score(text, truth)
        rows.append({"page": stem, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)})
        for field in ("title", "published_at", "authors"):
            if field in expected:
                meta_total[field] += 1
                got = getattr(meta, field)
                want = tuple(expected[field]) if field == "authors" else expected[field]
                meta_hits[field] += got == want
    started = time.perf_counter()
    for _ in range(repeat):
        for _, html, _, _ in pages:
            extract(html)
    seconds = time.perf_counter() - started
    n = len(rows) or 1
    return {
        "extractor": name,
        "pages": len(rows),
        "precision": round(sum(r["precision"] for r in rows) / n, 3),
        "recall": round(sum(r["recall"] for r in rows) / n, 3),
        "f1": round(sum(r["f1"] for r in rows) / n, 3),
        "no_article_pages_rejected": f"{rejected}/{no_article}",
        "metadata_correct": {k: f"{meta_hits[k]}/{meta_total[k]}" for k in sorted(meta_total)},
        "pages_per_second": round(repeat * len(pages) / seconds, 1) if seconds else 0.0,
        "per_page": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=ROOT / "tests" / "fixtures" / "ingest" / "pages")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the pages for the speed figure")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "extraction.json")
    args = parser.parse_args()
    pages = pages_in(args.pages)
    html_extract.extract("<html><body><p>warm up the imports.</p></body></html>")
    results = [evaluate(name, fn, pages, args.repeat) for name, fn in EXTRACTORS.items()]
    print(f"{len(pages)} pages from {args.pages}")
    print("| extractor | pages | precision | recall | F1 | no-article pages rejected |", end="")
    print(" title / date / authors right | pages/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        m = r["metadata_correct"]
        meta = " / ".join(m.get(k, "-") for k in ("title", "published_at", "authors"))
        print(
            f"| {r['extractor']} | {r['pages']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} "
            f"| {r['no_article_pages_rejected']} | {meta} | {r['pages_per_second']} |"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"pages_dir": str(args.pages), "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
