"""The answer pipeline with a scripted LLM over the real embedder and a real embedded Chroma."""

import re
from pathlib import Path

import pytest

from rag.pipeline import Pipeline
from rag.types import Answer, Evidence, Filters

STATEMENT = (
    "The Kremlin said the SCO's capabilities should be used to ensure regional stability and to "
    "combat terrorism and drug trafficking."
)
KREMLIN_REPLY = {"answer": STATEMENT, "cite": [1, 99]}


def test_cited_answer_quotes_the_source_verbatim(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline(lambda messages: _cite_tass(messages))
    pipeline.ingest([seeds_copy])
    shown: list[list[Evidence]] = []
    answer = pipeline.ask("What did the Kremlin say about the SCO?", on_evidence=shown.append)
    assert answer.status == Answer.ANSWERED
    prompt = pipeline.llm.prompt  # type: ignore[attr-defined]
    assert prompt.endswith("Question: What did the Kremlin say about the SCO?") and "\nTASS, 2021-08-25" in prompt
    schema = pipeline.llm.calls[0]["schema"]  # type: ignore[attr-defined]
    assert list(schema["properties"]) == ["answer", "cite"]  # the answer first, then what states it
    numbers = schema["properties"]["cite"]["items"]["enum"]
    assert shown == [answer.evidence] and numbers == [e.number for e in answer.evidence]  # shown before the LLM
    for item in answer.evidence:  # every evidence sentence is verbatim and in the prompt
        source = Path(item.passage.article.source).read_bytes().decode("utf-8")
        assert source[item.sentence.start : item.sentence.end] == item.sentence.text
        assert f"[{item.number}] {' '.join(item.sentence.text.split())}" in prompt
    assert sum(len(e.sentence.text) for e in answer.evidence) <= pipeline.settings.answer_evidence_chars
    citation, *also = answer.citations  # the model's citation, then other articles that state it too
    assert citation.passage.article.outlet == "TASS" and "terrorism" in citation.quote.text
    assert all(c.passage.article.doc_id != citation.passage.article.doc_id for c in also)
    assert all(any(n.startswith(f"Also cited [{c.number}]") for n in answer.notes) for c in also)
    assert citation.quote == next(e.sentence for e in answer.evidence if e.number == citation.number)
    assert any("no evidence [99]" in note for note in answer.notes)  # the invented [99] was stripped
    assert "[99]" not in answer.text and answer.text.endswith("".join(f"[{c.number}]" for c in answer.citations))
    assert answer.sentences[0].text == STATEMENT and answer.short == ""  # a sentence, not a short answer
    assert answer.to_dict()["evidence"][0]["quote"]["text"] == answer.evidence[0].sentence.text


def _cite_tass(messages: list[dict[str, str]]) -> str:
    """The reply citing the TASS evidence sentence about terrorism (as the prompt numbers it)."""
    import json

    return json.dumps({**KREMLIN_REPLY, "cite": [tass_number(messages[-1]["content"]), 99]})


def tass_number(prompt: str) -> int:
    label = ""
    for line in prompt.splitlines():
        match = re.match(r"\[(\d+)\] (.*)", line)
        if match and label.startswith("TASS") and "terrorism" in match.group(2):
            return int(match.group(1))
        if not match and line.endswith(":"):
            label = line
    raise AssertionError(f"no TASS evidence about terrorism in the prompt:\n{prompt}")


def test_nothing_relevant_means_no_llm_call(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline()  # any LLM call would fail the test
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask("Who won the 2022 World Cup?")
    assert answer.status == Answer.NOT_FOUND and answer.citations == []
    assert pipeline.llm.calls == []  # type: ignore[attr-defined]
    assert answer.searched.passages_considered > 0 and answer.searched.best_relevance < answer.searched.threshold
    assert answer.to_dict()["searched"]["query"] == "Who won the 2022 World Cup?"


def test_model_finding_no_answer_and_unreadable_replies(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline({"answer": "", "sentences": []}, '{"answer": "the SCO", "sent')
    pipeline.ingest([seeds_copy])
    silent = pipeline.ask("What did the Kremlin say about the SCO?")
    assert silent.status == Answer.NOT_FOUND and "found no answer" in silent.notes[0]
    assert silent.evidence  # what was looked at is still reported
    broken = pipeline.ask("What did the Kremlin say about the SCO?")
    assert broken.status == Answer.NOT_FOUND and "could not be read" in broken.notes[0]


def test_a_short_answer_no_quote_contains_is_never_shown(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    def reply(messages: list[dict[str, str]]) -> str:
        return json.dumps({"answer": "a naval blockade", "cite": [tass_number(messages[-1]["content"])]})

    pipeline: Pipeline = fake_pipeline(reply)
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask("What did the Kremlin say about the SCO?")
    assert answer.status == Answer.NOT_FOUND and answer.citations == [] and answer.short == ""
    assert any("does not contain it" in note for note in answer.notes)
    assert any("flagged" in note for note in answer.notes)


def test_an_overlong_question_is_refused_with_a_fix(fake_pipeline) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline()
    with pytest.raises(ValueError, match="characters long; ask it in at most 2,000"):
        pipeline.ask("why " * 30_000)


def test_filters_restrict_the_search(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline()
    pipeline.ingest([seeds_copy])
    retriever = pipeline.retriever
    tass = retriever.search("Kremlin statement", 10, Filters(outlet="tass"))
    assert tass and {h.article.outlet for h in tass} == {"TASS"}
    assert retriever.search("Kremlin", 10, Filters(outlet="no such outlet")) == []
    old = retriever.search("Pakistan Russia", 10, Filters(since="2018-01-01", until="2018-12-31"))
    assert {h.article.published_at for h in old} == {"2018-03-15"}
    as_of = retriever.search("Pakistan Russia", 10, Filters(as_of="2019-01-01"))
    assert "2021-08-25" not in {h.article.published_at for h in as_of}


def test_the_checker_judge_removes_a_citation_it_does_not_accept(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    extra = "The statement stressed using the SCO to secure regional elections."
    reply = {"answer": "", "sentences": [{"text": STATEMENT, "cite": [1]}, {"text": extra, "cite": [1]}]}

    def judge_reply(messages: list[dict[str, str]]) -> str:
        blocks = [b for b in messages[-1]["content"].split("\n\n") if b.startswith("Claim")]
        return json.dumps(
            {
                "claims": [
                    {"evidence": ["unrelated" if "stressed using" in b else "supports"], "verdict": "not_found"}
                    for b in blocks
                ]
            }
        )

    pipeline: Pipeline = fake_pipeline(
        lambda messages: _cite_all(messages, reply), judge_reply, judge_reply, judge_answers=True, judge="llm"
    )
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask("What did the Kremlin say about the SCO?")
    calls = pipeline.llm.calls  # type: ignore[attr-defined]
    judged = [call["messages"][-1]["content"] for call in calls[1:]]
    assert judged and any("stressed using the SCO" in prompt for prompt in judged)
    first, second = answer.sentences
    assert first.supported and first.citations
    assert not second.supported and second.citations == []
    assert any("checker finds no cited passage" in note for note in answer.notes)


def _cite_all(messages: list[dict[str, str]], reply: dict) -> str:  # type: ignore[type-arg]
    import json

    number = tass_number(messages[-1]["content"])
    for sentence in reply["sentences"]:
        sentence["cite"] = [number]
    return json.dumps(reply)


def test_an_acronym_the_passage_never_spells_out_still_matches(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """Only the TASS article may be used, and it writes "Shanghai Cooperation Organization", never
    "SCO": the index's own definition (another seed says "(SCO)") links the two."""
    pipeline: Pipeline = fake_pipeline(_cite_tass)
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask("What did the Kremlin say about the SCO?", Filters(outlet="TASS"))
    assert answer.status == Answer.ANSWERED, answer.notes
    assert "Shanghai Cooperation Organization" in pipeline.llm.prompt  # type: ignore[attr-defined]
    assert {c.passage.article.outlet for c in answer.citations} == {"TASS"}


def test_an_answer_from_an_article_about_something_else_is_withheld(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """The seeds state what the Kremlin said of the SCO, not of a summit in Oregon: the model cites
    the statement, the validator accepts the quote, and the answer is still "not in the corpus"."""
    import json

    def reply(messages: list[dict[str, str]]) -> str:
        found = re.search(r"^\[(\d+)\] The SCO should use its capabilities", messages[-1]["content"], re.M)
        assert found, messages[-1]["content"]
        return json.dumps({"answer": "The SCO should use its capabilities.", "cite": [int(found.group(1))]})

    pipeline: Pipeline = fake_pipeline(reply)
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask("What did the Kremlin say about the SCO at its Oregon summit?")
    assert len(pipeline.llm.calls) == 1  # type: ignore[attr-defined]
    assert answer.status == Answer.NOT_FOUND and answer.citations == [] and answer.evidence
    assert any(
        "do not mention \u201cOregon\u201d" in note or "does not mention \u201cOregon\u201d" in note
        for note in answer.notes
    )


def test_what_an_unsupported_sentence_says_beyond_the_question_is_checked_as_a_short_answer(  # type: ignore[no-untyped-def]
    fake_pipeline, seeds_copy: Path
) -> None:
    """The model writes a sentence where a few words were wanted; as a statement it fails (here:
    a support floor no paraphrase reaches), but its one run of words the question did not give is
    contained in the TASS quote, so that is the answer, cited to the quote."""
    import json

    question = (
        "What did the Kremlin say the Shanghai Cooperation Organization's capabilities should be used for on Tuesday?"
    )
    sentence = (
        "On Tuesday the Kremlin said the Shanghai Cooperation Organization's capabilities should be used for "
        "combating terrorism and drug trafficking."
    )

    def reply(messages: list[dict[str, str]]) -> str:
        return json.dumps({"answer": sentence, "cite": [tass_number(messages[-1]["content"])]})

    pipeline: Pipeline = fake_pipeline(reply, reply, min_support=0.99)
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask(question)
    assert answer.status == Answer.ANSWERED, answer.notes
    assert answer.short == "combating terrorism and drug trafficking"
    assert answer.sentences[0].text == answer.short and answer.citations[0].passage.article.outlet == "TASS"
    assert "combating terrorism and drug trafficking" in answer.citations[0].quote.text
    assert any("not supported as written" in note for note in answer.notes)
    # words scattered over the sentence are no answer: "not in the corpus", as before
    scattered = sentence.replace("On Tuesday", "In Oregon on Tuesday")
    pipeline.llm.replies = [json.dumps({"answer": scattered, "cite": [1]})]  # type: ignore[attr-defined]
    assert pipeline.ask(question).status == Answer.NOT_FOUND


def test_an_answer_that_copies_a_headers_date_is_asked_again_without_the_dates(  # type: ignore[no-untyped-def]
    fake_pipeline, tmp_path: Path
) -> None:
    """Asked for a date, the model gives the article's publication date (its evidence header),
    which no sentence states: it is asked once more with the headers undated, and that answer is
    validated as any other."""
    import json

    article = {
        "title": "Stocks slid a day after the Fed raised interest rates",
        "source": "USA Today",
        "published_at": "2022-05-05",
        "text": "Stocks fell sharply on Thursday. The Federal Reserve also announced that it will start reducing "
        "its huge $9 trillion balance sheet starting June 1. Investors worried about growth.",
    }
    (tmp_path / "fed.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    question = "From what date will the Federal Reserve start reducing its $9 trillion balance sheet?"
    prompts: list[str] = []

    def balance_sheet(messages: list[dict[str, str]]) -> int:
        prompts.append(messages[-1]["content"])
        lines = messages[-1]["content"].splitlines()
        return next(int(m.group(1)) for x in lines if (m := re.match(r"\[(\d+)\] .*balance sheet", x)))

    def header_date(messages: list[dict[str, str]]) -> str:
        return json.dumps({"answer": "May 5, 2022", "cite": [balance_sheet(messages)]})

    def sentence_date(messages: list[dict[str, str]]) -> str:
        return json.dumps({"answer": "June 1", "cite": [balance_sheet(messages)]})

    pipeline: Pipeline = fake_pipeline(header_date, sentence_date)
    pipeline.ingest([tmp_path / "fed.jsonl"])
    answer = pipeline.ask(question)
    assert answer.status == Answer.ANSWERED and answer.short == "June 1", answer.notes
    assert "starting June 1" in answer.citations[0].quote.text
    assert any("publication date of an article it was shown (2022-05-05)" in note for note in answer.notes)
    assert "today, 2022-05-05, \u201c" in prompts[0].lower() and "2022-05-05" not in prompts[1]
    assert "today, \u201cstocks slid" in prompts[1].lower()
    # a date a sentence states is no copy: one call, as before
    pipeline.llm.replies = [sentence_date]  # type: ignore[attr-defined]
    assert pipeline.ask(question).short == "June 1" and len(prompts) == 3
