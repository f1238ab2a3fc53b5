"""The ``attest`` command line, through click's CliRunner (scripted LLM, real embedder and Chroma)."""

import json
import re
from pathlib import Path

from click.testing import CliRunner

from rag.pipeline import Pipeline
from tests.rag.test_answer import _cite_tass
from ui.cli import cli


def run(pipeline: Pipeline, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), obj={"pipeline": pipeline})


def test_ask_before_ingest_says_run_ingest(fake_pipeline) -> None:  # type: ignore[no-untyped-def]
    result = run(fake_pipeline(), "ask", "What did the Kremlin say?")
    assert result.exit_code == 1
    assert "run: attest ingest" in result.output and "Traceback" not in result.output


def test_ingest_ask_json_and_info(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline = fake_pipeline(_cite_tass, _cite_tass)
    result = run(pipeline, "ingest", str(seeds_copy))
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output

    result = run(pipeline, "ask", "What did the Kremlin say about the SCO?", "--json", "--top-k", "4")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "answered" and data["searched"]["top_k"] == 4
    (citation,) = data["citations"]
    source = Path(citation["source"]).read_bytes().decode("utf-8")
    assert source[citation["quote"]["start"] : citation["quote"]["end"]] == citation["quote"]["text"]
    assert {"outlet", "published_at", "doc_id", "passage", "title", "url"} <= set(citation)

    assert data["evidence"] and all(set(e) >= {"number", "outlet", "quote", "relevance"} for e in data["evidence"])
    assert citation["number"] in {e["number"] for e in data["evidence"]}
    assert set(data["timings"]) >= {"evidence", "generate", "total"} and "short_answer" in data

    text = run(pipeline, "ask", "What did the Kremlin say about the SCO?")
    assert text.exit_code == 0 and "\u201c" in text.output
    evidence_at = text.output.index("Evidence (verbatim, before the model writes):")
    answer_at = text.output.index("The Kremlin said")
    assert evidence_at < answer_at  # the evidence is printed first, the answer after
    assert re.search(r"\[\d+\] TASS, 2021-08-25: \u201c", text.output[:answer_at])

    info = run(pipeline, "info", "--json")
    details = json.loads(info.output)
    assert details["index"]["documents"] == 5 and details["index"]["mode"] == "embedded"
    assert "MiniLM" in details["embedder"] and details["llm"] == "fake-llm"


def test_not_in_corpus_shows_what_was_searched(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline = fake_pipeline()
    run(pipeline, "ingest", str(seeds_copy))
    result = run(pipeline, "ask", "Who won the 2022 World Cup?", "--source", "TASS")
    assert result.exit_code == 0
    assert result.output.startswith("Not in the corpus")
    assert 'Searched: "Who won the 2022 World Cup?" (filters: outlet=TASS)' in result.output


def test_bad_input_is_one_clear_line(fake_pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pipeline = fake_pipeline()
    bad_date = run(pipeline, "ask", "x", "--since", "yesterday")
    assert bad_date.exit_code == 2 and "use YYYY-MM-DD" in bad_date.output
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    nothing = run(pipeline, "ingest", str(tmp_path / "bad.txt"), str(tmp_path / "missing"))
    assert nothing.exit_code == 1
    assert "skipped" in nothing.output and "nothing could be ingested" in nothing.output
    empty_question = run(pipeline, "ask", "   ")
    assert empty_question.exit_code == 1 and "question is empty" in empty_question.output


def test_ask_filters_reach_retrieval_outlet_dates_and_as_of(fake_pipeline, seeds_copy: Path) -> None:  # type: ignore[no-untyped-def]
    not_found = {"answer": "", "cite": [1]}
    pipeline = fake_pipeline(*[not_found] * 4)
    run(pipeline, "ingest", str(seeds_copy))
    question = "What did Putin and Khan agree about Afghanistan in their phone call?"

    def shown(*options: str) -> tuple[str, dict]:  # type: ignore[type-arg]
        result = run(pipeline, "ask", question, "--json", *options)
        assert result.exit_code == 0, result.output
        prompt = pipeline.llm.calls[-1]["messages"][-1]["content"]  # type: ignore[attr-defined]
        return prompt, json.loads(result.output)["searched"]

    prompt, searched = shown("--source", "tass")
    assert labels(prompt) == {"TASS, 2021-08-25"} and searched["filters"] == {"outlet": "tass"}
    prompt, searched = shown("--as-of", "2021-08-24")
    assert "2021-08-25" not in prompt and searched["filters"] == {"as_of": "2021-08-24"}
    prompt, _ = shown("--since", "2021-01-01")
    assert labels(prompt) == {"TASS, 2021-08-25"}
    prompt, _ = shown("--until", "2019-12-31")
    assert "2021-08-25" not in prompt


def labels(prompt: str) -> set[str]:
    """The outlet and date of each article the answer prompt quotes (its evidence group headings)."""
    return set(re.findall(r"^([^\[\n][^,\n]*, (?:\d{4}-\d{2}-\d{2}|undated))", prompt, flags=re.M))
