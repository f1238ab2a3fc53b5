"""Ingest throughput against its floor: the embedder alone on the same chunk texts.

    python bench/ingest_speed.py --corpus ../shared/eval/realtimeqa/corpus.jsonl.gz --articles 150

Takes the first N articles of a .jsonl(.gz) corpus, then in one run, taking turns (embedder
alone, full ingest into a fresh embedded index, twice each): the embedder alone on exactly the
texts ingest embeds (title + chunk), and `Ingestor.ingest` (load, metadata, chunking, embedding,
Chroma writes, BM25 rows and matrix). Reports chunks per second of each and their ratio: the
share of ingest time that is not embedding. Writes bench/results/ingest_speed.json.

    python bench/ingest_speed.py --corpus ... --articles 300 --format html

writes each article as a news web page (menu, related stories, comments, footer, JSON-LD) into
a folder and ingests that folder instead: the ingest time then includes reading and extracting
every page (trafilatura), the embedder alone embeds the same extracted chunks. Writes
bench/results/ingest_speed_html.json.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import shutil
import tempfile
import time
from pathlib import Path

import index  # noqa: F401  (offline defaults first)
from index import chunking, loaders
from index.ingest import Ingestor, embedding_text
from index.settings import Settings
from index.store import Store
from index.types import SourceDocument
from rag import models

OUT = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--format", choices=["jsonl", "html"], default="jsonl", help="what ingest reads")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="attest-ingest-bench-"))
    sample = work / "sample.jsonl"
    opener = gzip.open if args.corpus.name.endswith(".gz") else open
    with opener(args.corpus, "rt", encoding="utf-8") as source, sample.open("w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number >= args.articles:
                break
            target.write(line)

    target_path = sample
    if args.format == "html":
        target_path = work / "pages"
        write_pages(sample, target_path)
    settings = Settings(data_dir=work / "data")
    embedder = models.make_embedder(settings)
    files = sorted(target_path.glob("*.html")) if args.format == "html" else [sample]
    docs = [d for f in files for d in loaders.load_file(f) if isinstance(d, SourceDocument)]
    texts = [
        embedding_text(doc, chunk)
        for doc in docs
        for chunk in chunking.chunk_document(doc, settings.chunk_chars, settings.chunk_overlap_sentences)
    ]
    embedder.embed(texts[:32])  # load the model outside the timings

    embed_seconds: list[float] = []
    ingest_seconds: list[float] = []
    for round_number in range(args.rounds):
        started = time.perf_counter()
        embedder.embed(texts)
        embed_seconds.append(time.perf_counter() - started)

        run = settings.model_copy(update={"data_dir": work / f"data-{round_number}"})
        report = Ingestor(run, Store(run), embedder).ingest([target_path])
        assert report.chunks_embedded == len(texts), (report.chunks_embedded, len(texts))
        ingest_seconds.append(report.seconds)

    embed_rate = len(texts) / min(embed_seconds)
    ingest_rate = len(texts) / min(ingest_seconds)
    result = {
        "format": args.format,
        "articles": len(docs),
        "chunks": len(texts),
        "embedder": embedder.name,
        "embed_threads": settings.embed_threads,
        "embedder_alone_seconds": [round(s, 2) for s in embed_seconds],
        "ingest_seconds": [round(s, 2) for s in ingest_seconds],
        "embedder_alone_chunks_per_second": round(embed_rate, 2),
        "ingest_chunks_per_second": round(ingest_rate, 2),
        "ingest_speed_vs_embedder_alone": round(ingest_rate / embed_rate, 3),
    }
    OUT.mkdir(exist_ok=True)
    name = "ingest_speed.json" if args.format == "jsonl" else f"ingest_speed_{args.format}.json"
    (OUT / name).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    shutil.rmtree(work, ignore_errors=True)


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<script type="application/ld+json">{ld}</script></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/sport">Sport</a>
<a href="/subscribe">Subscribe for full access to every story</a></nav></header>
<main><article><h1>{title}</h1>{body}</article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Markets close higher after a volatile week of trading</a></li>
<li><a href="/b">Storm warning issued for the coast as winds pick up overnight</a></li></ul></aside>
<section class="comments"><h3>Comments</h3>
<p>Interesting read, thanks for the report, but what about the other side?</p></section>
</main><footer><p>&copy; {outlet}. All rights reserved.</p><a href="/privacy">Privacy</a></footer></body></html>
"""


def write_pages(sample: Path, folder: Path) -> None:
    """Each article of ``sample`` as a web page with the usual boilerplate around it."""
    folder.mkdir(parents=True)
    for number, line in enumerate(sample.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        paragraphs = [p.strip() for p in str(record.get("text", "")).split("\n") if p.strip()]
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": record.get("title", ""),
            "datePublished": str(record.get("published_at", "")).replace("/", "-"),
            "url": record.get("url", ""),
        }
        page = PAGE.format(
            title=html.escape(str(record.get("title", ""))),
            outlet=html.escape(str(record.get("source", "") or "News")),
            ld=json.dumps(ld).replace("</", "<\\/"),
            body="".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
        )
        (folder / f"{number:05d}.html").write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()
