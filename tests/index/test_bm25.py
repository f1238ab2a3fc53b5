"""The BM25 side of the index: tokens, kept in step with incremental ingest, crashes and deletes,
and the saved matrix reused by the next process."""

import time
from pathlib import Path

import pytest

from index.bm25 import LexicalIndex, tokens, url_words
from index.ingest import Ingestor
from index.settings import Settings
from index.store import Store
from tests.conftest import HashEmbedder
from tests.index.test_ingest import CrashingEmbedder


def test_tokens_are_stemmed_lower_case_words_without_stop_words() -> None:
    assert tokens("Europe requires USB-C chargers") == ["europ", "requir", "usb", "c", "charger"]
    assert tokens("The Kremlin's statements, and it's done") == ["kremlin", "statement", "done"]
    assert url_words("https://www.cnn.com/2022/10/25/world/diwali-2022/index.html") == "world diwali"
    assert url_words("") == ""


def bm25_ids(store: Store) -> list[str]:
    return sorted(LexicalIndex.for_store(store).chunk_ids())


def test_bm25_follows_incremental_ingest(settings: Settings, seeds_copy: Path) -> None:
    store = Store(settings)
    ingestor = Ingestor(settings, store, HashEmbedder())
    ingestor.ingest([seeds_copy])
    assert bm25_ids(store) == sorted(store.chunk_ids()) and store.chunk_count() > 5
    view = LexicalIndex.for_store(store).view()
    top = [str(view.chunk_ids[row]) for row, _ in view.top("Shanghai Cooperation Organization", 3)]
    assert top and all("Shanghai Cooperation" in c.text for c in store.chunk_records(top))

    changed = next(seeds_copy.glob("002_*.txt"))
    changed.write_text("MOSCOW, May 1. /TASS/. Zanzibar cloves replace the old story.", encoding="utf-8")
    next(seeds_copy.glob("004_*.txt")).unlink()
    ingestor.ingest([seeds_copy])
    assert bm25_ids(store) == sorted(store.chunk_ids())
    view = LexicalIndex.for_store(store).view()
    hits = view.top("zanzibar cloves", 5)
    assert len(hits) == 1
    assert store.chunk_records([str(view.chunk_ids[hits[0][0]])])[0].text.startswith("MOSCOW, May 1.")


def test_crash_mid_ingest_leaves_bm25_that_a_rerun_completes(settings: Settings, seeds_copy: Path) -> None:
    store = Store(settings)
    with pytest.raises(KeyboardInterrupt):
        Ingestor(settings, store, CrashingEmbedder(fail_on_call=3), embed_batch=4).ingest([seeds_copy])
    Ingestor(settings, store, HashEmbedder(), embed_batch=4).ingest([seeds_copy])
    ids = bm25_ids(store)
    assert ids == sorted(store.chunk_ids()) and len(ids) == len(set(ids))


def test_sync_repairs_a_table_that_lost_rows_or_kept_deleted_ones(settings: Settings, seeds_copy: Path) -> None:
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    lexical = LexicalIndex.for_store(store)
    doc = store.documents()[0]
    lexical.delete_document(doc.doc_id)  # as if the BM25 write had been lost
    other = store.documents()[1]
    store.delete_document(other.doc_id)  # deleted from Chroma only
    paged: list[int] = []
    listing = store.chunk_ids
    store.chunk_ids = lambda *a, **k: paged.append(1) or listing(*a, **k)  # type: ignore[method-assign]
    added, dropped = lexical.sync(store)
    assert added == doc.n_chunks and dropped == other.n_chunks
    assert paged == []  # repaired article by article, without listing every chunk id
    assert bm25_ids(store) == sorted(store.chunk_ids())


