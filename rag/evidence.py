"""Sentence-level evidence: which sentences of a passage match a query or a claim, and how well.

A match score mixes the embedding cosine with lexical recall of the claim's content words, so
that neither a paraphrase nor a shared keyword alone decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from index import sentences as splitter
from index.embedding import Embedder
from rag import lexical
from rag.types import Sentence

LEXICAL_WEIGHT = 0.5

#: A news dateline opening an article's first sentence: an optional place ("Kyiv, Ukraine",
#: "ST. PETERSBURG, Fla.") and the outlet in brackets ("(CNN)", "(AP) —"), then the sentence itself.
#: "Hyundai Motor America (Hyundai) said" is no dateline: the sentence must go on with a capital.
_DATELINE = re.compile(
    r"(?:[A-Z][\w.'’-]*(?:,?[ ]+[A-Z][\w.'’-]*){0,4},?[ ]+)?"
    r"\([A-Z][\w&.]*(?:[ ][A-Z][\w&.]*){0,2}\)[ \t]*(?:[-–—]+[ \t]*)?"
    r"(?=[A-Z0-9\"“‘'])"
)
#: A dateline standing alone before the first paragraph: "CNN —", "Washington CNN —", "New York
#: CNN Business —" (a few capitalised words and a dash, nothing else).
_DATELINE_ALONE = re.compile(r"(?:[A-Z][\w.'’-]*,?[ ]+){0,7}[A-Z][\w.'’-]*[ ]*[-–—]+")


def sentences_of(text: str, offset: int) -> list[Sentence]:
    """The sentences of a passage (``text`` starting at ``offset`` in its document), a leading news
    dateline left out: "(CNN) Getting sick ..." is quoted from "Getting sick", so "(CNN)" can
    neither be shown to the model as what the sentence says nor support an answer "CNN"; a
    dateline that stands alone ("Washington CNN —") is no sentence."""
    out: list[Sentence] = []
    for span in splitter.split(text, offset):
        if _DATELINE_ALONE.fullmatch(span.text):
            continue
        dateline = _DATELINE.match(span.text)
        cut = dateline.end() if dateline else 0
        if cut < len(span.text):
            out.append(Sentence(span.start + cut, span.end, span.text[cut:]))
    return out


def match_scores(
    embedder: Embedder, claims: Sequence[str], candidates: Sequence[Sentence], aliases: dict[str, str] | None = None
) -> np.ndarray:
    """``scores[i, j]``: how well candidate sentence j states claim i (0..1).

    ``aliases`` (acronym -> long form, see :func:`lexical.acronyms`) let "SCO" match "Shanghai
    Cooperation Organization": lexically, and by also embedding the claim with its long forms."""
    if not claims or not candidates:
        return np.zeros((len(claims), len(candidates)), dtype=np.float32)
    expanded = [lexical.expand_acronyms(claim, aliases or {}) for claim in claims]
    vectors = embedder.embed([*claims, *expanded, *(c.text for c in candidates)])
    n = len(claims)
    candidate_vectors = vectors[2 * n :]
    cosine = np.maximum(vectors[:n] @ candidate_vectors.T, vectors[n : 2 * n] @ candidate_vectors.T)
    cosine = np.clip(cosine, 0.0, 1.0)
    lex = np.array([[lexical.recall(claim, c.text, aliases) for c in candidates] for claim in claims], dtype=np.float32)
    return (1 - LEXICAL_WEIGHT) * cosine + LEXICAL_WEIGHT * lex


def windows(candidates: Sequence[Sentence], text: str, offset: int, width: int = 2) -> list[Sentence]:
    """Each sentence, and each run of up to ``width`` adjacent sentences (claims often span two).
    ``text`` is the passage whose first character sits at ``offset`` in the document."""
    out = list(candidates)
    for size in range(2, width + 1):
        for first in range(len(candidates) - size + 1):
            run = candidates[first : first + size]
            if all(b.start >= a.end for a, b in zip(run, run[1:])) and run[-1].start - run[0].end < 5 * size:
                start, end = run[0].start, run[-1].end
                out.append(Sentence(start, end, text[start - offset : end - offset]))
    return out
