"""From retrieved chunks to numbered, citable passages with their query-relevant sentences.

Only the few sentences of each chunk that match the question go into the prompt, which keeps
prefill short on a CPU; their exact offsets are kept so a citation can quote them.
"""

from __future__ import annotations

import numpy as np

from index.embedding import Embedder
from rag import evidence, lexical
from rag.retrieve import Hit
from rag.types import Passage, Sentence

KEEP_RATIO = 0.6  # a sentence scoring under this share of its passage's best stays out of the prompt


def build(
    hits: list[Hit], question: str, embedder: Embedder, per_passage: int, aliases: dict[str, str] | None = None
) -> list[Passage]:
    """Numbered passages (1..n, best first) with up to ``per_passage`` selected sentences each.
    ``aliases`` (acronym -> long form; default: those the hits define) count as the same words."""
    per_hit = [evidence.sentences_of(h.text, int(h.metadata.get("start", 0))) for h in hits]
    flat = [s for group in per_hit for s in group]
    aliases = aliases if aliases is not None else lexical.acronyms([h.text for h in hits])
    scores = evidence.match_scores(embedder, [question], flat, aliases)[0] if flat else np.zeros(0)
    passages = []
    position = 0
    for number, (hit, group) in enumerate(zip(hits, per_hit), start=1):
        group_scores = scores[position : position + len(group)]
        position += len(group)
        ranked = sorted(range(len(group)), key=lambda i: -float(group_scores[i]))
        top = float(group_scores[ranked[0]]) if ranked else 0.0
        best = [i for i in ranked[:per_passage] if float(group_scores[i]) >= KEEP_RATIO * top]
        chosen = tuple(group[i] for i in sorted(best))  # document order reads naturally
        meta = hit.metadata
        passages.append(
            Passage(
                number=number,
                chunk_id=hit.chunk_id,
                doc_id=str(meta.get("doc_id", "")),
                source=str(meta.get("source", "")),
                title=str(meta.get("title", "")),
                outlet=str(meta.get("outlet", "")),
                published_at=str(meta.get("published_at", "")),
                url=str(meta.get("url", "")),
                start=int(meta.get("start", 0)),
                end=int(meta.get("end", 0)),
                text=hit.text,
                score=hit.score,
                sentences=chosen,
                relevance=float(group_scores.max()) if len(group) else 0.0,
            )
        )
    return passages


def all_sentences(passage: Passage) -> list[Sentence]:
    return evidence.sentences_of(passage.text, passage.start)
