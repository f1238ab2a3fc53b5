"""The answering prompt and the JSON schema that constrains the model's reply."""

from __future__ import annotations

from typing import Any

from rag.types import Passage

SYSTEM = (
    "You are Attest, a careful news assistant. Answer the question using ONLY the numbered passages. "
    "Write one to three short sentences. Each sentence lists the numbers of the passages that state it. "
    "Use no outside knowledge. If the passages do not answer the question, set found to false and "
    "write no sentences."
)


def schema(numbers: list[int], max_sentences: int = 3) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "found": {"type": "boolean"},
            "sentences": {
                "type": "array",
                "maxItems": max_sentences,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "citations": {
                            "type": "array",
                            "items": {"type": "integer", "enum": numbers},
                            "minItems": 1,
                            "maxItems": 3,
                        },
                    },
                    "required": ["text", "citations"],
                },
            },
        },
        "required": ["found", "sentences"],
    }


def passage_block(passage: Passage) -> str:
    body = " ".join(s.text.replace("\n", " ") for s in passage.sentences)
    return f"[{passage.number}] ({passage.label()}) {body}"


def messages(question: str, passages: list[Passage]) -> list[dict[str, str]]:
    blocks = "\n".join(passage_block(p) for p in passages)
    user = f"Passages:\n{blocks}\n\nQuestion: {question}\nReply in JSON."
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
