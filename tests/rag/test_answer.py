"""The answer pipeline with a scripted LLM over the real embedder and a real embedded Chroma."""

from pathlib import Path

from rag.pipeline import Pipeline
from rag.types import Answer, Filters

KREMLIN_REPLY = {
    "found": True,
    "sentences": [
        {
            "text": "The Kremlin said the SCO's capabilities should be used to ensure regional stability and to "
            "combat terrorism and drug trafficking.",
            "citations": [1, 9],
        },
    ],
}


def test_cited_answer_quotes_the_source_verbatim(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline(lambda messages: _cite_tass(messages))
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask("What did the Kremlin say about the SCO?")
    assert answer.status == Answer.ANSWERED
    prompt = pipeline.llm.prompt  # type: ignore[attr-defined]
    assert "Question: What did the Kremlin say about the SCO?" in prompt and "(TASS, 2021-08-25)" in prompt
    schema = pipeline.llm.calls[0]["schema"]  # type: ignore[attr-defined]
    assert schema["properties"]["sentences"]["items"]["properties"]["citations"]["items"]["enum"]
    (citation,) = answer.citations
    assert citation.number == 1 and citation.passage.outlet in {"TASS", "Anadolu Agency (AA)"}
    source = Path(citation.passage.source).read_bytes().decode("utf-8")
    assert source[citation.quote.start : citation.quote.end] == citation.quote.text
    assert "terrorism" in citation.quote.text
    assert any("no passage [9]" in note for note in answer.notes)  # the invented [9] was stripped
    assert "[9]" not in answer.text and answer.text.endswith("[1]")


def _cite_tass(messages: list[dict[str, str]]) -> str:
    import json
    import re

    prompt = messages[-1]["content"]
    number = next(int(n) for n, label in re.findall(r"\[(\d+)\] \(([^)]*)", prompt) if "TASS" in label)
    reply = json.loads(json.dumps(KREMLIN_REPLY))
    reply["sentences"][0]["citations"] = [number, 9]
    return json.dumps(reply)


def test_nothing_relevant_means_no_llm_call(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline()  # any LLM call would fail the test
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask("Who won the 2022 World Cup?")
    assert answer.status == Answer.NOT_FOUND and answer.citations == []
    assert pipeline.llm.calls == []  # type: ignore[attr-defined]
    assert answer.searched.passages_considered > 0 and answer.searched.best_relevance < answer.searched.threshold
    assert answer.to_dict()["searched"]["query"] == "Who won the 2022 World Cup?"


def test_model_saying_not_found_and_unreadable_replies(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline({"found": False, "sentences": []}, '{"found": true, "sent')
    pipeline.ingest([seeds_copy])
    assert pipeline.ask("What did the Kremlin say about the SCO?").status == Answer.NOT_FOUND
    broken = pipeline.ask("What did the Kremlin say about the SCO?")
    assert broken.status == Answer.NOT_FOUND and "could not be read" in broken.notes[0]


def test_filters_restrict_the_search(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline: Pipeline = fake_pipeline()
    pipeline.ingest([seeds_copy])
    retriever = pipeline.retriever
    tass = retriever.search("Kremlin statement", 10, Filters(outlet="tass"))
    assert tass and {h.metadata["outlet"] for h in tass} == {"TASS"}
    assert retriever.search("Kremlin", 10, Filters(outlet="no such outlet")) == []
    old = retriever.search("Pakistan Russia", 10, Filters(since="2018-01-01", until="2018-12-31"))
    assert {h.metadata["published_at"] for h in old} == {"2018-03-15"}
    as_of = retriever.search("Pakistan Russia", 10, Filters(as_of="2019-01-01"))
    assert "2021-08-25" not in {h.metadata["published_at"] for h in as_of}


def test_the_checker_judge_removes_a_citation_it_does_not_accept(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    reply = json.loads(_cite_tass([{"role": "user", "content": _tass_prompt(fake_pipeline, seeds_copy)}]))
    reply["sentences"].append(
        {"text": "The statement stressed using the SCO to ensure regional stability.", "citations": [1]}
    )

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
        lambda messages: _cite_all(messages, reply), judge_reply, judge_reply, judge_answers=True
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


def _tass_prompt(fake_pipeline, seeds_copy: Path) -> str:  # type: ignore[no-untyped-def]
    recorder: Pipeline = fake_pipeline('{"found": false, "sentences": []}')
    recorder.ingest([seeds_copy])
    recorder.ask("What did the Kremlin say about the SCO?")
    return recorder.llm.prompt  # type: ignore[attr-defined,no-any-return]


def _cite_all(messages: list[dict[str, str]], reply: dict) -> str:  # type: ignore[type-arg]
    import json

    number = json.loads(_cite_tass(messages))["sentences"][0]["citations"][0]
    for sentence in reply["sentences"]:
        sentence["citations"] = [number]
    return json.dumps(reply)


def test_an_acronym_the_passage_never_spells_out_still_matches(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """Only the TASS article may be used, and it writes "Shanghai Cooperation Organization", never
    "SCO": the index's own definition (another seed says "(SCO)") links the two."""
    pipeline: Pipeline = fake_pipeline(_cite_tass)
    pipeline.ingest([seeds_copy])
    answer = pipeline.ask("What did the Kremlin say about the SCO?", Filters(outlet="TASS"))
    assert answer.status == Answer.ANSWERED, answer.notes
    assert "Shanghai Cooperation Organization" in pipeline.llm.prompt  # type: ignore[attr-defined]
    assert {c.passage.outlet for c in answer.citations} == {"TASS"}
