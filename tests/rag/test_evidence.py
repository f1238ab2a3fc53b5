"""Evidence sentences: a leading news dateline is not part of what a sentence says."""

import pytest

from rag.citations import CitationValidator, Draft
from rag.evidence import sentences_of
from rag.types import ArticleRef, Evidence, Passage, Sentence
from tests.conftest import HashEmbedder


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("(CNN) Getting sick from Covid-19 is bad enough. It lingers.", "Getting sick from Covid-19 is bad enough."),
        ("LONDON (AP) \u2014 Britain's queen opened the session.", "Britain's queen opened the session."),
        ("Kyiv, Ukraine (CNN) Russian forces struck the city.", "Russian forces struck the city."),
        ("New York (CNN Business) Twitter shares rose 3%.", "Twitter shares rose 3%."),
        ("(Reuters) - \u201cWe will win,\u201d he said.", "\u201cWe will win,\u201d he said."),
    ],
)
def test_a_leading_dateline_is_left_out_and_offsets_stay_exact(text: str, first: str) -> None:
    offset = 40
    sentences = sentences_of(text, offset)
    assert sentences[0].text == first
    for s in sentences:
        assert text[s.start - offset : s.end - offset] == s.text


def test_a_dateline_on_its_own_line_is_no_sentence() -> None:
    text = "Washington CNN —\n\nThe Internal Revenue Service cleared its backlog. It said so.\n\nCNN —\n\nMore."
    assert [s.text for s in sentences_of(text, 0)] == [
        "The Internal Revenue Service cleared its backlog.",
        "It said so.",
        "More.",
    ]
    assert [s.text for s in sentences_of("Shares fell —", 0)] == ["Shares fell —"]  # prose, not a dateline


@pytest.mark.parametrize(
    "text",
    [
        "Hyundai Motor America (Hyundai) said it would recall 200 cars.",  # an abbreviation in brackets
        "Apple (AAPL) shares rose on Monday.",
        "The report (CNN) Was leaked.",  # not at a sentence's start
        "(AP Photo/Evan Vucci) A crowd gathered.",  # a credit, not an outlet alone
    ],
)
def test_brackets_that_are_no_dateline_stay(text: str) -> None:
    assert sentences_of(text, 0)[0].text == text


def test_an_outlet_named_only_by_the_dateline_does_not_support_an_answer_naming_it() -> None:
    text = "(CNN) Getting sick from Covid-19 is bad enough, a study in a journal found."
    article = ArticleRef("d1", "/x/1.txt", outlet="CNN", published_at="2022-08-18")
    passage = Passage(1, "c1", article, 0, len(text), text, 0.8)
    shown = [Evidence(1, passage, s, 0.5) for s in sentences_of(text, 0)]
    validator = CitationValidator(HashEmbedder(), min_support=0.45)
    question = "Which journal published the study?"
    sentences, _ = validator.validate([Draft("CNN", [1])], shown, {}, question)
    assert not any(s.supported for s in sentences)
    whole = [Evidence(1, passage, Sentence(0, len(text), text), 0.5)]
    sentences, _ = validator.validate([Draft("CNN", [1])], whole, {}, question)
    assert any(s.supported for s in sentences)  # what the dateline would support, were it read as text
