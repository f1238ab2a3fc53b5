"""The batch-built BM25 matrix scores exactly as bm25s's own index does, and survives save/load."""

from __future__ import annotations

import random
from pathlib import Path

import bm25s
import numpy as np

from index.bm25_matrix import MatrixBuilder

WORDS = [f"w{i}" for i in range(400)]


def corpus(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        length = rng.randint(0, 60)  # empty rows too
        docs.append(" ".join(rng.choice(WORDS[: rng.randint(5, 400)]) for _ in range(length)))
    return docs


def test_scores_match_bm25s_index_for_every_query(tmp_path: Path) -> None:
    docs = corpus(700)
    reference = bm25s.BM25(k1=1.2, b=0.75)
    reference.index([d.split() for d in docs], show_progress=False)
    builder = MatrixBuilder(k1=1.2, b=0.75)
    for first in range(0, len(docs), 128):  # in batches, as LexicalIndex feeds it
        builder.add(docs[first : first + 128])
    model = builder.model()
    rng = random.Random(3)
    for _ in range(40):
        query = rng.sample(WORDS, rng.randint(1, 6))
        ids = [reference.vocab_dict[w] for w in query if w in reference.vocab_dict]
        mine = [model.vocab_dict[w] for w in query if w in model.vocab_dict]
        expected = reference.get_scores(ids) if ids else np.zeros(len(docs))
        got = model.get_scores(mine) if mine else np.zeros(len(docs))
        assert np.allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert set(model.vocab_dict) == set(reference.vocab_dict)

    model.save(str(tmp_path), show_progress=False)
    loaded = bm25s.BM25.load(str(tmp_path), mmap=True, show_progress=False)
    ids = [loaded.vocab_dict[w] for w in ("w1", "w2", "w3")]
    assert np.allclose(loaded.get_scores(ids), model.get_scores(ids))


def test_no_rows_means_no_model() -> None:
    assert MatrixBuilder(k1=1.2, b=0.75).model() is None
