import pytest

from rag.citations import CitationValidator, Draft, ReplyError, parse_reply
from rag.types import Passage
from tests.conftest import HashEmbedder

DOC = (
    "The Kremlin said the SCO should help ensure regional stability and fight terrorism and drug trafficking. "
    "Trade ties were also discussed."
)
OTHER = "Heavy rain flooded the northern valley on Tuesday. Farmers lost their crops."


def passage(number: int, text: str, start: int = 100) -> Passage:
    return Passage(
        number,
        f"c{number}",
        f"d{number}",
        f"/x/{number}.txt",
        "",
        "TASS",
        "2021-08-25",
        "",
        start,
        start + len(text),
        text,
        0.8,
    )


def validator() -> CitationValidator:
    return CitationValidator(HashEmbedder(), min_support=0.45)


def test_parse_json_reply_and_inline_markers() -> None:
    found, drafts = parse_reply('{"found": true, "sentences": [{"text": "A fact [2].", "citations": [1]}]}')
    assert found and drafts == [Draft("A fact.", [1, 2])]
    assert parse_reply('{"found": false, "sentences": []}') == (False, [])
    assert parse_reply("Rain fell [1]. It flooded [2].")[1] == [Draft("Rain fell.", [1]), Draft("It flooded.", [2])]
    with pytest.raises(ReplyError):
        parse_reply('{"found": true, "sentences": [')


def test_supported_citation_kept_with_exact_quote() -> None:
    p = passage(1, DOC)
    sentences, notes = validator().validate(
        [Draft("The Kremlin said the SCO should help fight terrorism and drug trafficking.", [1])], [p]
    )
    (citation,) = sentences[0].citations
    assert sentences[0].supported and not notes
    assert citation.quote.text == DOC[: DOC.index("trafficking.") + len("trafficking.")]
    assert (citation.quote.start, citation.quote.end) == (100, 100 + len(citation.quote.text))


def test_marker_pointing_nowhere_is_removed_and_reported() -> None:
    sentences, notes = validator().validate(
        [Draft("The Kremlin said the SCO should help fight terrorism and drug trafficking.", [1, 7])], [passage(1, DOC)]
    )
    assert [c.number for c in sentences[0].citations] == [1]
    assert notes == ["Removed [7] from sentence 1: no passage [7] was retrieved."]


def test_citation_to_a_passage_that_does_not_support_moves_or_flags() -> None:
    p1, p2 = passage(1, OTHER), passage(2, DOC, start=5)
    sentences, notes = validator().validate(
        [Draft("The Kremlin said the SCO should help fight terrorism and drug trafficking.", [1])], [p1, p2]
    )
    assert [c.passage.doc_id for c in sentences[0].citations] == ["d2"]
    assert sentences[0].citations[0].number == 1  # renumbered: first cited passage is [1]
    assert any("does not support" in n for n in notes) and any("Added a citation" in n for n in notes)

    flagged, notes = validator().validate([Draft("Argentina won the World Cup final in Qatar.", [1])], [p1, p2])
    assert not flagged[0].supported and flagged[0].citations == []
    assert "[unsupported" in flagged[0].render()
