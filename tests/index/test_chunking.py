import pytest

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # initials do not end a sentence
            "Crews at the O.B. Curtis plant worked late. Senator J.D. Vance and John F. Kennedy Jr. spoke. It ended.",
            [
                "Crews at the O.B. Curtis plant worked late.",
                "Senator J.D. Vance and John F. Kennedy Jr. spoke.",
                "It ended.",
            ],
        ),
        (  # headings split, wrapped lines do not
            "-Kremlin statement\nThe Kremlin spoke.\nKhan was\nseen smiling at the summit in\nBishkek today.",
            ["-Kremlin statement", "The Kremlin spoke.", "Khan was\nseen smiling at the summit in\nBishkek today."],
        ),
    ],
)
def test_sentences_end_where_a_reader_ends_them(text: str, expected: list[str]) -> None:
    assert [s.text for s in sentences.split(text)] == expected


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
