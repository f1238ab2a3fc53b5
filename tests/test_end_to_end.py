"""The real default stack over seeds/: packaged embedder, embedded Chroma, packaged local LLM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.settings import Settings
from rag.pipeline import Pipeline
from rag.types import Answer

pytestmark = pytest.mark.slow


class CountingLLM:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls = 0

    def complete(self, *args: Any, **kwargs: Any) -> str:
        self.calls += 1
        return str(self.inner.complete(*args, **kwargs))

    @property
    def last_stats(self) -> Any:
        return self.inner.last_stats


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any, real_llm: Any) -> tuple[Pipeline, CountingLLM]:
    from tests.conftest import SEEDS

    llm = CountingLLM(real_llm)
    settings = Settings(data_dir=tmp_path_factory.mktemp("e2e"))
    pipeline = Pipeline(settings, embedder=real_embedder, llm=llm)
    report = pipeline.ingest([SEEDS])
    assert len(report.added) == 5
    return pipeline, llm


def assert_verbatim(answer: Answer) -> None:
    for citation in answer.citations:
        source = Path(citation.passage.article.source).read_bytes().decode("utf-8")
        assert source[citation.quote.start : citation.quote.end] == citation.quote.text
        assert source[citation.passage.start : citation.passage.end] == citation.passage.text


def test_kremlin_sco_answer_cites_the_statement(seeded: tuple[Pipeline, CountingLLM]) -> None:
    pipeline, _ = seeded
    answer = pipeline.ask("What did the Kremlin say about the SCO?")
    assert answer.status == Answer.ANSWERED, answer.notes
    assert answer.sentences and all(s.citations for s in answer.sentences if s.supported)
    statement = [
        c
        for c in answer.citations
        if c.passage.article.outlet in {"TASS", "Anadolu Agency (AA)"}
        and "terrorism" in c.quote.text
        and "drug" in c.quote.text
        and "stability" in c.quote.text
    ]
    assert statement, [c.to_dict() for c in answer.citations]
    assert_verbatim(answer)  # how fast it answered is measured in bench/answer_speed.py, not asserted here
    assert {c.passage.chunk_id for c in answer.citations} <= {e.passage.chunk_id for e in answer.evidence}
    g = answer.generation
    assert g["prompt_tokens"] > 0 and g["generated_tokens"] > 0 and g["prefill_seconds"] > 0


def test_the_fixed_system_prefix_is_not_prefilled_again(seeded: tuple[Pipeline, CountingLLM]) -> None:
    pipeline, _ = seeded
    first = pipeline.ask("What did Russia and Pakistan agree about Afghanistan?")
    second = pipeline.ask("Where did Imran Khan meet Putin informally?")
    assert first.evidence and second.evidence
    assert second.generation["cached_tokens"] >= 40  # llama.cpp kept the system message from the last call
    assert second.generation["cached_tokens"] < second.generation["prompt_tokens"]


def test_the_prefix_comes_back_after_another_prompt(seeded: tuple[Pipeline, CountingLLM]) -> None:
    """A follow-up rewrite or a judge call between two answers takes llama.cpp's context; the next
    answer gets the kept prefix state back instead of prefilling the system message again."""
    from rag import prompt

    pipeline, llm = seeded
    pipeline.ask("What did Russia and Pakistan agree about Afghanistan?")
    llm.complete(prompt.followup_messages("And the SCO?", [], 200), max_tokens=4)
    answer = pipeline.ask("Where did Imran Khan meet Putin informally?")
    assert answer.evidence and answer.generation["cached_tokens"] >= 40
    # the rewrite's own fixed start is kept too: the next follow-up after an answer does not prefill it
    llm.complete(prompt.followup_messages("And what did he say there?", [], 200), max_tokens=4)
    assert llm.last_stats.cached_tokens >= 40


def test_a_new_process_restores_the_prefix_from_disk(seeded: tuple[Pipeline, CountingLLM]) -> None:
    """What a fresh ``attest ask`` does: a second model instance loads the saved system-prefix state
    (rag.prefix_cache) instead of prefilling it, and answers from the evidence it is shown."""
    from rag import models, prompt

    fresh = models.make_llm(Settings())
    user = "Evidence:\n[1] The SCO summit was held in Bishkek.\n\nQuestion: Where was the SCO summit held?"
    reply = fresh.complete(
        [{"role": "system", "content": prompt.SYSTEM}, {"role": "user", "content": user}],
        schema=prompt.schema([1]),
        max_tokens=24,
    )
    assert fresh.prefix_state == "restored"  # type: ignore[attr-defined]
    stats = fresh.last_stats
    assert stats is not None and stats.cached_tokens >= 80  # the system message was not prefilled again
    assert "Bishkek" in reply


def test_world_cup_is_not_in_the_corpus(seeded: tuple[Pipeline, CountingLLM]) -> None:
    pipeline, llm = seeded
    before = llm.calls
    answer = pipeline.ask("Who won the 2022 World Cup?")
    assert answer.status == Answer.NOT_FOUND and answer.citations == [] and answer.sentences == []
    assert llm.calls == before  # decided without the LLM
    assert answer.text.startswith("Not in the corpus")


def test_claim_check_on_the_real_stack(seeded: tuple[Pipeline, CountingLLM]) -> None:
    pipeline, _ = seeded
    report = pipeline.check(
        "The Kremlin said the SCO should help fight terrorism and drug trafficking. "
        "Putin visited Islamabad in October 2012. "
        "Pakistan and Russia signed a nuclear treaty in 2021. "
        "Imran Khan told Sputnik that Pakistan was looking for arms from Russia."
    )
    verdicts = [c.verdict for c in report.claims]
    assert verdicts == ["supported", "contradicted", "not_found", "supported"], [c.quotes for c in report.claims]
    kremlin, visit, _, _ = report.claims
    assert {"TASS", "Anadolu Agency (AA)"} <= set(kremlin.reported_by)
    assert "cancelled" in visit.quotes[0].text
    for claim in report.claims:
        for quote in claim.quotes:
            assert Path(quote.article.source).read_bytes().decode("utf-8")[quote.start : quote.end] == quote.text
