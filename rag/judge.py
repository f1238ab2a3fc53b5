"""The entailment judge shared by claim checking and answer validation.

One LLM call judges a batch of claims, each against a few numbered evidence sentences, with
JSON-schema constrained output: a verdict per claim and a stance per evidence sentence. Lexical
guards then keep it honest (see :func:`guard`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rag import lexical
from rag.llm import LLM

Verdict = Literal["supported", "contradicted", "not_found"]
Stance = Literal["supports", "contradicts", "unrelated"]
VERDICTS: tuple[Verdict, ...] = ("supported", "contradicted", "not_found")
STANCES: tuple[Stance, ...] = ("supports", "contradicts", "unrelated")

SYSTEM = (
    "You check claims against evidence sentences from news articles. For each claim, label every "
    "evidence sentence: 'supports' if it states the claim, 'contradicts' if it states something "
    "incompatible with the claim (a different number, date, place or person, or that the event did not "
    "happen or was cancelled), otherwise 'unrelated'. Then give the claim a verdict: 'supported', "
    "'contradicted' or 'not_found'. Judge only from the evidence, never from your own knowledge."
)


@dataclass(frozen=True)
class Case:
    """One claim and the evidence sentences it is judged against."""

    claim: str
    evidence: Sequence[str]


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    stances: tuple[Stance, ...]  # one per evidence sentence, in order


def schema(cases: Sequence[Case]) -> dict[str, Any]:
    items = []
    for case in cases:
        stance = {"type": "string", "enum": list(STANCES)}
        items.append(
            {
                "type": "object",
                "properties": {
                    "evidence": {
                        "type": "array",
                        "items": stance,
                        "minItems": len(case.evidence),
                        "maxItems": len(case.evidence),
                    },
                    "verdict": {"type": "string", "enum": list(VERDICTS)},
                },
                "required": ["evidence", "verdict"],
            }
        )
    return {
        "type": "object",
        "properties": {
            "claims": {"type": "array", "prefixItems": items, "minItems": len(items), "maxItems": len(items)}
        },
        "required": ["claims"],
    }


def messages(cases: Sequence[Case]) -> list[dict[str, str]]:
    blocks = []
    for number, case in enumerate(cases, start=1):
        lines = [f"Claim {number}: {case.claim}"]
        lines += [f"  E{i}: {' '.join(text.split())}" for i, text in enumerate(case.evidence, start=1)]
        blocks.append("\n".join(lines))
    user = "\n\n".join(blocks) + "\n\nLabel each evidence sentence, then give each claim a verdict. Reply in JSON."
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


class Judge:
    """Batched LLM entailment: ``judge(cases)`` -> one :class:`Judgement` per case."""

    def __init__(self, llm: LLM, batch_size: int = 4, max_tokens_per_case: int = 48) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.llm = llm
        self.batch_size = batch_size
        self.max_tokens_per_case = max_tokens_per_case

    @property
    def name(self) -> str:
        return self.llm.name

    def judge(self, cases: Sequence[Case]) -> list[Judgement]:
        out: list[Judgement] = []
        for first in range(0, len(cases), self.batch_size):
            batch = cases[first : first + self.batch_size]
            out.extend(self._judge_batch(batch))
        return out

    def _judge_batch(self, cases: Sequence[Case]) -> list[Judgement]:
        if not cases:
            return []
        budget = 16 + sum(self.max_tokens_per_case + 6 * len(c.evidence) for c in cases)
        raw = self.llm.complete(messages(cases), schema=schema(cases), max_tokens=budget)
        return parse(raw, cases)


def parse(raw: str, cases: Sequence[Case]) -> list[Judgement]:
    """Read the judge's reply; anything missing or malformed counts as 'not_found' / 'unrelated'."""
    try:
        data = json.loads(raw[raw.find("{") : raw.rfind("}") + 1]) if "{" in raw else {}
    except json.JSONDecodeError:
        data = {}
    items = data.get("claims") if isinstance(data, dict) else None
    items = items if isinstance(items, list) else []
    judgements = []
    for index, case in enumerate(cases):
        item = items[index] if index < len(items) and isinstance(items[index], dict) else {}
        verdict = item.get("verdict") if item.get("verdict") in VERDICTS else "not_found"
        raw_labels = item.get("evidence")
        labels: list[Any] = raw_labels if isinstance(raw_labels, list) else []
        stances = tuple(
            labels[i] if i < len(labels) and labels[i] in STANCES else "unrelated" for i in range(len(case.evidence))
        )
        judgements.append(Judgement(verdict, stances))  # type: ignore[arg-type]
    return judgements


#: Words that turn an on-topic sentence against a claim that lacks them ("the visit was cancelled").
CONFLICT_CUES = frozenset(
    lexical.stem(word)
    for word in """not never no cancel cancelled canceled cancellation postpone postponed called denied deny
    denies rejected reject refused refuse scrapped halted suspended failed false untrue instead""".split()
)
STRONG_TOPIC = 0.6  # a sentence this close to the claim is about the same event
JUDGE_ONLY_CONTRADICTION = 0.75  # the judge alone may call a contradiction only this close


def conflict(claim: str, evidence: str) -> str:
    """Why ``evidence`` conflicts with ``claim`` on its face: a cancellation or negation word the
    claim lacks, or numbers of the claim missing where the evidence gives others. '' if none."""
    claim_words = set(lexical.words(claim))
    cues = sorted(w for w in set(lexical.words(evidence)) & CONFLICT_CUES if w not in claim_words)
    if cues:
        return f"the source says {', '.join(repr(c) for c in cues)}"
    claim_numbers, evidence_numbers = lexical.numbers(claim), lexical.numbers(evidence)
    if claim_numbers - evidence_numbers and evidence_numbers:
        return f"numbers differ: claim {', '.join(sorted(claim_numbers))}; source {', '.join(sorted(evidence_numbers))}"
    return ""


def guard(
    claim: str,
    judgement: Judgement,
    evidence: Sequence[str],
    scores: Sequence[float],
    min_support: float,
) -> Judgement:
    """Keep the judge honest with what can be checked without it.

    - 'supports' needs the sentence to match the claim (score >= ``min_support``), to contain
      every number of the claim, and no conflict cue (:func:`conflict`); a close sentence with a
      conflict becomes 'contradicts'.
    - 'contradicts' needs a close sentence (score >= ``STRONG_TOPIC``) with a conflict cue, or the
      judge's word on a very close one (score >= ``JUDGE_ONLY_CONTRADICTION``).
    - The verdict follows the surviving stances: any support -> supported, else any
      contradiction -> contradicted, else not_found.
    """
    claim_numbers = lexical.numbers(claim)
    stances: list[Stance] = []
    for stance, text, score in zip(judgement.stances, evidence, scores):
        clash = conflict(claim, text)
        if stance == "supports" and (score < min_support or claim_numbers - lexical.numbers(text) or clash):
            stance = "contradicts" if clash and score >= STRONG_TOPIC else "unrelated"
        elif stance == "contradicts" and not ((clash and score >= STRONG_TOPIC) or score >= JUDGE_ONLY_CONTRADICTION):
            stance = "unrelated"
        elif stance == "unrelated" and clash and score >= 0.8:
            stance = "contradicts"  # the same event, told with a cancellation or other numbers
        stances.append(stance)
    if "supports" in stances:
        verdict: Verdict = "supported"
    elif "contradicts" in stances:
        verdict = "contradicted"
    else:
        verdict = "not_found"
    return Judgement(verdict, tuple(stances))
