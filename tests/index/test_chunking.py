from index import chunking, sentences
from index.loaders import load_file
from index.types import SourceDocument
from tests.conftest import SEEDS


def test_sentence_offsets_are_exact_and_abbreviations_do_not_split() -> None:
    text = "Mr. Smith met Dr. Jones on Aug. 15 in the U.S. capital. They talked.\n\nNew paragraph here"
    spans = sentences.split(text)
    assert [s.text for s in spans] == [
        "Mr. Smith met Dr. Jones on Aug. 15 in the U.S. capital.",
        "They talked.",
        "New paragraph here",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_initials_do_not_end_a_sentence() -> None:
    text = "Crews at the O.B. Curtis plant worked late. Senator J.D. Vance and John F. Kennedy Jr. spoke. It ended."
    assert [s.text for s in sentences.split(text)] == [
        "Crews at the O.B. Curtis plant worked late.",
        "Senator J.D. Vance and John F. Kennedy Jr. spoke.",
        "It ended.",
    ]


def test_headings_split_but_wrapped_lines_do_not() -> None:
    text = "-Kremlin statement\nThe Kremlin spoke.\nKhan was\nseen smiling at the summit in\nBishkek today."
    assert [s.text for s in sentences.split(text)] == [
        "-Kremlin statement",
        "The Kremlin spoke.",
        "Khan was\nseen smiling at the summit in\nBishkek today.",
    ]


def test_chunks_cover_the_seeds_with_exact_offsets_and_stable_ids() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        doc = next(load_file(path))
        assert isinstance(doc, SourceDocument)
        chunks = chunking.chunk_document(doc, max_chars=600)
        assert chunks and all(doc.text[c.start : c.end] == c.text for c in chunks)
        assert all(len(c.text) <= 600 for c in chunks)
        assert len({c.chunk_id for c in chunks}) == len(chunks)
        assert [c.chunk_id for c in chunking.chunk_document(doc, max_chars=600)] == [c.chunk_id for c in chunks]
        covered = {i for c in chunks for i in range(c.start, c.end)}
        assert all(i in covered for s in sentences.split(doc.text) for i in range(s.start, s.end))


def test_overlong_sentence_is_cut_at_spaces() -> None:
    doc = SourceDocument("d", "x", "word " * 500)
    chunks = chunking.chunk_document(doc, max_chars=200, overlap_sentences=0)
    assert len(chunks) > 5 and all(len(c.text) <= 200 and doc.text[c.start : c.end] == c.text for c in chunks)
