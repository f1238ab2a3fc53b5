import pytest

from rag.answer import _short_answer
from rag.citations import CitationValidator, Draft, Reply, ReplyError, parse_reply
from rag.evidence import sentences_of
from rag.types import AnswerSentence, ArticleRef, Citation, Evidence, Passage, Sentence
from tests.conftest import HashEmbedder

DOC = (
    "The Kremlin said the SCO should help ensure regional stability and fight terrorism and drug trafficking. "
    "Trade ties were also discussed."
)
OTHER = "Heavy rain flooded the northern valley on Tuesday. Farmers lost their crops."


def passage(number: int, text: str, start: int = 100) -> Passage:
    article = ArticleRef(f"d{number}", f"/x/{number}.txt", outlet="TASS", published_at="2021-08-25")
    return Passage(number, f"c{number}", article, start, start + len(text), text, 0.8)


def validator() -> CitationValidator:
    return CitationValidator(HashEmbedder(), min_support=0.45)


def shown(*passages: Passage) -> list[Evidence]:
    """Every sentence of the passages as numbered evidence, as the prompt would show them."""
    out: list[Evidence] = []
    for p in passages:
        for sentence in sentences_of(p.text, p.start):
            out.append(Evidence(len(out) + 1, p, sentence, 0.5))
    return out


KREMLIN = "The Kremlin said the SCO should help fight terrorism and drug trafficking."


def test_parse_reply_short_answer_first_and_older_forms() -> None:
    flat = parse_reply('{"answer": "Europe", "cite": [3, 1]}')
    assert flat == Reply("Europe", [Draft("Europe", [3, 1])])  # the answer is the cited statement
    reply = parse_reply('{"answer": "Europe", "sentences": [{"text": "Europe will require USB-C [2].", "cite": [1]}]}')
    assert reply == Reply("Europe", [Draft("Europe will require USB-C.", [1, 2])])
    older = parse_reply('{"found": true, "sentences": [{"text": "A fact [2].", "citations": [1]}]}')
    assert older.found and older.drafts == [Draft("A fact.", [1, 2])]
    assert not parse_reply('{"found": false, "sentences": []}').found
    assert parse_reply("Rain fell [1]. It flooded [2].").drafts == [Draft("Rain fell.", [1]), Draft("It flooded.", [2])]
    with pytest.raises(ReplyError):
        parse_reply('{"answer": "Eur')


@pytest.mark.parametrize("short", ["", "Not stated", "unknown", "N/A", "The evidence does not say."])
def test_a_refusal_is_no_answer(short: str) -> None:
    reply = parse_reply(f'{{"answer": "{short}", "sentences": []}}')
    assert reply.short == "" and not reply.found
    refusing = parse_reply(
        f'{{"answer": "{short}", "sentences": [{{"text": "The evidence does not mention the winner.", "cite": [1]}}]}}'
    )
    assert not refusing.found  # a sentence saying the evidence is silent is not an answer


def test_cited_evidence_is_the_quote_by_construction() -> None:
    p = passage(1, DOC)
    evidence = shown(p)
    sentences, notes = validator().validate([Draft(KREMLIN, [1])], evidence)
    (citation,) = sentences[0].citations
    assert sentences[0].supported and not notes
    assert citation.number == 1 and citation.quote == evidence[0].sentence
    assert DOC[citation.quote.start - 100 : citation.quote.end - 100] == citation.quote.text


def test_invented_number_is_stripped_and_reported() -> None:
    sentences, notes = validator().validate([Draft(KREMLIN, [1, 7])], shown(passage(1, DOC)))
    assert [c.number for c in sentences[0].citations] == [1]
    assert notes == ["Removed [7] from sentence 1: the model was shown no evidence [7]."]


def test_citation_that_does_not_state_the_sentence_moves_or_flags() -> None:
    p1, p2 = passage(1, OTHER), passage(2, DOC, start=5)
    evidence = shown(p1, p2)  # [1], [2] from OTHER; [3], [4] from DOC
    sentences, notes = validator().validate([Draft(KREMLIN, [1])], evidence)
    assert [(c.number, c.passage.article.doc_id) for c in sentences[0].citations] == [(3, "d2")]
    assert any("does not state it" in n for n in notes) and any(n.startswith("Added [3]") for n in notes)

    flagged, notes = validator().validate([Draft("Argentina won the World Cup final in Qatar.", [1])], evidence)
    assert not flagged[0].supported and flagged[0].citations == []
    assert "[unsupported" in flagged[0].render()


