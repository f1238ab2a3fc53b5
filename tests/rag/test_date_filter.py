"""Filtered dense search without Chroma's metadata pre-filter: the nearest chunks are asked for
unfiltered and filtered with the BM25 rows' dates and outlets (rag/retrieve.py). It must return
exactly what the pre-filter returns, and fall back to it when the filter keeps too few chunks.
The same path serves searches without a filter; chunks are read only for the fused head."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store
from rag import retrieve
from rag.retrieve import Retriever
from rag.types import Filters
from tests.conftest import HashEmbedder

WORDS = """harbour council budget vote river bridge school teachers strike election mayor police
festival museum storm flood drought farmers wheat port ferry airport runway rail tunnel hospital
nurses vaccine court judge appeal minister treaty border talks sanctions oil gas prices inflation
bank rates housing rents tourists hotel beach fishing quota whales forest fire heat record""".split()


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder = tmp_path_factory.mktemp("dated")
    rng = random.Random(7)
    first = dt.date(2021, 1, 1)
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as out:
        for i in range(400):
            text = " ".join(rng.choice(WORDS) for _ in range(30)) + f". Story number {i}."
            day = (first + dt.timedelta(days=i)).isoformat()
            outlet = ["https://a.example.com", "https://b.example.org"][i % 2]
            out.write(json.dumps({"doc_id": str(i), "text": text, "published_at": day, "url": f"{outlet}/{i}"}) + "\n")
    settings = Settings(data_dir=folder / "data", recency_half_life_days=0, retrieval_candidates=20)
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([folder / "articles.jsonl"])
    found = Retriever(store, HashEmbedder())
    found.check_ready()
    return found


def search(retriever: Retriever, monkeypatch: pytest.MonkeyPatch, filters: Filters, limit: int) -> tuple[list, int]:  # type: ignore[type-arg]
    calls: list[int] = []
    nearest = retriever.store.nearest

    def counted(vector: object, k: int) -> list[tuple[str, float]]:
        calls.append(k)
        return nearest(vector, k)  # type: ignore[arg-type]

    monkeypatch.setattr(retriever.store, "nearest", counted)
    monkeypatch.setattr(retrieve, "POST_FILTER_MAX_NEIGHBOURS", limit)
    hits = retriever.search("harbour ferry storm flood council vote", 10, filters)
    return [(h.chunk_id, h.dense_rank, h.bm25_rank) for h in hits], len(calls)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(as_of="2022-01-20"),  # keeps 96% of the chunks
        Filters(as_of="2021-07-01"),  # 45%
        Filters(since="2021-03-01", until="2021-04-10"),  # 10%
        Filters(as_of="2021-12-31", outlet="b.example"),  # an outlet and a date
        Filters(),  # no filter: the same path, every neighbour allowed
    ],
)
def test_post_filtered_dense_search_returns_what_the_pre_filter_returns(
    retriever: Retriever, monkeypatch: pytest.MonkeyPatch, filters: Filters
) -> None:
    post, asked = search(retriever, monkeypatch, filters, 4000)
    assert asked == 1  # one unfiltered nearest-neighbour query, no metadata pre-filter
    pre, asked = search(retriever, monkeypatch, filters, 0)
    assert asked == 0
    assert post == pre and len(post) == 10 and any(rank for _, rank, _ in post)
    latest = min((d for d in (filters.until, filters.as_of) if d), default="9999")
    hits = retriever.search("harbour ferry storm flood council vote", 10, filters)
    assert all(h.article.published_at <= latest for h in hits)
    assert all(h.article.published_at >= (filters.since or "") for h in hits)


def test_a_narrow_filter_uses_the_pre_filter(retriever: Retriever, monkeypatch: pytest.MonkeyPatch) -> None:
    narrow = Filters(since="2021-02-01", until="2021-02-05")  # 5 chunks of 400
    hits, asked = search(retriever, monkeypatch, narrow, 100)  # it would ask for all 400
    assert asked == 0 and 0 < len(hits) <= 5
    none, asked = search(retriever, monkeypatch, Filters(as_of="2020-01-01"), 4000)
    assert none == [] and asked == 0


def test_chunks_of_an_incomplete_article_are_never_returned(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path_factory.mktemp("incomplete")
    lines = [
        {
            "doc_id": str(i),
            "text": f"Harbour ferry storm number {i} hit the council vote.",
            "published_at": f"2021-01-{i + 1:02d}",
        }
        for i in range(12)
    ]
    (folder / "a.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    settings = Settings(data_dir=folder / "data", recency_half_life_days=0)
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([folder / "a.jsonl"])
    found = Retriever(store, HashEmbedder())
    query = "harbour ferry storm council vote"
    before = found.search(query, 12)
    gone = before[0].article.doc_id
    store.docs.delete(ids=[gone])  # its chunks stay, as after a crash before the record was written
    for filters in (Filters(), Filters(as_of="2021-01-31")):
        for limit in (4000, 0):  # from the neighbours' ids, and through Chroma's query
            monkeypatch.setattr(retrieve, "POST_FILTER_MAX_NEIGHBOURS", limit)
            hits = found.search(query, 12, filters)
            assert hits and gone not in {h.article.doc_id for h in hits}
            assert len(hits) == len(before) - 1
