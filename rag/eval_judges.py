"""The evaluation's LLM judges and scorers: ALCE's entailment judge played by an LLM, the short
answer taken from a cited answer, the multiple-choice pick, and how a cited sentence becomes a
claim and a passage a premise."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rag import prompt
from rag.citations import is_short
from rag.llm import LLM
from rag.types import Answer, Passage

ENTAIL_SYSTEM = (
    "You check whether a premise entails a hypothesis. The hypothesis is entailed when the premise, "
    "read on its own, states it or makes it certain; a hypothesis adding facts the premise does not "
    "give is not entailed. Judge only from the premise."
)


class LLMEntailment:
    """ALCE's NLI judge, played by an LLM (the local one unless settings name another); answers
    are cached, since precision re-asks the same pairs."""

    def __init__(self, llm: LLM) -> None:
        self.llm = llm
        self.name = llm.name
        self.calls = 0
        self._cache: dict[tuple[str, str], bool] = {}

    def __call__(self, premise: str, hypothesis: str) -> bool:
        key = (premise, hypothesis)
        if key not in self._cache:
            self.calls += 1
            user = (
                f"Premise:\n{premise}\n\nHypothesis: {hypothesis}\n\n"
                "Does the premise entail the hypothesis? Reply in JSON."
            )
            raw = self.llm.complete(
                [{"role": "system", "content": ENTAIL_SYSTEM}, {"role": "user", "content": user}],
                schema={
                    "type": "object",
                    "properties": {"entailed": {"type": "boolean"}},
                    "required": ["entailed"],
                },
                max_tokens=16,
            )
            self._cache[key] = _json_field(raw, "entailed") is True
        return self._cache[key]


def short_answer(llm: LLM, question: str, answer: Answer) -> str:
    """The few words of Attest's cited answer that answer the question ('' for 'not in the corpus')."""
    if answer.status != Answer.ANSWERED:
        return ""
    return short_phrase(llm, question, " ".join(s.text for s in answer.sentences))


def short_phrase(llm: LLM, question: str, body: str) -> str:
    """The few words of an answer text that answer the question, as the LLM copies them."""
    user = (
        f"Question: {question}\nAnswer: {body}\n\nCopy the shortest phrase of the answer (a name, number, "
        "place or a few words) that answers the question. Reply in JSON."
    )
    raw = llm.complete(
        [{"role": "user", "content": user}],
        schema={"type": "object", "properties": {"short_answer": {"type": "string"}}, "required": ["short_answer"]},
        max_tokens=32,
    )
    value = _json_field(raw, "short_answer")
    return value if isinstance(value, str) else ""


def pick_choice(llm: LLM, question: str, choices: Sequence[str], shown: Sequence[Passage]) -> int | None:
    """The option the model picks from the passages (by index), or None if it gives none."""
    letters = [chr(ord("A") + i) for i in range(len(choices))]
    blocks = "\n".join(prompt.passage_block(p) for p in shown) or "(no passages)"
    options = "\n".join(f"{letter}. {choice}" for letter, choice in zip(letters, choices))
    user = (
        f"Passages:\n{blocks}\n\nQuestion: {question}\nOptions:\n{options}\n\n"
        "Pick the option the passages support (if they do not say, the most likely one). Reply in JSON."
    )
    raw = llm.complete(
        [{"role": "user", "content": user}],
        schema={
            "type": "object",
            "properties": {"choice": {"type": "string", "enum": letters}},
            "required": ["choice"],
        },
        max_tokens=12,
    )
    value = _json_field(raw, "choice")
    return letters.index(value) if isinstance(value, str) and value in letters else None


def _json_field(raw: str, key: str) -> Any:
    try:
        data = json.loads(raw[raw.find("{") : raw.rfind("}") + 1]) if "{" in raw else {}
    except json.JSONDecodeError:
        return None
    return data.get(key) if isinstance(data, dict) else None


def cited_relevance(answer: Answer) -> float | None:
    """How well the best evidence sentence the answer cites matches the question (None: none cited)."""
    cited = {c.number for c in answer.citations}
    values = [e.relevance for e in answer.evidence if e.number in cited]
    return round(max(values), 3) if values else None


def as_claim(question: str, text: str) -> str:
    """What a cited answer sentence claims: itself, or for a short answer ("Bishkek, Kyrgyzstan"),
    that it answers the question (a bare phrase entails nothing on its own)."""
    return f'The answer to the question "{question}" is: {text}.' if is_short(text) else text


def as_premise(passage: Passage) -> str:
    return f"Title: {passage.title}\n{passage.text}" if passage.title else passage.text
