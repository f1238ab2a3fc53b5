"""Evidence selection: which verbatim sentences the answer prompt shows, in what order and budget."""

from __future__ import annotations

from rag.passages import Scored, select_evidence
from rag.prompt import evidence_block
from rag.types import ArticleRef, Passage, Sentence


def scored(number: int, sentences: list[tuple[str, float]], doc: str = "", offset: int = 0) -> Scored:
    spans, position = [], offset
    for text, _ in sentences:
        spans.append(Sentence(position, position + len(text), text))
        position += len(text) + 1
    scores = tuple(score for _, score in sentences)
    text = " ".join(t for t, _ in sentences)
    article = ArticleRef(doc or f"d{number}", outlet="TASS", published_at="2021-08-25")
    passage = Passage(number, f"c{number}", article, offset, offset + len(text), text, 0.5, relevance=max(scores))
    return Scored(passage, tuple(spans), scores)


A = scored(
    1,
    [
        ("Alpha one says the leaders met in Bishkek.", 0.9),
        ("Alpha two is about the weather today.", 0.2),
        ("Alpha three says they agreed to cooperate closely.", 0.7),
    ],
)
B = scored(
    2,
    [
        ("Beta one reports the summit ended with a statement.", 0.8),
        ("Beta two repeats that the leaders met in Kyrgyzstan.", 0.6),
    ],
)
C = scored(3, [("Gamma one is an unrelated story about football.", 0.3)])


def test_rounds_take_each_passages_best_first_then_number_them_in_document_order() -> None:
    chosen = select_evidence([A, B, C], max_sentences=3, max_chars=10_000, min_relevance=0.4)
    texts = [e.sentence.text for e in chosen]
    # round 1: A's best, B's best; round 2: A's second best (its weak sentence is under 0.6 x best)
    assert texts == [
        "Alpha one says the leaders met in Bishkek.",
        "Alpha three says they agreed to cooperate closely.",
        "Beta one reports the summit ended with a statement.",
    ]
    assert [e.number for e in chosen] == [1, 2, 3] and [e.passage.number for e in chosen] == [1, 1, 2]
    assert all(e.relevance == s for e, s in zip(chosen, (0.9, 0.7, 0.8)))


def test_irrelevant_passages_short_fragments_and_copies_stay_out() -> None:
    copy = scored(4, [("Alpha one says the leaders met in Bishkek.", 0.9), ("-Kremlin statement", 0.85)])
    chosen = select_evidence([A, copy, C], max_sentences=10, max_chars=10_000, min_relevance=0.4)
    texts = [e.sentence.text for e in chosen]
    assert texts.count("Alpha one says the leaders met in Bishkek.") == 1  # a syndicated copy is not repeated
    assert "-Kremlin statement" not in texts  # a fragment is no evidence
    assert not any(t.startswith("Gamma") for t in texts)  # under min_relevance


def test_the_character_budget_bounds_the_prompt_but_the_first_sentence_always_fits() -> None:
    chosen = select_evidence([A, B], max_sentences=10, max_chars=60, min_relevance=0.4)
    assert sum(len(e.sentence.text) for e in chosen) <= 60 and len(chosen) == 1
    tiny = select_evidence([A, B], max_sentences=10, max_chars=5, min_relevance=0.4)
    assert [e.sentence.text for e in tiny] == ["Alpha one says the leaders met in Bishkek."]
    assert select_evidence([C], max_sentences=10, max_chars=1000, min_relevance=0.4) == []


def test_an_articles_sentences_are_numbered_together_under_one_header() -> None:
    first = scored(1, [("Alpha one says the leaders met in Bishkek.", 0.9)], doc="tass-1")
    other = scored(2, [("Beta one reports the summit ended with a statement.", 0.8)], doc="aa-7")
    later = scored(3, [("Alpha four adds that the next summit is in India.", 0.7)], doc="tass-1", offset=900)
    chosen = select_evidence([later, other, first], max_sentences=10, max_chars=10_000, min_relevance=0.4)
    # TASS's article comes first (its best passage ranked first), its sentences in document order
    assert [(e.number, e.passage.number) for e in chosen] == [(1, 1), (2, 3), (3, 2)]
    block = evidence_block(chosen)
    assert block.count("TASS, 2021-08-25") == 2  # once per article (both are TASS, two articles)
    assert block.splitlines()[1:3] == [
        "[1] Alpha one says the leaders met in Bishkek.",
        "[2] Alpha four adds that the next summit is in India.",
    ]


def test_a_weaker_passage_of_an_article_that_passed_the_floor_is_read_too() -> None:
    first = scored(1, [("The party met in the hall on Sept. 15 after a long day.", 0.6)], doc="tavern")
    later = scored(2, [("The party took place at City Tavern in Philadelphia.", 0.34)], doc="tavern", offset=500)
    other = scored(3, [("An unrelated story about a tavern in Boston opened.", 0.35)], doc="boston")
    chosen = select_evidence([first, later, other], max_sentences=10, max_chars=10_000, min_relevance=0.4)
    assert [e.sentence.text[:9] for e in chosen] == ["The party", "The party"]  # not the other article's
    assert select_evidence([later, other], max_sentences=10, max_chars=10_000, min_relevance=0.4) == []


def test_a_sentence_with_the_figure_a_question_wants_ranks_higher() -> None:
    from rag.answer_kind import NUMBER

    stadium = scored(
        1,
        [
            ("Fans filled Yankee Stadium hoping to see the home run.", 0.80),
            ("The Yankees lost to the Orioles on a cold night.", 0.55),
            ("A crowd of 47,583 saw the Orioles win the game.", 0.52),
        ],
    )
    plain = select_evidence([stadium], max_sentences=2, max_chars=10_000, min_relevance=0.4)
    counted = select_evidence([stadium], max_sentences=2, max_chars=10_000, min_relevance=0.4, kind=NUMBER)
    assert not any("47,583" in e.sentence.text for e in plain)
    assert any("47,583" in e.sentence.text for e in counted)
