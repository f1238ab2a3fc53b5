"""Latency of the embedded default over seeds/: ingest, cold and warm `attest ask`.

    python bench/latency.py [--repeats 3]

Speed figures come with a baseline measured in the same run:
- warm answer latency vs. a prompt holding the whole retrieved chunks instead of the selected
  sentences (what Attest's sentence selection saves);
- ingest with the default 1 embedder thread vs. 2 threads.
Writes bench/results/latency.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401
from index.settings import Settings  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402

QUESTION = "What did the Kremlin say about the SCO?"
# Warm runs ask different questions: llama.cpp reuses the KV cache of a repeated prompt prefix,
# so asking the same question again would measure a cache hit, not a warm answer.
WARM_QUESTIONS = [
    "Why was Putin's planned visit to Pakistan cancelled?",
    "What did Russia and Pakistan agree about Afghanistan?",
    "What weapons does Pakistan want from Russia?",
    "What did Lavrov say about mediators in Afghanistan?",
    "What did Mikhail Popov discuss in Islamabad?",
]


def cli(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(["attest", *args], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return time.perf_counter() - started, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3, choices=range(1, 6))
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ATTEST_DATA_DIR": str(Path(tmp) / "cli")}
        results["cli_ingest_seconds"], _ = cli(env, "ingest", "seeds", "--no-progress")
        cold_wall, out = cli(env, "ask", QUESTION, "--json")
        cold = json.loads(out)
        results["cli_ask_cold"] = {"wall": cold_wall, **cold["timings"]}
        results["cli_ask_cold_status"] = cold["status"]

        for threads in (1, 2):
            settings = Settings(data_dir=Path(tmp) / f"t{threads}", embed_threads=threads)
            pipeline = Pipeline(settings)
            pipeline.embedder.embed(["warm up"])
            report = pipeline.ingest([ROOT / "seeds"])
            results[f"ingest_embed_threads_{threads}"] = {
                "seconds": report.seconds,
                "chunks": report.chunks_embedded,
                "chunks_per_second": report.chunks_per_second,
            }

        settings = Settings(data_dir=Path(tmp) / "t1")
        for label, per_passage in (("selected_sentences", settings.prompt_sentences_per_passage), ("whole_chunks", 99)):
            pipeline = Pipeline(settings.model_copy(update={"prompt_sentences_per_passage": per_passage}))
            pipeline.ask(QUESTION)  # load and warm the model
            runs = [pipeline.ask(q) for q in WARM_QUESTIONS[: args.repeats]]
            results[f"warm_{label}"] = {
                "first_token_median": statistics.median(r.timings.get("first_token", 0) for r in runs),
                "total_median": statistics.median(r.timings["total"] for r in runs),
                "statuses": [r.status for r in runs],
                "citations": [len(r.citations) for r in runs],
            }
            del pipeline
        not_found = Pipeline(settings).ask("Who won the 2022 World Cup?")
        results["not_found_total"] = not_found.timings["total"]
    sel, whole = results["warm_selected_sentences"], results["warm_whole_chunks"]
    t1, t2 = results["ingest_embed_threads_1"], results["ingest_embed_threads_2"]
    results["ratios"] = {
        "whole_chunks_over_selected_total": whole["total_median"] / sel["total_median"],
        "whole_chunks_over_selected_first_token": whole["first_token_median"] / sel["first_token_median"],
        "ingest_1_thread_over_2_threads_seconds": t1["seconds"] / t2["seconds"],
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latency.json").write_text(json.dumps(results, indent=2))
    c = results["cli_ask_cold"]
    ratio = results["ratios"]["whole_chunks_over_selected_total"]
    rows = [
        ("`attest ingest seeds` (5 files, process wall time)", f"{results['cli_ingest_seconds']:.1f} s"),
        ("ingest seeds in-process, 1 / 2 embedder threads", f"{t1['seconds']:.2f} s / {t2['seconds']:.2f} s"),
        (
            "`attest ask` cold: wall / first token / answer",
            f"{c['wall']:.1f} s / {c.get('first_token', 0):.1f} s / {c['total']:.1f} s",
        ),
        (
            "warm ask (selected sentences): first token / answer",
            f"{sel['first_token_median']:.1f} s / {sel['total_median']:.1f} s",
        ),
        (
            "warm ask baseline (whole chunks): first token / answer",
            f"{whole['first_token_median']:.1f} s / {whole['total_median']:.1f} s",
        ),
        ("baseline / Attest, answer time", f"{ratio:.2f}x"),
        ("not-in-corpus answer (no LLM call)", f"{results['not_found_total']:.2f} s"),
    ]
    print("| measure | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
