"""Chunks are written straight to Chroma with Attest's metadata only, split at Chroma's batch limit;
an index whose chunks LlamaIndex's ``ChromaVectorStore`` wrote (the node again as ``_node_content``
JSON and three more keys in every chunk's metadata) is searched, listed, updated, deleted from and
moved by this code just as one it wrote itself, without embedding anything again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from llama_index.core.schema import MetadataMode, NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.utils import node_to_metadata_dict

from index.ingest import Ingestor
from index.records import CHUNK_KEYS, LLAMA_INDEX_KEYS, chunk_metadata
from index.settings import Settings
from index.store import Store
from index.types import Chunk, DocMetadata, SourceDocument
from rag.retrieve import Retriever
from tests.conftest import HashEmbedder

QUERIES = ("Kremlin statement SCO terrorism", "Taliban takeover of Afghanistan", "regional peace and security")


class ChromaVectorStorePath(Store):
    """Writes chunks as Attest did through ``ChromaVectorStore.add`` (llama-index-vector-stores-chroma
    0.6): one ``TextNode`` per chunk, its metadata ``node_to_metadata_dict(remove_text=True,
    flat_metadata=True)`` with None as "", its text as the document, through ``collection.add``."""

    def add_chunks_of(self, items: Any, versions: dict[str, str] | None = None) -> None:
        nodes = [
            TextNode(
                id_=chunk.chunk_id,
                text=chunk.text,
                embedding=vector.tolist(),
                start_char_idx=chunk.start,
                end_char_idx=chunk.end,
                metadata=chunk_metadata(doc, chunk, (versions or {}).get(doc.doc_id, "")),
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc.doc_id)},
            )
            for doc, chunks, embeddings in items
            for chunk, vector in zip(chunks, embeddings)
        ]
        if not nodes:
            return
        metadatas = []
        for node in nodes:
            meta = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
            metadatas.append({key: "" if value is None else value for key, value in meta.items()})
        self.chunks.add(
            ids=[node.node_id for node in nodes],
            embeddings=[node.get_embedding() for node in nodes],
            metadatas=metadatas,
            documents=[node.get_content(metadata_mode=MetadataMode.NONE) for node in nodes],
        )


class Counting(HashEmbedder):
    texts = 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        Counting.texts += len(texts)
        return super().embed(texts)


def stored_metadatas(store: Store) -> list[dict[str, Any]]:
    return list(store.chunks.get(include=["metadatas"])["metadatas"])


def records(store: Store) -> list[Any]:
    return sorted(store.chunk_records(store.chunk_ids()), key=lambda c: c.chunk_id)


def searched(store: Store) -> list[tuple[Any, ...]]:
    retriever = Retriever(store, HashEmbedder())
    return [
        (h.chunk_id, h.article, h.start, h.end, h.text, round(h.score, 5))
        for query in QUERIES
        for h in retriever.search(query, 5)
    ]


def nearest(store: Store, **filters: Any) -> list[tuple[Any, float]]:
    vector = HashEmbedder().embed([QUERIES[0]])[0]
    return [(chunk, round(score, 5)) for chunk, score in store.nearest_chunks(vector, 8, **filters)]


def test_new_writes_hold_attests_metadata_and_nothing_of_llamaindex(settings: Settings, seeds_copy: Path) -> None:
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    doc = SourceDocument("d", "/corpus/d.txt", "One sentence.", DocMetadata(title="T"))
    assert tuple(chunk_metadata(doc, Chunk("c", "d", 0, 0, 13, "One sentence."))) == CHUNK_KEYS
    got = store.chunks.get(include=["metadatas", "documents"])
    assert len(got["ids"]) == store.chunk_count() > 5
    for meta, text in zip(got["metadatas"], got["documents"]):
        assert set(meta) == set(CHUNK_KEYS) and not set(meta) & set(LLAMA_INDEX_KEYS)
        assert Path(meta["source"]).read_text(encoding="utf-8")[meta["start"] : meta["end"]] == text


def test_an_index_written_through_chromavectorstore_reads_as_a_new_one_and_is_never_reingested(
    settings: Settings, seeds_copy: Path
) -> None:
    Ingestor(settings, ChromaVectorStorePath(settings), HashEmbedder()).ingest([seeds_copy])
    old = Store(settings)
    assert all(set(LLAMA_INDEX_KEYS) <= set(m) for m in stored_metadatas(old))  # the old shape, really
    new_settings = Settings(data_dir=settings.data_dir.parent / "new", model_cache_dir=settings.model_cache_dir)
    new = Store(new_settings)
    Ingestor(new_settings, new, HashEmbedder()).ingest([seeds_copy])

    assert old.documents() == new.documents() and len(old.documents()) == 5
    assert sorted(old.chunk_ids()) == sorted(new.chunk_ids())
    assert records(old) == records(new)
    assert searched(old) == searched(new) and searched(old)
    assert nearest(old) == nearest(new) and nearest(old)
    outlet = next(d.meta.outlet for d in old.documents() if d.meta.outlet)
    for filters in ({"outlets": [outlet]}, {"since": "2021-08-25"}, {"excluded": [old.documents()[0].doc_id]}):
        assert nearest(old, **filters) == nearest(new, **filters)

    Counting.texts = 0
    again = Ingestor(settings, Store(settings), Counting()).ingest([seeds_copy])
    assert (again.unchanged, again.chunks_embedded, Counting.texts) == (5, 0, 0)
    assert all(set(LLAMA_INDEX_KEYS) <= set(m) for m in stored_metadatas(old))  # nothing was rewritten


def test_update_delete_and_move_on_an_index_written_through_chromavectorstore(
    settings: Settings, seeds_copy: Path
) -> None:
    Ingestor(settings, ChromaVectorStorePath(settings), HashEmbedder()).ingest([seeds_copy])
    changed = next(seeds_copy.glob("001_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe harbour crane fell into the sea.", "utf-8")
    report = Ingestor(settings, Store(settings), HashEmbedder()).ingest([seeds_copy])
    assert report.updated == [str(changed)] and report.unchanged == 4
    store = Store(settings)
    shapes: dict[str, set[bool]] = {}  # per article: were its chunks written through ChromaVectorStore?
    for meta in stored_metadatas(store):
        shapes.setdefault(meta["source"], set()).add(set(LLAMA_INDEX_KEYS) <= set(meta))
    assert shapes.pop(str(changed)) == {False} and list(shapes.values()) == [{True}] * 4  # old and new side by side
    hits = Retriever(store, HashEmbedder()).search("harbour crane fell into the sea", 3)
    assert hits[0].article.source == str(changed) and "crane fell" in hits[0].text

    gone = next(d for d in store.documents() if d.source != str(changed))
    Ingestor(settings, store, HashEmbedder()).delete(gone.doc_id)
    assert store.chunk_records_of([gone.doc_id]) == [] and len(store.documents()) == 4
    assert all(h.article.doc_id != gone.doc_id for h in Retriever(store, HashEmbedder()).search(QUERIES[0], 10))
    Path(gone.source).unlink()

    Counting.texts = 0
    renamed = seeds_copy.rename(seeds_copy.parent / "corpus-2022")
    moved = Ingestor(settings, Store(settings), Counting()).ingest([renamed])
    assert (len(moved.moved), moved.chunks_embedded, Counting.texts) == (4, 0, 0)
    store = Store(settings)
    assert len(store.documents()) == 4 and all(d.source.startswith(str(renamed)) for d in store.documents())
    assert all(set(m) == set(CHUNK_KEYS) for m in stored_metadatas(store))  # every chunk rewritten by the new path
    for chunk in store.chunk_records(store.chunk_ids()):
        assert Path(chunk.article.source).read_text(encoding="utf-8")[chunk.start : chunk.end] == chunk.text
    hits = Retriever(store, HashEmbedder()).search("harbour crane fell into the sea", 3)
    assert hits[0].article.source.startswith(str(renamed)) and "crane fell" in hits[0].text


def test_a_write_larger_than_chromas_batch_limit_is_split(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Store(settings)
    assert first.max_batch == first.client.get_max_batch_size() > 1000
    store = Store(settings)
    monkeypatch.setattr(type(store.client), "get_max_batch_size", lambda self: 3)
    sizes: list[int] = []
    real = store.chunks

    class Spy:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def upsert(self, **kwargs: Any) -> None:
            sizes.append(len(kwargs["ids"]))
            real.upsert(**kwargs)

    store._chunks = Spy()
    sentences = [f"Sentence number {i} is here." for i in range(10)]
    chunks, start = [], 0
    for i, sentence in enumerate(sentences):
        chunks.append(Chunk(f"c{i}", "d", i, start, start + len(sentence), sentence))
        start += len(sentence) + 1
    doc = SourceDocument("d", "/corpus/d.txt", " ".join(sentences))
    vectors = HashEmbedder().embed(sentences)
    store.add_chunks_of([(doc, chunks, vectors)], versions={"d": "v1"})
    assert sizes == [3, 3, 3, 1]
    got = store.chunk_records([c.chunk_id for c in chunks], complete_only=False)
    assert sorted((r.chunk_id, r.text, r.start, r.end, r.article.doc_id) for r in got) == sorted(
        (c.chunk_id, doc.text[c.start : c.end], c.start, c.end, "d") for c in chunks
    )
    stored = store.chunk_embeddings([c.chunk_id for c in chunks])
    assert all(np.allclose(stored[c.chunk_id], vector, atol=1e-6) for c, vector in zip(chunks, vectors))


def test_index_keys_finds_every_distinct_key_without_reading_every_record(settings: Settings) -> None:
    store = Store(settings)
    assert store.index_keys() == set()
    vector = HashEmbedder().embed(["x"])[0]
    docs = [SourceDocument(f"d{i}", f"/corpus/d{i}.txt", f"Story number {i}.") for i in range(30)]
    store.put_documents([(d, 1, vector) for d in docs[:25]], "embedder-a | chunks v2")
    store.put_documents([(d, 1, vector) for d in docs[25:29]], "embedder-b | chunks v2")
    assert store.index_keys() == {"embedder-a | chunks v2", "embedder-b | chunks v2"}
    store.docs.upsert(ids=["legacy"], embeddings=[vector.tolist()], metadatas=[{"source": "/corpus/old.txt"}])
    assert store.index_keys() == {"embedder-a | chunks v2", "embedder-b | chunks v2", ""}

    reads: list[int | None] = []
    real = store.docs

    class Spy:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def get(self, **kwargs: Any) -> Any:
            reads.append(kwargs.get("limit"))
            return real.get(**kwargs)

    store._docs = Spy()
    assert store.index_keys() == {"embedder-a | chunks v2", "embedder-b | chunks v2", ""}
    assert reads == [1, 1, 1, 1]  # one record per distinct key, and one that finds none left
    assert store.describe()["documents"] == 30
    assert store.describe()["indexed_with"] == ["embedder-a | chunks v2", "embedder-b | chunks v2"]


def test_article_texts_gives_whole_articles_in_one_read(settings: Settings, seeds_copy: Path) -> None:
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    records = store.documents()
    wanted = [records[0].doc_id, records[1].doc_id, "not-indexed"]
    texts = store.article_texts(wanted)
    assert set(texts) == set(wanted[:2]) and store.article_texts([]) == {}
    for record in records[:2]:  # the text the chunks are cut from, all of it
        chunks = store.chunk_records_of([record.doc_id])
        assert all(texts[record.doc_id][c.start : c.end] == c.text for c in chunks)
        assert max(c.end for c in chunks) <= len(texts[record.doc_id]) < max(c.end for c in chunks) + 3
