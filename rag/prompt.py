"""The answering prompt and the JSON schema that constrains the model's reply.

The system message never changes, so llama.cpp keeps its tokens cached from one question to the
next and only the evidence and the question are prefilled. The model is shown numbered verbatim
sentences (see :func:`rag.passages.select_evidence`) and writes the answer in the evidence's
words, then the numbers of the sentences that state it. It is never asked to decide "found or
not" before it has written anything, and it does not copy whole sentences: the quotes it cites
are shown verbatim beside its answer.
"""

from __future__ import annotations

from typing import Any

from rag.types import Evidence, Passage

SYSTEM = (
    "You answer questions about the news using only the numbered evidence sentences from articles. "
    'Reply in JSON. "answer": the answer in the evidence\'s own words: a few words (a name, number, date, '
    "place or thing), or one short sentence when the question asks what someone said or why; "
    '"" if the evidence does not answer the question. "cite": the numbers of the evidence sentences '
    "that state the answer. Use no outside knowledge."
)

ANSWER_CHARS = 240  # the grammar ends an answer that runs on


def schema(numbers: list[int]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "answer": {"type": "string", "maxLength": ANSWER_CHARS},
            "cite": {"type": "array", "items": {"type": "integer", "enum": numbers}, "minItems": 1, "maxItems": 3},
        },
        "required": ["answer", "cite"],
    }


def evidence_block(evidence: list[Evidence]) -> str:
    """Sentences grouped under their article's outlet, date and title, in the given order."""
    lines: list[str] = []
    current = ""
    for item in evidence:
        if item.passage.chunk_id != current:
            current = item.passage.chunk_id
            lines.append(f"{item.passage.label()}:")
        lines.append(f"[{item.number}] {' '.join(item.sentence.text.split())}")
    return "\n".join(lines)


def messages(question: str, evidence: list[Evidence]) -> list[dict[str, str]]:
    user = f"{EVIDENCE_HEADER}{evidence_block(evidence)}\n\nQuestion: {question}"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


EVIDENCE_HEADER = "Evidence:\n"


def prefix_messages() -> list[dict[str, str]]:
    """What every answering prompt starts with: the model's state after it can be kept
    (rag.prefix_cache), so a fresh process does not prefill it again."""
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": EVIDENCE_HEADER}]


def passage_block(passage: Passage) -> str:
    """A passage with its selected sentences (``attest eval``'s multiple-choice prompt)."""
    body = " ".join(s.text.replace("\n", " ") for s in passage.sentences)
    return f"[{passage.number}] ({passage.label()}) {body}"
