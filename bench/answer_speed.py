"""How fast the default local stack answers on seeds/, against its floor and baselines in one run.

    python bench/answer_speed.py [--runs 3] [--baseline-rev REV] [--skip engine,previous,ingest,fresh]

Everything below is measured in the same run, on a quiet machine (close other work first):

- calibration: the model's prefill rate (a ~450-token prompt of which nothing is cached) and its
  generation rate (96 tokens of free text), tokens per second;
- warm answers (a long-running process: the web UI, the API): five different questions asked
  ``runs`` times in rotation; evidence ready, first answer words, complete validated answer;
  prompt, cached and generated tokens; the floor = uncached prompt tokens / prefill rate +
  generated tokens / generation rate, and answer time / floor;
- fresh ``attest ask`` processes: wall time to the complete answer (``runs`` times);
- the previous answering path (``--baseline-rev``, a git revision run from a temporary worktree
  with its own index of seeds/): warm answers to the same questions and a fresh process;
- LlamaIndex ``CitationQueryEngine`` (bench/citation_engine.py) over the same collection with
  the same LLM and embedder, its defaults: seconds per answer on the same questions;
- answering while an ingest runs in another process (30 changed copies of seeds/), with the CPU
  budget (index/cpu.py) and without it: answer time / quiet answer time.

Writes bench/results/answer_speed.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
from bench.worktree import checkout  # noqa: E402
from index.settings import Settings  # noqa: E402
from rag.eval_data import load_questions  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Filters  # noqa: E402

QUESTIONS = [
    "What did the Kremlin say about the SCO?",
    "Why was Putin's planned visit to Pakistan cancelled?",
    "What did Russia and Pakistan agree about Afghanistan?",
    "What weapons does Pakistan want from Russia?",
    "Where did Imran Khan meet Putin informally?",
]
DEFAULT_BASELINE = "91edd24"  # the last commit before the evidence-first answering path

CALIBRATION_TEXT = (
    "The committee met on a rainy Tuesday to review the budget for the new library, the repairs to the "
    "bridge on the river road, and a proposal to extend the bus line to the northern villages. "
) * 12

# Asks the questions warm in a process of the given source tree (old or new); prints JSON timings.
WARM_SCRIPT = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import index
from index.settings import Settings
from rag.pipeline import Pipeline
pipeline = Pipeline(Settings())
pipeline.ingest([__import__("pathlib").Path(sys.argv[2])])
pipeline.ask("Who is the president of Russia?")  # load the model and caches
out = []
for question in json.loads(sys.argv[3]):
    started = time.perf_counter()
    answer = pipeline.ask(question)
    out.append({"question": question, "seconds": time.perf_counter() - started, "status": answer.status,
                "answer": answer.text})
print(json.dumps(out))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def calibrate(llm: Any) -> dict[str, float]:
    """Prefill and generation rates of the loaded model (tokens/s), nothing cached."""
    llm.complete([{"role": "user", "content": "Say hello."}], max_tokens=4)
    llm.complete([{"role": "user", "content": f"Summarise in one line: {CALIBRATION_TEXT}"}], max_tokens=1)
    prefill = llm.last_stats
    llm.complete([{"role": "user", "content": "Write a long story about a lighthouse keeper."}], max_tokens=96)
    generation = llm.last_stats
    return {
        "prefill_tokens": prefill.prompt_tokens - prefill.cached_tokens,
        "prefill_tokens_per_s": (prefill.prompt_tokens - prefill.cached_tokens) / prefill.prefill_seconds,
        "generation_tokens": generation.generated_tokens,
        "generation_tokens_per_s": (generation.generated_tokens - 1) / generation.generation_seconds,
    }


def warm_answers(
    pipeline: Pipeline, runs: int, rates: dict[str, float], asked: list[tuple[str, Filters]] | None = None
) -> list[dict[str, Any]]:
    rows = []
    for _ in range(runs):
        for question, filters in asked or [(q, Filters()) for q in QUESTIONS]:
            started = time.perf_counter()
            answer = pipeline.ask(question, filters)
            total = time.perf_counter() - started
            g, t = answer.generation, answer.timings
            uncached = g.get("prompt_tokens", 0) - g.get("cached_tokens", 0)
            floor = (
                uncached / rates["prefill_tokens_per_s"]
                + g.get("generated_tokens", 0) / rates["generation_tokens_per_s"]
            )
            rows.append(
                {
                    "question": question,
                    "status": answer.status,
                    "short": answer.short,
                    "answer": answer.text,
                    "evidence_s": t.get("evidence"),
                    "first_words_s": t.get("first_words"),
                    "total_s": total,
                    **{k: g.get(k, 0.0) for k in ("prompt_tokens", "cached_tokens", "generated_tokens")},
                    "prefill_s": g.get("prefill_seconds", 0.0),
                    "generation_s": g.get("generation_seconds", 0.0),
                    "judge_s": t.get("judge", 0.0),
                    "floor_s": floor,
                    "over_floor": total / floor if floor else None,
                }
            )
    return rows


def fresh_processes(env: dict[str, str], runs: int, python_path: str | None = None) -> list[float]:
    walls = []
    for i in range(runs):
        question = QUESTIONS[i % len(QUESTIONS)]
        if python_path:
            command = [
                sys.executable,
                "-c",
                "import sys, importlib, importlib.util; sys.path.insert(0, sys.argv.pop(1));"
                " cli = 'ui.cli' if importlib.util.find_spec('ui.cli') else 'rag.cli';"
                " main = importlib.import_module(cli).main;"
                " sys.argv[0] = 'attest'; main()",
                python_path,
                "ask",
                question,
            ]
        else:
            command = [sys.executable, "-m", "ui.cli", "ask", question]
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
        walls.append(time.perf_counter() - started)
    return walls


def previous_version(rev: str, tmp: Path, runs: int) -> dict[str, Any]:
    with checkout(rev, tmp / "previous") as tree:
        env = {**os.environ, "ATTEST_DATA_DIR": str(tmp / "previous-data")}
        warm = subprocess.run(
            [sys.executable, "-c", WARM_SCRIPT, str(tree), str(tree / "seeds"), json.dumps(QUESTIONS * runs)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tree,
        )
        rows = json.loads(warm.stdout.strip().splitlines()[-1])
        fresh = fresh_processes(env, runs, python_path=str(tree))
        return {"rev": rev, "warm": rows, "fresh_walls": fresh}


def copies_of_seeds(target: Path, copies: int) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for n in range(copies):
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            changed = "\n".join(f"{line} (copy {n})" if line.strip() else line for line in text.splitlines())
            (target / f"{n:03d}_{path.name}").write_text(changed, encoding="utf-8")
    return target


def under_ingest(pipeline: Pipeline, tmp: Path, budget: bool, quiet: dict[str, float]) -> dict[str, Any]:
    """Answer the questions while `attest ingest` embeds 30 changed copies of seeds/ in another process."""
    folder = copies_of_seeds(tmp / "copies", 30)
    env = {**os.environ, "ATTEST_DATA_DIR": str(tmp / f"ingest-{budget}")}
    if not budget:
        env["ATTEST_CPU_LOCK"] = ""
    saved = pipeline.budget.lock_path
    if not budget:
        pipeline.budget.lock_path = None
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ingest", str(folder), "--no-progress"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(6)  # imports done, embedding under way
        rows = []
        for question in QUESTIONS[1:4]:
            started = time.perf_counter()
            pipeline.ask(question)
            seconds = time.perf_counter() - started
            rows.append({"question": question, "seconds": seconds, "over_quiet": seconds / quiet[question]})
        still_running = proc.poll() is None
    finally:
        proc.wait()
        pipeline.budget.lock_path = saved
        shutil.rmtree(env["ATTEST_DATA_DIR"], ignore_errors=True)
    return {"budget": budget, "answers": rows, "ingest_still_running_at_end": still_running}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, choices=range(1, 11))
    parser.add_argument("--baseline-rev", default=DEFAULT_BASELINE)
    parser.add_argument("--skip", default="", help="comma-separated: engine, previous, ingest, fresh")
    parser.add_argument("--index-dir", type=Path, default=None, help="also: warm answers on an `attest eval` index")
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/dev.jsonl")
    parser.add_argument("--limit", type=int, default=20, help="with --index-dir: its first N gold questions")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    results: dict[str, Any] = {"questions": QUESTIONS, "runs": args.runs}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = {**os.environ, "ATTEST_DATA_DIR": str(tmp / "data")}
        settings = Settings(data_dir=tmp / "data")
        pipeline = Pipeline(settings)
        pipeline.ingest([ROOT / "seeds"])
        pipeline.ask("Who is the president of Russia?")  # load the model, the embedder and the BM25 matrix
        results["calibration"] = rates = calibrate(pipeline.llm)
        results["warm"] = warm = warm_answers(pipeline, args.runs, rates)
        quiet = {q: statistics.median(r["total_s"] for r in warm if r["question"] == q) for q in QUESTIONS}
        if "fresh" not in skip:
            results["fresh_walls"] = fresh_processes(env, args.runs)
        if "engine" not in skip:
            from bench.citation_engine import CitationEngine

            engine = CitationEngine(pipeline)
            results["citation_engine"] = [
                {"question": q, "seconds": (a := engine.ask(q)).seconds, "answer": a.text}
                for q in QUESTIONS * args.runs
            ]
        if "ingest" not in skip:
            results["under_ingest"] = [
                under_ingest(pipeline, tmp, True, quiet),
                under_ingest(pipeline, tmp, False, quiet),
            ]
        if "previous" not in skip:
            results["previous"] = previous_version(args.baseline_rev, tmp, args.runs)
    if args.index_dir:  # the same warm measures on news QA questions, each at its question date
        dev = Pipeline(Settings(data_dir=args.index_dir), llm=pipeline.llm, embedder=pipeline.embedder)
        gold = [q for q in load_questions(args.questions) if q.has_gold][: args.limit]
        asked = [(q.question, Filters(as_of=q.question_date or None)) for q in gold]
        dev.ask(asked[0][0], asked[0][1])  # load the index and its BM25 matrix
        results["dev_index"] = str(args.index_dir)
        results["dev_warm"] = warm_answers(dev, 1, rates, asked)
    out = ROOT / "bench" / "results" / "answer_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(table(results))


def table(r: dict[str, Any]) -> str:
    warm = r["warm"]
    cal = r["calibration"]

    def col(key: str, rows: list[dict[str, Any]] = warm) -> list[float]:
        return [row[key] for row in rows if row.get(key) is not None]

    dev = r.get("dev_warm", [])
    lines = [
        f"Calibration: prefill {cal['prefill_tokens_per_s']:.1f} tokens/s ({cal['prefill_tokens']} tokens), "
        f"generation {cal['generation_tokens_per_s']:.1f} tokens/s.",
        "",
        "| warm answers | seeds/ p50 | p95 |" + (f" dev ({len(dev)} q) p50 | p95 |" if dev else ""),
        "| --- | --- | --- |" + (" --- | --- |" if dev else ""),
    ]
    for key, label in (
        ("evidence_s", "evidence on screen, s"),
        ("first_words_s", "first answer words, s"),
        ("total_s", "complete validated answer, s"),
        ("prompt_tokens", "prompt tokens"),
        ("cached_tokens", "of which cached"),
        ("prefill_s", "prefill, s"),
        ("generated_tokens", "generated tokens"),
        ("generation_s", "generation, s"),
        ("judge_s", "answer judge, s"),
        ("over_floor", "answer time / floor"),
    ):
        values = col(key)
        line = f"| {label} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} |"
        if dev:
            line += f" {percentile(col(key, dev), 50):.2f} | {percentile(col(key, dev), 95):.2f} |"
        lines.append(line)
    answered = sum(1 for row in warm if row["status"] == "answered")
    line = f"| answered | {answered}/{len(warm)} | |"
    if dev:
        line += f" {sum(1 for row in dev if row['status'] == 'answered')}/{len(dev)} | |"
    lines.append(line)
    attest_p50 = percentile(col("total_s"), 50)
    lines += [
        "",
        "| baseline, same questions, same run | seconds p50 | p95 | that / Attest (p50) |",
        "| --- | --- | --- | --- |",
    ]
    lines.append(f"| Attest, warm | {attest_p50:.1f} | {percentile(col('total_s'), 95):.1f} | 1.00x |")
    if "fresh_walls" in r:
        f = r["fresh_walls"]
        lines.append(
            f"| Attest, fresh `attest ask` process | {percentile(f, 50):.1f} | {percentile(f, 95):.1f} | "
            f"{percentile(f, 50) / attest_p50:.2f}x |"
        )
    if "previous" in r:
        prev = [row["seconds"] for row in r["previous"]["warm"]]
        lines.append(
            f"| previous answering path ({r['previous']['rev']}), warm | {percentile(prev, 50):.1f} | "
            f"{percentile(prev, 95):.1f} | {percentile(prev, 50) / attest_p50:.2f}x |"
        )
        pf = r["previous"]["fresh_walls"]
        lines.append(
            f"| previous answering path, fresh process | {percentile(pf, 50):.1f} | "
            f"{percentile(pf, 95):.1f} | {percentile(pf, 50) / attest_p50:.2f}x |"
        )
    if "citation_engine" in r:
        ce = [row["seconds"] for row in r["citation_engine"]]
        lines.append(
            f"| LlamaIndex CitationQueryEngine (defaults), warm | {percentile(ce, 50):.1f} | "
            f"{percentile(ce, 95):.1f} | {percentile(ce, 50) / attest_p50:.2f}x |"
        )
    for run in r.get("under_ingest", []):
        ratios = [a["over_quiet"] for a in run["answers"]]
        label = "with the CPU budget" if run["budget"] else "without the CPU budget"
        lines.append(
            f"| answering while an ingest runs, {label} | "
            f"{statistics.median(a['seconds'] for a in run['answers']):.1f} | "
            f"{max(a['seconds'] for a in run['answers']):.1f} | answer / quiet: median "
            f"{statistics.median(ratios):.2f}x, max {max(ratios):.2f}x |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
