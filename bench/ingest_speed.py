"""Ingest throughput against its floor: the embedder alone on the same chunk texts.

    python bench/ingest_speed.py --corpus ../shared/eval/realtimeqa/corpus.jsonl.gz --articles 150

Takes the first N articles of a .jsonl(.gz) corpus, then in one run, taking turns for
``--rounds`` rounds: the embedder alone on exactly the texts ingest embeds (title + chunk), and
`Ingestor.ingest` (load, metadata, chunking, embedding, Chroma writes, BM25 rows and matrix) into
a fresh embedded index in each mode of ``--modes``:

- ``overlap``: embedding on a worker thread while the next articles are read and the batch before
  is written (index/ingest_pipeline.py; what `attest ingest` does);
- ``serial``: everything on one thread, embedding in turn (``Ingestor(overlap=False)``);
- ``MODE:N``: that mode with the embedder at N onnxruntime threads (default: ATTEST_EMBED_THREADS,
  2), e.g. ``overlap:1`` to see whether the overlap should leave a core to the reading and writing;
  ``MODE:N:nospin``: and onnxruntime's threads sleep instead of spinning while they wait for work.

The embedder alone always runs at the default threads: it is the floor every mode is measured
against. Within a round the modes run in a rotated order, so that a machine getting slower or
faster during the run does not favour one of them. Reports, per mode, chunks per second (best
round) and ingest speed / embedder-alone speed three ways: best round against best round, the
median of each round's pair (the ingest and the embedder run next to it), and mean against mean.
Writes bench/results/ingest_speed.json.

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
import statistics
import tempfile
import time
from pathlib import Path

import index  # noqa: F401  (offline defaults first)
from index import chunking, loaders
from index.embedding import Embedder, MiniLMOnnxEmbedder
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
    parser.add_argument(
        "--modes",
        default="overlap",
        help="comma-separated: overlap, serial; MODE:N for N embedder threads, MODE:N:nospin without spinning",
    )
    parser.add_argument("--out", type=Path, default=None, help="the JSON result (default: bench/results/...)")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    settings = Settings(data_dir=Path(tempfile.gettempdir()) / "unused")
    variants: dict[str, tuple[int, bool]] = {}  # mode: the embedder's threads, spinning
    for mode in modes:
        name, *rest = mode.split(":")
        threads = rest[0] if rest else str(settings.embed_threads)
        if name not in ("overlap", "serial") or not threads.isdigit() or rest[1:] not in ([], ["nospin"]):
            parser.error(f"unknown mode {mode!r}; use overlap, serial, overlap:1, serial:2, overlap:2:nospin, ...")
        variants[mode] = (int(threads), rest[1:] != ["nospin"])
    if settings.embed_backend != "onnx-minilm" and any(v != (settings.embed_threads, True) for v in variants.values()):
        parser.error("threads and spinning are settings of the packaged embedder (ATTEST_EMBED_BACKEND=onnx-minilm)")

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
    settings = settings.model_copy(update={"data_dir": work / "data"})
    embedder = models.make_embedder(settings)  # the floor: the embedder as `attest ingest` makes it
    embedders: dict[tuple[int, bool], Embedder] = {(settings.embed_threads, True): embedder}
    for threads, spin in variants.values():
        if (threads, spin) not in embedders:
            embedders[threads, spin] = MiniLMOnnxEmbedder(threads, settings.embed_batch_size, spin=spin)
    files = sorted(target_path.glob("*.html")) if args.format == "html" else [sample]
    docs = [d for f in files for d in loaders.load_file(f) if isinstance(d, SourceDocument)]
    texts = [
        embedding_text(doc, chunk)
        for doc in docs
        for chunk in chunking.chunk_document(doc, settings.chunk_chars, settings.chunk_overlap_sentences)
    ]
    for loaded in embedders.values():
        loaded.embed(texts[:32])  # load the models outside the timings

    embed_seconds: list[float] = []
    ingest_seconds: dict[str, list[float]] = {mode: [] for mode in modes}
    for round_number in range(args.rounds):
        started = time.perf_counter()
        embedder.embed(texts)
        embed_seconds.append(time.perf_counter() - started)
        print(f"round {round_number + 1}: embedder alone {embed_seconds[-1]:.2f} s", flush=True)
        shift = round_number % len(modes)
        for mode in modes[shift:] + modes[:shift]:
            run = settings.model_copy(update={"data_dir": work / f"data-{round_number}-{mode.replace(':', '-')}"})
            overlap = mode.startswith("overlap")
            ingestor = Ingestor(run, Store(run), embedders[variants[mode]], overlap=overlap)
            report = ingestor.ingest([target_path])
            assert report.chunks_embedded == len(texts), (report.chunks_embedded, len(texts))
            ingest_seconds[mode].append(report.seconds)
            print(f"round {round_number + 1}: ingest {mode} {report.seconds:.2f} s", flush=True)

    embed_rate = len(texts) / min(embed_seconds)
    per_mode = {
        mode: {
            "ingest_seconds": [round(s, 2) for s in seconds],
            "ingest_chunks_per_second": round(len(texts) / min(seconds), 2),
            "speed_vs_embedder_alone_best": round(min(embed_seconds) / min(seconds), 3),
            "speed_vs_embedder_alone_median_of_rounds": round(
                statistics.median(e / i for e, i in zip(embed_seconds, seconds)), 3
            ),
            "speed_vs_embedder_alone_means": round(statistics.mean(embed_seconds) / statistics.mean(seconds), 3),
        }
        for mode, seconds in ingest_seconds.items()
    }
    result = {
        "format": args.format,
        "articles": len(docs),
        "chunks": len(texts),
        "embedder": embedder.name,
        "embed_threads": settings.embed_threads,
        "rounds": args.rounds,
        "embedder_alone_seconds": [round(s, 2) for s in embed_seconds],
        "embedder_alone_chunks_per_second": round(embed_rate, 2),
        "modes": per_mode,
    }
    name = "ingest_speed.json" if args.format == "jsonl" else f"ingest_speed_{args.format}.json"
    out = args.out or OUT / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
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
