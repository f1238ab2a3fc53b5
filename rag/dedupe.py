"""Collapse near-duplicate passages: the same sentences in two chunks (a syndicated copy of a
story, a page saved twice, boilerplate repeated across pages) should not fill the top-k twice.

Two texts are copies when most of the shorter one's 5-word shingles also occur in the other
(containment, which also catches a chunk cut at different sentence boundaries in a copy).
The first (best-ranked) of a group is kept; the others are recorded as its copies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
_WORD = re.compile(r"[a-z0-9]+")
SHINGLE = 5


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    """Hashes of the text's ``size``-word windows (a shorter text: one window of all its words)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return frozenset({hash(" ".join(words))}) if words else frozenset()
    return frozenset(hash(" ".join(words[i : i + size])) for i in range(len(words) - size + 1))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set found in the larger one (0 when either is empty)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def collapse(
    items: Sequence[T], text: Callable[[T], str], threshold: float = 0.8, limit: int | None = None
) -> list[tuple[T, list[T]]]:
    """Walk ``items`` best first; each one that is a copy of an item already kept (containment at
    least ``threshold``) joins that item's copies instead of being kept. Stops after ``limit`` kept."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    kept: list[tuple[T, list[T], frozenset[int]]] = []
    for item in items:
        signature = shingles(text(item))
        for _, copies, other in kept:
            if containment(signature, other) >= threshold:
                copies.append(item)
                break
        else:
            if limit is not None and len(kept) >= limit:
                continue  # past the limit: only gather the copies of what is kept
            kept.append((item, [], signature))
    return [(item, copies) for item, copies, _ in kept]
