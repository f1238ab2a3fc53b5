"""bench/reliability.py, crash part: a generated news corpus, and audits of the index after kill -9."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CITIES = ["Lisbon", "Nairobi", "Osaka", "Quito", "Tbilisi", "Hobart", "Dakar", "Tromso", "Cusco", "Perth"]
TOPICS = ["harbour", "railway", "library", "hospital", "bridge", "market", "airport", "school", "museum", "dam"]


def settings_for(data: Path, **extra: Any) -> Any:
    from index.settings import Settings

    if "cpu_lock" in Settings.model_fields:
        extra.setdefault("cpu_lock", None)
    return Settings(data_dir=data, **extra)


def article_text(n: int, version: int) -> tuple[str, str]:
    city, topic = CITIES[n % 10], TOPICS[(n // 10) % 10]
    title = f"{city} {topic} report number {n}"
    body = (
        f"{title}\n\n{city.upper()}, March {1 + n % 28}, 2022 - The {topic} board of {city} met on item {n}-{version}. "
        f"Officials said the {topic} plan {n} would cost {100 + n} million. "
        f"Residents of {city} asked questions about case {n} for an hour. "
        f"The vote on proposal {n} revision {version} is expected next week."
    )
    return title, body


def write_news_corpus(corpus: Path, count: int, rng: random.Random) -> None:
    """``count`` short articles: two thirds as .txt files, the rest as lines of one .jsonl."""
    corpus.mkdir(parents=True)
    files = count * 2 // 3
    for n in range(files):
        (corpus / f"a{n:03d}.txt").write_text(article_text(n, 0)[1], encoding="utf-8")
    with (corpus / "wire.jsonl").open("w", encoding="utf-8") as handle:
        for n in range(files, count):
            title, text = article_text(n, 0)
            handle.write(json.dumps({"doc_id": f"w{n}", "title": title, "text": text}) + "\n")


def rewrite_some(corpus: Path, count: int, rng: random.Random) -> int:
    for path in rng.sample(sorted(corpus.glob("*.txt")), count):
        n = int(path.stem[1:])
        path.write_text(article_text(n, rng.randint(1, 10**6))[1], encoding="utf-8")
    return count


def audit_complete(data: Path, corpus: Path) -> bool:
    """Whether the index holds every article of the corpus as it is now."""
    from index.store import Store

    store = Store(settings_for(data))
    records = store.documents() if store.exists() else []
    return len(records) == 300 and not any(r.content_hash == "" for r in records) and _fresh(records, corpus)


def _fresh(records: list[Any], corpus: Path) -> bool:
    from index.types import content_hash

    for record in records:
        path = Path(record.source.split("#", 1)[0])
        if path.suffix == ".txt" and content_hash(path.read_text(encoding="utf-8")) != record.content_hash:
            return False
    return True


def audit_search(data: Path, corpus: Path, embedder: Any, rng: random.Random) -> tuple[int, int]:
    """Search like a user right after a kill: (hits seen, hits from an incomplete article)."""
    from index.records import doc_version
    from index.store import Store
    from rag.retrieve import Retriever

    store = Store(settings_for(data))
    if not store.exists():
        return 0, 0
    retriever = Retriever(store, embedder)
    hits = bad = 0
    complete: dict[str, bool] = {}
    for _ in range(8):
        n = rng.randrange(300)
        for hit in retriever.search(f"{article_text(n, 0)[0]} plan cost residents vote", 10):
            hits += 1
            doc_id = hit.article.doc_id
            if doc_id not in complete:
                record = store.document(doc_id)
                ok = record is not None
                if record is not None:
                    version = doc_version(record.content_hash, record.index_key)
                    stored = store.chunks.get(where={"doc_id": doc_id}, include=["metadatas"])["metadatas"]
                    ok = sum(1 for m in stored if m.get("version") == version) == record.n_chunks
                complete[doc_id] = ok
            record = store.document(doc_id)
            if not complete[doc_id] or record is None or record.text[hit.start : hit.end] != hit.text:
                bad += 1
    return hits, bad


def dense_misses(store: Any, expected: dict[str, Any], settings: Any, embedder: Any) -> int:
    """Chunks that a dense query with their own vector (embedded again) does not return first."""
    from index import chunking
    from index.ingest import embedding_text

    pairs = [
        (chunk, embedding_text(doc, chunk))
        for doc in expected.values()
        for chunk in chunking.chunk_document(doc, settings.chunk_chars, settings.chunk_overlap_sentences)
    ]
    vectors = embedder.embed([text for _, text in pairs])
    misses = 0
    for first in range(0, len(pairs), 100):
        got = store.chunks.query(query_embeddings=vectors[first : first + 100].tolist(), n_results=1, include=[])
        misses += sum(
            1 for (chunk, _), ids in zip(pairs[first : first + 100], got["ids"]) if ids[:1] != [chunk.chunk_id]
        )
    return misses


def audit_final(data: Path, corpus: Path, embedder: Any) -> dict[str, int]:
    """After a last uninterrupted ingest: what the corpus holds vs what the index holds."""
    from index import chunking, loaders
    from index.bm25 import LexicalIndex
    from index.store import Store
    from index.types import SourceDocument

    settings = settings_for(data)
    store = Store(settings)
    files, _ = loaders.discover([corpus])
    expected = {d.doc_id: d for f in files for d in loaders.load_file(f) if isinstance(d, SourceDocument)}
    chunk_ids = {
        c.chunk_id
        for d in expected.values()
        for c in chunking.chunk_document(d, settings.chunk_chars, settings.chunk_overlap_sentences)
    }
    records = {r.doc_id: r for r in store.documents()}
    stored = store.chunk_ids()
    with_vector = sum(len(store.chunk_embeddings(stored[i : i + 500])) for i in range(0, len(stored), 500))
    return {
        "expected_articles": len(expected),
        "indexed_articles": len(records),
        "lost_articles": len(set(expected) - set(records)),
        "stale_articles": sum(
            1 for i, d in expected.items() if i in records and records[i].content_hash != d.content_hash
        ),
        "duplicated_articles": len(set(records) - set(expected)),
        "expected_chunks": len(chunk_ids),
        "lost_chunks": len(chunk_ids - set(stored)),
        "duplicated_or_leftover_chunks": len(stored) - len(chunk_ids & set(stored)),
        "bm25_rows_minus_chunks": LexicalIndex.for_store(store).count() - len(stored),
        "chunks_missed_by_dense_search": dense_misses(store, expected, settings, embedder),
        "chunk_vectors_unreadable_by_get": len(stored) - with_vector,  # an embedded-Chroma quirk after kill -9
    }