def test_support_from_an_unshown_sentence_of_a_passage_gets_a_new_number() -> None:
    p1, p2 = passage(1, OTHER), passage(2, DOC, start=5)
    evidence = shown(p1, p2)[:2]  # the model saw only OTHER's sentences, but DOC's passage was retrieved
    evidence.append(Evidence(3, p2, sentences_of(DOC, 5)[1], 0.3))
    sentences, notes = validator().validate([Draft(KREMLIN, [2])], evidence)
    (citation,) = sentences[0].citations
    assert citation.number == 4 and citation.passage.article.doc_id == "d2" and "terrorism" in citation.quote.text
    # without the fallback only what the model was shown may state it
    sentences, notes = validator().validate([Draft(KREMLIN, [2])], evidence, fallback=False)
    assert not sentences[0].supported and any("flagged" in n for n in notes)


def test_a_claim_needing_two_cited_sentences_keeps_both() -> None:
    text = "Putin spoke with Khan on Wednesday. The two leaders agreed to coordinate on Afghanistan."
    evidence = shown(passage(1, text))
    sentences, _ = validator().validate(
        [Draft("Putin and Khan spoke on Wednesday and agreed to coordinate on Afghanistan.", [1, 2])], evidence
    )
    assert sentences[0].supported and [c.number for c in sentences[0].citations] == [1, 2]


def test_short_answer_is_shown_only_where_a_supported_quote_contains_it() -> None:
    quote = Sentence(0, 60, "European regulators require a USB-C port on all new phones.")
    p = passage(1, quote.text, start=0)
    supported = [AnswerSentence("The EU will require USB-C ports.", [Citation(1, p, quote, 0.7)], True)]
    assert _short_answer("Europe", supported, {}, "") == "Europe"  # "European" in the quote
    assert _short_answer("USB-C", supported, {}, "") == "USB-C"
    assert _short_answer("Asia", supported, {}, "") == ""
    assert _short_answer("Europe", supported, {}, "Will Europe require USB-C?") == ""  # the question's own word
    assert _short_answer("Europe", [AnswerSentence("Europe acts.", [], False)], {}, "") == ""
    assert _short_answer("a long answer of many words that is really a sentence here", supported, {}, "") == ""


def test_a_dated_short_answer_must_match_its_quote_s_year() -> None:
    stores = "The company stopped activity in all its stores on July 20, according to a report."
    when = "On what date did the stores close?"
    evidence = shown(passage(1, stores))
    sentences, _ = validator().validate([Draft("July 20, 2022", [1])], evidence, question=when)
    assert not sentences[0].supported  # the passage was published on 2021-08-25, not in 2022
    sentences, _ = validator().validate([Draft("July 20, 2021", [1])], evidence, question=when)
    assert sentences[0].supported


def test_a_long_answer_copied_word_for_word_from_its_quote_needs_no_judge() -> None:
    from rag.citations import judge_sentences
    from rag.containment import verbatim
    from rag.judge import Case, Judgement

    quote = (
        "\u201cYes, if it were my will, I would declare martial law throughout the country and use any weapon.\u201d"
    )
    answer = "martial law throughout the country and use any weapon"
    assert verbatim(answer, quote) and not verbatim("martial law across the whole country and any weapon", quote)
    assert not verbatim("any weapon", quote)  # too short to be a copy
    asked: list[Case] = []

    class Reader:
        def judge(self, cases: list[Case]) -> list[Judgement]:
            asked.extend(cases)
            return [Judgement("not_found", ("unrelated",) * len(c.evidence)) for c in cases]

    source = passage(1, quote)
    (sentence,) = sentences_of(quote, source.start)
    copied = AnswerSentence(answer + " in the war", [Citation(1, source, sentence, 0.3)], True)
    verbatim_answer = AnswerSentence(answer, [Citation(1, source, sentence, 0.3)], True)
    kept, _ = judge_sentences(Reader(), [verbatim_answer, copied], min_support=0.45)  # type: ignore[arg-type]
    assert kept[0].supported and not kept[1].supported  # the judge read only the one that adds words
    assert [c.claim for c in asked] == [answer + " in the war"]