def test_an_empty_table_is_filled_article_by_article_without_paging_every_chunk_id(
    settings: Settings, seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    paged = []
    real_chunk_ids = store.chunk_ids
    monkeypatch.setattr(store, "chunk_ids", lambda: paged.append(1) or real_chunk_ids())
    fresh = LexicalIndex(tmp_path / "fresh.sqlite", "fresh")
    assert fresh.sync(store, articles=2) == (store.chunk_count(), 0)
    assert paged == [] and sorted(fresh.chunk_ids()) == sorted(real_chunk_ids())
    assert fresh.view().top("Shanghai Cooperation Organization", 3)

    orphan = store.documents()[0]
    store.docs.delete(ids=[orphan.doc_id])  # its chunks stay: as a crash before the record was written
    again = LexicalIndex(tmp_path / "again.sqlite", "again")
    assert again.sync(store, articles=2) == (store.chunk_count(), 0)  # the orphans come by chunk id
    assert paged == [1] and sorted(again.chunk_ids()) == sorted(real_chunk_ids())


def test_the_saved_matrix_is_loaded_by_a_new_process_and_rebuilt_after_a_write(
    settings: Settings, seeds_copy: Path
) -> None:
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    shared = LexicalIndex.for_store(store)
    generation = shared.generation()
    saved = settings.data_dir / "bm25" / f"{settings.collection}-g{generation}"
    assert (saved / "attest.json").is_file()

    fresh = LexicalIndex(settings.data_dir / "bm25" / f"{settings.collection}.sqlite", settings.collection)
    view = fresh.view()  # loaded from disk, same rows and scores
    assert view.generation == generation and sorted(view.chunk_ids.tolist()) == sorted(store.chunk_ids())
    assert view.top("Kremlin statement", 3) == shared.view().top("Kremlin statement", 3)

    fresh.delete_document(store.documents()[0].doc_id)
    assert fresh.view().generation == generation + 1 and len(fresh.view()) < len(view)
    assert not saved.exists()  # the old generation's matrix is removed once the new one is saved


def test_empty_index_and_query_without_known_words(settings: Settings) -> None:
    lexical = LexicalIndex(settings.data_dir / "bm25" / "empty.sqlite", "empty")
    assert len(lexical.view()) == 0 and lexical.view().top("anything", 5) == []
    store = Store(settings)
    assert lexical.sync(store) == (0, 0)


def test_acronyms_defined_anywhere_in_the_index_expand_a_query(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "defines.txt").write_text(
        "Leaders met at the Shanghai Cooperation Organization (SCO) summit in Bishkek.", encoding="utf-8"
    )
    (folder / "long-form-only.txt").write_text(
        "The Kremlin urged using the Shanghai Cooperation Organization's capabilities against terrorism.",
        encoding="utf-8",
    )
    (folder / "other.txt").write_text("The Kremlin said nothing about football this week.", encoding="utf-8")
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([folder])
    view = LexicalIndex.for_store(store).view()
    assert view.aliases == {"SCO": "Shanghai Cooperation Organization"}
    assert view.expand("What did the Kremlin say about the SCO?").endswith("Shanghai Cooperation Organization")
    found = [store.chunk_records([str(view.chunk_ids[row])])[0].article.source for row, _ in view.top("the SCO?", 3)]
    assert sorted(Path(s).name for s in found) == ["defines.txt", "long-form-only.txt"]  # not "other.txt"

    (folder / "defines.txt").unlink()
    Ingestor(settings, store, HashEmbedder()).ingest([folder])
    assert LexicalIndex.for_store(store).view().aliases == {}  # the definition left with its article


def test_a_cache_that_missed_pruned_log_entries_refills_itself(
    settings: Settings, seeds_copy: Path, tmp_path: Path
) -> None:
    """The change log a shared server keeps (here an embedded store plays the server) is pruned;
    a process's cache that last read it before the pruned entries refills from Chroma, one that
    read it since only applies the newer entries."""
    store = Store(settings)
    Ingestor(settings, store, HashEmbedder()).ingest([seeds_copy])
    writer = LexicalIndex(tmp_path / "writer.sqlite", "writer", server=store)
    follower = LexicalIndex(tmp_path / "follower.sqlite", "follower", server=store)
    follower.sync(store)
    first, second = (d.doc_id for d in store.documents()[:2])
    writer.delete_document(first)  # logged; Chroma still holds the article, so the follower re-reads it
    assert follower.catch_up() == 1

    stale = store.chunk_records_of([second])
    follower._write([second], [], log=False)  # as if the follower had missed a change
    assert follower.catch_up() == 0 and follower.count() == store.chunk_count() - len(stale)

    old = time.time() - 30 * 86400
    store.changes.add(ids=["old-entry"], embeddings=[[1.0]], documents=[first], metadatas=[{"t": old, "writer": "w"}])
    store._pruned_at = 0.0
    writer.delete_document(first)  # the hourly pruning drops entries older than change_log_days
    assert "old-entry" not in store.changes.get(include=[])["ids"]
    changes, pruned = store.changes_since(0.0)
    assert pruned == pytest.approx(time.time() - settings.change_log_days * 86400, abs=60)
    assert changes and all(t >= pruned for _, t, _, _ in changes)
    assert follower.catch_up() == 1  # read the log recently: only the new entry

    follower._set_meta("log_cursor", str(old))  # last looked a month ago: before the pruned entries
    assert follower.catch_up() == len(store.documents())
    assert sorted(follower.chunk_ids()) == sorted(store.chunk_ids())
