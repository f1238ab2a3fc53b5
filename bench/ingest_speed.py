"""Ingest throughput against its floor: the embedder alone on the same chunk texts.

    python bench/ingest_speed.py --corpus ../shared/eval/realtimeqa/corpus.jsonl.gz --articles 150

Takes the first N articles of a .jsonl(.gz) corpus, then in one run, taking turns (embedder
alone, full ingest into a fresh embedded index, twice each): the embedder alone on exactly the
texts ingest embeds (title + chunk), and `Ingestor.ingest` (load, metadata, chunking, embedding,
Chroma writes, BM25 rows and matrix). Reports chunks per second of each and their ratio: the
share of ingest time that is not embedding. Writes bench/results/ingest_speed.json.
"""

from __future__ import annotations

import argparse
import gzip
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
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="attest-ingest-bench-"))
    sample = work / "sample.jsonl"
    opener = gzip.open if args.corpus.name.endswith(".gz") else open
    with opener(args.corpus, "rt", encoding="utf-8") as source, sample.open("w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number >= args.articles:
                break
            target.write(line)

    settings = Settings(data_dir=work / "data")
    embedder = models.make_embedder(settings)
    docs = [d for d in loaders.load_file(sample) if isinstance(d, SourceDocument)]
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
        report = Ingestor(run, Store(run), embedder).ingest([sample])
        assert report.chunks_embedded == len(texts), (report.chunks_embedded, len(texts))
        ingest_seconds.append(report.seconds)

    embed_rate = len(texts) / min(embed_seconds)
    ingest_rate = len(texts) / min(ingest_seconds)
    result = {
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
    (OUT / "ingest_speed.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
