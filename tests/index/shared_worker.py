"""Another Attest process on the same Chroma server (run by tests/index/test_store_server.py):

    python -m tests.index.shared_worker DATA_DIR CHROMA_URL COLLECTION ingest PATH
    python -m tests.index.shared_worker DATA_DIR CHROMA_URL COLLECTION search QUERY

prints one JSON line: what it ingested, or the BM25 hits of QUERY with how its BM25 cache got
current (a full sync of the corpus, or only the articles other processes changed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from index.bm25 import LexicalIndex
from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store
from rag.retrieve import Retriever
from tests.conftest import HashEmbedder


def main(data_dir: str, url: str, collection: str, action: str, arg: str) -> dict[str, object]:
    settings = Settings(data_dir=Path(data_dir), chroma_url=url, collection=collection, recency_half_life_days=0)
    store = Store(settings)
    if action == "ingest":
        report = Ingestor(settings, store, HashEmbedder()).ingest([Path(arg)])
        return {"added": len(report.added)}
    lexical = LexicalIndex.for_store(store)
    full_reads: list[int] = []  # calls that list every chunk on the server (a full sync)
    listing = store.chunk_ids
    store.chunk_ids = lambda *a, **k: full_reads.append(1) or listing(*a, **k)  # type: ignore[method-assign]
    refreshed: list[int] = []  # articles re-read because another process changed them
    catch_up = lexical.catch_up
    lexical.catch_up = lambda: refreshed.append(catch_up()) or refreshed[-1]  # type: ignore[method-assign]
    retriever = Retriever(store, HashEmbedder(), mode="bm25", lexical=lexical)
    retriever.check_ready()  # a cold cache is filled from the server here
    hits = retriever.search(arg, 5)
    return {
        "full_reads": len(full_reads),
        "refreshed": sum(refreshed),
        "rows": lexical.count(),
        "texts": [h.text for h in hits],
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:6])))
