"""Combining ranked lists: reciprocal rank fusion (Cormack et al. 2009) and a recency prior.

RRF needs no score calibration between a cosine similarity and a BM25 score: each list adds
``weight / (k + rank)`` to an item's score, so an item ranked well by both lists wins.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from datetime import date
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def reciprocal_rank(
    rankings: Sequence[Sequence[K]], weights: Sequence[float] | None = None, k: int = 60
) -> dict[K, float]:
    """``{item: sum over lists of weight / (k + rank)}`` with ranks from 1; an item absent from a list
    gets nothing from it. Items keep the order in which they were first seen (for stable ties)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("give one weight per ranked list")
    scores: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def ordered(scores: dict[K, float]) -> list[K]:
    """Items by score, best first; equal scores keep their first-seen order."""
    position = {item: i for i, item in enumerate(scores)}
    return sorted(scores, key=lambda item: (-scores[item], position[item]))


def day_number(iso: str) -> int:
    """``"2022-06-16"`` -> days since 0001-01-01; 0 when unknown."""
    try:
        return date.fromisoformat(iso).toordinal() if iso else 0
    except ValueError:
        return 0


def names_a_year(query: str) -> bool:
    """``"When did they meet in 2018?"`` asks about its own time: no recency preference for it."""
    return bool(_YEAR.search(query))


_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def recency_factor(published: str, reference: str, half_life_days: float) -> float:
    """``0.5 ** (age / half_life)`` for an article ``age`` days older than ``reference`` (1.0 for one
    published on or after it, and when the half-life is 0: no preference). An undated article
    counts as one half-life old."""
    if half_life_days <= 0 or not reference:
        return 1.0
    ref, day = day_number(reference), day_number(published)
    if not ref:
        return 1.0
    if not day:
        return 0.5
    return float(0.5 ** (max(0, ref - day) / half_life_days))
