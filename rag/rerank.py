"""Optional reranking of the fused candidates by an LLM (``ATTEST_RERANK=llm``; off by default).

No cross-encoder weights ship on PyPI, so the reranker is an LLM the user already has: the local
model or any OpenAI-compatible one (``ATTEST_LLM_BACKEND``). One JSON-constrained call grades
every candidate passage 0-3 for how directly it answers the query; candidates are reordered by
grade, ties keeping their fused order. A reply that cannot be read leaves the order unchanged.
docs/benchmarks.md has what it costs and gains on the RealTime QA dev set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from rag import llm_json, prompt
from rag.llm import LLM

T = TypeVar("T")


class LLMReranker:
    """Reorders ``(passage text, item)`` candidates by an LLM's grades."""

    def __init__(self, llm: LLM, candidates: int = 10, chars: int = 500) -> None:
        if candidates < 2 or chars < 50:
            raise ValueError("rerank candidates must be at least 2 and passage chars at least 50")
        self.llm = llm
        self.candidates = candidates
        self.chars = chars
        self.calls = 0

    def grades(self, query: str, texts: Sequence[str]) -> list[int] | None:
        """One grade per text, or None when the reply cannot be read."""
        self.calls += 1
        reply = llm_json.ask(
            self.llm,
            prompt.rerank_messages(query, texts, self.chars),
            prompt.rerank_schema(len(texts)),
            max_tokens=8 + 4 * len(texts),
        )
        grades = reply.get("grades")
        if not isinstance(grades, list) or len(grades) != len(texts):
            return None
        if not all(isinstance(g, int) and not isinstance(g, bool) for g in grades):
            return None
        return [max(0, min(3, g)) for g in grades]

    def rerank(self, query: str, candidates: Sequence[tuple[str, T]]) -> list[T]:
        """The first ``self.candidates`` items reordered by grade (stable), then the rest as given."""
        head, tail = list(candidates[: self.candidates]), list(candidates[self.candidates :])
        if len(head) < 2:
            return [item for _, item in candidates]
        grades = self.grades(query, [text for text, _ in head])
        if grades is None:
            return [item for _, item in candidates]
        order = sorted(range(len(head)), key=lambda i: -grades[i])
        return [head[i][1] for i in order] + [item for _, item in tail]