def test_another_article_that_states_the_sentence_is_cited_beside_it() -> None:
    agency = "The SCO should help ensure regional stability and fight terrorism and drug trafficking, the Kremlin said."
    evidence = shown(passage(1, DOC), passage(2, OTHER), passage(3, agency), passage(4, DOC.split(". ")[1]))
    sentences, notes = validator().validate([Draft(KREMLIN, [1])], evidence)
    numbers = [c.number for c in sentences[0].citations]
    assert numbers[0] == 1 and 5 in numbers  # the agency's report of the same statement
    assert not {2, 3, 4, 6} & set(numbers)  # the cited article again, the rain, "Trade ties" elsewhere
    assert any(n.startswith("Also cited [5]") for n in notes)
    assert all(c.support >= 0.6 for c in sentences[0].citations[1:])
    short, _ = validator().validate([Draft("The SCO", [1])], evidence)
    assert [c.number for c in short[0].citations] == [1]  # a short answer keeps the quote the model chose


def test_the_judge_reads_a_cited_quote_after_the_sentence_before_it() -> None:
    from rag.citations import in_context, judge_sentences
    from rag.judge import Case, Judgement

    text = (
        "Russian President Vladimir Putin and Pakistani Prime Minister Imran Khan have agreed to coordinate "
        "approaches of the two countries to the Afghan issue. "
        '"It was agreed to coordinate approaches to Afghanistan, both bilaterally and multilaterally.'
    )
    source = passage(1, text)
    first, second = sentences_of(text, source.start)
    seen: list[Case] = []

    class Reader:
        def judge(self, cases: list[Case]) -> list[Judgement]:
            seen.extend(cases)
            return [Judgement("supported", ("supports",) * len(c.evidence)) for c in cases]

    answer = "Russia and Pakistan agreed to coordinate approaches to Afghanistan, both bilaterally and multilaterally."
    cited = AnswerSentence(answer, [Citation(2, source, second, 0.6)], True)
    kept, notes = judge_sentences(Reader(), [cited], min_support=0.45)  # type: ignore[arg-type]
    assert seen[0].evidence == [f"{first.text} {second.text}"]  # who agreed is in the sentence before
    assert kept[0].citations[0].quote == second and not notes  # the citation still shows its own quote
    assert in_context(Citation(1, source, first, 0.9)) == first.text  # a passage's first sentence reads alone


def test_a_short_answer_to_how_many_comes_from_a_quote_that_counts_the_same_thing() -> None:
    evidence = shown(passage(1, "Agents seized 33 boxes in the search."), passage(2, "It lists 11,000 pages of files."))
    question = "How many pages of documents were seized?"
    sentences, notes = validator().validate([Draft("33 boxes", [1])], evidence, question=question)
    assert not sentences[0].supported and "does not contain it" in notes[0]
    moved, _ = validator().validate([Draft("11,000", [1])], evidence, question=question)
    assert [c.number for c in moved[0].citations] == [2]  # re-pointed to the sentence about pages


def test_an_answer_word_inside_a_longer_word_is_found_where_it_stands_alone() -> None:
    text = (
        "She romances Travolta's alpha greaser Danny at a high school. "
        "She charmed viewers in the blockbuster movie Grease."
    )
    sentences, _ = validator().validate([Draft("Grease", [1])], shown(passage(1, text)), question="Which movie?")
    assert [c.number for c in sentences[0].citations] == [2]


def test_a_short_answer_that_only_repeats_the_question_is_flagged() -> None:
    aliases = {"IRS": "Internal Revenue Service"}
    text = "The Internal Revenue Service will finish the backlog of 2021 returns this week."
    sentences, notes = validator().validate(
        [Draft("Internal Revenue Service", [1])], shown(passage(1, text)), aliases, "The IRS will do what?"
    )
    assert not sentences[0].supported and "only repeats" in notes[0]
