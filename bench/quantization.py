"""The packaged model as shipped (Q4_K_M) against its one-time Q4_0 and Q8_0 requantizations: speed, and
answers on the RealTime QA dev questions, in one run.

    python bench/quantization.py [--rounds 3] [--index-dir DIR --questions dev.jsonl --limit 30]

- speed: each variant loaded in turn, ``rounds`` times interleaved: prefill rate (a ~450-token
  prompt, nothing cached) and generation rate (96 tokens), tokens/s;
- answers (with ``--index-dir``, an index built by ``attest eval``, e.g. the dev subset): the
  first ``--limit`` gold-article questions asked with each variant, each at its question date:
  answered, exact match and token F1 of the short answer, seconds per answer.

Writes bench/results/quantization.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401
from bench.answer_speed import calibrate  # noqa: E402
from index.settings import Settings  # noqa: E402
from rag import metrics, models  # noqa: E402
from rag.eval_data import load_questions  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Answer, Filters  # noqa: E402

VARIANTS = ("q4_k_m", "q4_0", "q8_0")


def answers(settings: Settings, questions: list[Any]) -> dict[str, Any]:
    pipeline = Pipeline(settings)
    rows = []
    for q in questions:
        started = time.perf_counter()
        answer = pipeline.ask(q.question, Filters(as_of=q.question_date or None))
        seconds = time.perf_counter() - started
        short = answer.short or (answer.text if answer.status == Answer.ANSWERED else "")
        rows.append(
            {
                "id": q.id,
                "status": answer.status,
                "short": short,
                "em": metrics.exact_match(short, q.answer),
                "f1": metrics.token_f1(short, q.answer),
                "seconds": seconds,
            }
        )
    return {
        "answered": sum(r["status"] == Answer.ANSWERED for r in rows),
        "em": metrics.mean([r["em"] for r in rows]),
        "f1": metrics.mean([r["f1"] for r in rows]),
        "seconds_p50": statistics.median(r["seconds"] for r in rows),
        "per_question": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3, choices=range(1, 11))
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/dev.jsonl")
    parser.add_argument("--limit", type=int, default=30)
    args = parser.parse_args()
    results: dict[str, Any] = {"speed": {v: [] for v in VARIANTS}}
    for _ in range(args.rounds):
        for variant in VARIANTS:
            llm: Any = models.make_llm(Settings(local_quant=variant))
            results["speed"][variant].append(calibrate(llm))
            del llm
    if args.index_dir:
        gold = [q for q in load_questions(args.questions) if q.has_gold][: args.limit]
        results["answers"] = {v: answers(Settings(data_dir=args.index_dir, local_quant=v), gold) for v in VARIANTS}
    out = ROOT / "bench" / "results" / "quantization.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(table(results))


def table(r: dict[str, Any]) -> str:
    def median(variant: str, key: str) -> float:
        return statistics.median(x[key] for x in r["speed"][variant])

    base_prefill, base_gen = median("q4_k_m", "prefill_tokens_per_s"), median("q4_k_m", "generation_tokens_per_s")
    lines = [
        "| model | prefill tokens/s | vs Q4_K_M | generation tokens/s | vs Q4_K_M |",
        "| --- | --- | --- | --- | --- |",
    ]
    for v in VARIANTS:
        prefill, gen = median(v, "prefill_tokens_per_s"), median(v, "generation_tokens_per_s")
        lines.append(
            f"| {v.upper()} | {prefill:.1f} | {prefill / base_prefill:.2f}x | {gen:.1f} | {gen / base_gen:.2f}x |"
        )
    if "answers" in r:
        lines += ["", "| model | answered | EM | F1 | seconds p50 |", "| --- | --- | --- | --- | --- |"]
        for v, a in r["answers"].items():
            n = len(a["per_question"])
            lines.append(
                f"| {v.upper()} | {a['answered']}/{n} | {a['em']:.3f} | {a['f1']:.3f} | {a['seconds_p50']:.1f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
