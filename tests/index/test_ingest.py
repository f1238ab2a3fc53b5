from pathlib import Path

import numpy as np
import pytest

from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store
from tests.conftest import HashEmbedder


class CrashingEmbedder(HashEmbedder):
    """Fails on its n-th call, like a process killed mid-ingest."""

    def __init__(self, fail_on_call: int) -> None:
        self.calls = 0
        self.fail_on_call = fail_on_call

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise KeyboardInterrupt("killed")
        return super().embed(texts)


def ids_per_doc(store: Store) -> dict[str, list[str]]:
    got = store.chunks.get(include=["metadatas"])
    out: dict[str, list[str]] = {}
    for chunk_id, meta in zip(got["ids"], got["metadatas"]):
        out.setdefault(meta["doc_id"], []).append(chunk_id)
    return out


def test_incremental_ingest_add_unchanged_change_remove(settings: Settings, seeds_copy: Path) -> None:
    store = Store(settings)
    ingestor = Ingestor(settings, store, HashEmbedder())
    first = ingestor.ingest([seeds_copy])
    assert len(first.added) == 5 and not first.errors
    total = store.chunk_count()
    assert total == first.chunks_embedded > 5

    again = ingestor.ingest([seeds_copy])
    assert (again.unchanged, again.chunks_embedded, store.chunk_count()) == (5, 0, total)

    changed = next(seeds_copy.glob("002_*.txt"))
    changed.write_text("MOSCOW, May 1. /TASS/. A short replacement story.", encoding="utf-8")
    removed = next(seeds_copy.glob("004_*.txt"))
    removed.unlink()
    third = ingestor.ingest([seeds_copy])
    assert third.updated == [str(changed)] and third.removed == [str(removed)] and third.unchanged == 3
    per_doc = ids_per_doc(store)
    assert len(per_doc) == 4
    assert sum(len(v) for v in per_doc.values()) == store.chunk_count()
    texts = store.chunks.get(where={"source": str(changed)}, include=["documents"])["documents"]
    assert texts == ["MOSCOW, May 1. /TASS/. A short replacement story."]
    assert len(store.documents()) == 4


def test_unreadable_file_is_reported_and_the_rest_ingested(settings: Settings, seeds_copy: Path) -> None:
    (seeds_copy / "broken.txt").write_bytes(b"\x00\xff binary")
    report = Ingestor(settings, Store(settings), HashEmbedder()).ingest([seeds_copy])
    assert len(report.added) == 5
    assert [Path(e.source).name for e in report.errors] == ["broken.txt"]


def test_crash_mid_ingest_then_rerun_completes_without_duplicates(settings: Settings, seeds_copy: Path) -> None:
    store = Store(settings)
    with pytest.raises(KeyboardInterrupt):
        Ingestor(settings, store, CrashingEmbedder(fail_on_call=3), embed_batch=4).ingest([seeds_copy])
    partial_docs = len(store.documents())
    assert 0 < partial_docs < 5
    report = Ingestor(settings, store, HashEmbedder(), embed_batch=4).ingest([seeds_copy])
    assert report.unchanged == partial_docs and len(report.added) == 5 - partial_docs
    clean = Settings(data_dir=settings.data_dir.parent / "clean")
    clean_store = Store(clean)
    Ingestor(clean, clean_store, HashEmbedder()).ingest([seeds_copy])
    assert sorted(store.chunks.get()["ids"]) == sorted(clean_store.chunks.get()["ids"])


def test_chunks_carry_offsets_into_the_document(settings: Settings, seeds_copy: Path) -> None:
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    got = store.chunks.get(include=["documents", "metadatas", "embeddings"])
    for text, meta, vector in zip(got["documents"], got["metadatas"], got["embeddings"]):
        source = Path(meta["source"]).read_bytes().decode("utf-8")
        assert source[meta["start"] : meta["end"]] == text
        assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)
    tass = [d for d in store.documents() if d.meta.outlet == "TASS"]
    assert len(tass) == 1 and tass[0].meta.published_at == "2021-08-25"
    record = store.document(tass[0].doc_id)
    assert record is not None and record.text == Path(record.source).read_bytes().decode("utf-8")
