"""From retrieved chunks to numbered passages and the evidence sentences the model is shown.

Every sentence of every retrieved chunk is scored against the question once. A passage keeps its
best few sentences (``sentences``, used by ``attest eval``'s choice prompt and the reranker). The
answer prompt gets :func:`select_evidence`: a small, numbered set of verbatim sentences across
passages, so that prefill stays short on a CPU and a citation ``[n]`` maps to an exact span by
construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from index.embedding import Embedder
from rag import answer_kind, evidence, lexical
from rag.retrieve import Hit
from rag.types import Evidence, Passage, Sentence

KEEP_RATIO = 0.6  # a sentence scoring under this share of its passage's best is not selected
KIND_BONUS = 0.05  # what a sentence holding the number or date a question wants adds to its rank
MIN_WORDS = 5  # shorter "sentences" (a byline, "-Kremlin statement") are not evidence


@dataclass(frozen=True)
class Scored:
    """A passage with every one of its sentences and their match to the question."""

    passage: Passage
    sentences: tuple[Sentence, ...]
    scores: tuple[float, ...]


def score(hits: list[Hit], question: str, embedder: Embedder, aliases: dict[str, str] | None = None) -> list[Scored]:
    """Numbered passages (1..n in retrieval order), each with all its sentences scored against the
    question. ``aliases`` (acronym -> long form; default: those the hits define) count as the same
    words."""
    per_hit = [evidence.sentences_of(h.text, h.start) for h in hits]
    flat = [s for group in per_hit for s in group]
    aliases = aliases if aliases is not None else lexical.acronyms([h.text for h in hits])
    scores = evidence.match_scores(embedder, [question], flat, aliases)[0] if flat else np.zeros(0)
    out = []
    position = 0
    for number, (hit, group) in enumerate(zip(hits, per_hit), start=1):
        group_scores = tuple(float(x) for x in scores[position : position + len(group)])
        position += len(group)
        out.append(Scored(_passage(number, hit, max(group_scores, default=0.0)), tuple(group), group_scores))
    return out


def build(
    hits: list[Hit], question: str, embedder: Embedder, per_passage: int, aliases: dict[str, str] | None = None
) -> list[Passage]:
    """Numbered passages (1..n, best first) with up to ``per_passage`` selected sentences each."""
    return [with_best_sentences(s, per_passage) for s in score(hits, question, embedder, aliases)]


def with_best_sentences(scored: Scored, per_passage: int) -> Passage:
    ranked = sorted(range(len(scored.sentences)), key=lambda i: -scored.scores[i])
    top = scored.scores[ranked[0]] if ranked else 0.0
    best = [i for i in ranked[:per_passage] if scored.scores[i] >= KEEP_RATIO * top]
    chosen = tuple(scored.sentences[i] for i in sorted(best))  # document order reads naturally
    return replace(scored.passage, sentences=chosen)


def select_evidence(
    scored: list[Scored], max_sentences: int, max_chars: int, min_relevance: float, kind: str = ""
) -> list[Evidence]:
    """The verbatim sentences the model is shown, numbered 1..n.

    Passages whose best sentence is under ``min_relevance`` are left out, unless another passage
    of their article reaches it (the answer is often in a weaker chunk of the right article: "The
    party took place at City Tavern"). The others give their
    sentences in rounds, in retrieval order (which carries the BM25, recency and copy folding the
    sentence score lacks): every passage's best sentence first, then every passage's second best,
    and so on, keeping only sentences that score at least ``KEEP_RATIO`` of their passage's best.
    When the question wants a number or a date (``kind``, :func:`rag.answer_kind.wanted`), a
    sentence that holds one ranks as if it scored ``KIND_BONUS`` more.
    A sentence already taken from another passage (a syndicated copy) is not repeated. Selection
    stops at ``max_sentences`` or ``max_chars`` of sentence text (the first sentence always fits).
    The result is numbered grouped by article (in the order of each article's best passage),
    sentences in document order, so that the prompt reads like short excerpts and names each
    article once (rag.prompt.evidence_block)."""
    relevant = {s.passage.article.doc_id for s in scored if s.passage.relevance >= min_relevance}
    pools: list[list[int]] = []
    for s in scored:
        top = s.passage.relevance
        if top < min_relevance and s.passage.article.doc_id not in relevant:
            pools.append([])
            continue
        ranking = [
            x + (KIND_BONUS if kind and answer_kind.gives(sentence.text, kind) else 0.0)
            for x, sentence in zip(s.scores, s.sentences)
        ]
        ranked = sorted(range(len(s.sentences)), key=lambda i: -ranking[i])
        pools.append(
            [i for i in ranked if ranking[i] >= KEEP_RATIO * top and len(s.sentences[i].text.split()) >= MIN_WORDS]
        )
    chosen: dict[int, list[int]] = {}
    seen: set[str] = set()
    used_chars = 0
    taken = 0
    round_number = 0
    while taken < max_sentences and any(round_number < len(pool) for pool in pools):
        for rank, pool in enumerate(pools):
            if round_number >= len(pool) or taken >= max_sentences:
                continue
            sentence = scored[rank].sentences[pool[round_number]]
            key = _normal(sentence.text)
            if key in seen:
                continue
            if taken and used_chars + len(sentence.text) > max_chars:
                continue
            seen.add(key)
            chosen.setdefault(rank, []).append(pool[round_number])
            used_chars += len(sentence.text)
            taken += 1
        round_number += 1
    first_rank: dict[str, int] = {}
    for rank in sorted(chosen):
        first_rank.setdefault(scored[rank].passage.article.doc_id, rank)
    picked = [(rank, i) for rank in chosen for i in chosen[rank]]
    picked.sort(key=lambda p: (first_rank[scored[p[0]].passage.article.doc_id], scored[p[0]].sentences[p[1]].start))
    return [
        Evidence(number, scored[rank].passage, scored[rank].sentences[i], scored[rank].scores[i])
        for number, (rank, i) in enumerate(picked, start=1)
    ]


def all_sentences(passage: Passage) -> list[Sentence]:
    return evidence.sentences_of(passage.text, passage.start)


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _passage(number: int, hit: Hit, relevance: float) -> Passage:
    return Passage(number, hit.chunk_id, hit.article, hit.start, hit.end, hit.text, hit.score, relevance=relevance)
