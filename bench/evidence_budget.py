"""How big the answer prompt's evidence should be: quality against prompt tokens, in one run.

    python bench/evidence_budget.py --index-dir ~/.attest/eval/after-subset --budgets 1400,900,600 \
        --gold 40 --abstention 30
    python bench/evidence_budget.py --index-dir ~/.attest/eval/after-subset --budgets 1400x8,1400x6

``--index-dir`` is an index that ``attest eval`` built (its questions' gold articles are in it).
For each budget (``ATTEST_ANSWER_EVIDENCE_CHARS``, or ``CHARSxSENTENCES`` to set
``ATTEST_ANSWER_EVIDENCE_SENTENCES`` too), the same local model, loaded once, answers:

- the first ``--gold`` dev questions whose gold article is indexed, at each question's date:
  EM and F1 of the short answer (``attest eval``'s scoring), and how many were answered;
- the first ``--abstention`` of them again with their gold articles hidden (``attest eval``'s
  abstention check): how many end "not in the corpus" (the right outcome), how many are still
  answered with the gold answer from another article, and how many are answered otherwise.

Speed is reported as what a budget costs, not as wall-clock seconds (the machine may be busy):
per answer, the prompt tokens beyond the fixed system prefix (which a warm process keeps
cached) and the generated tokens, and the floor, those prompt tokens / prefill rate + generated
tokens / generation rate, with both rates measured in this run
(``bench/answer_speed.py``'s calibration). Budgets are interleaved question by question, so a
busy spell costs every budget alike. Writes bench/results/evidence_budget.json and prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401  (offline defaults first)
from bench.answer_speed import calibrate  # noqa: E402
from index.settings import Settings  # noqa: E402
from rag import metrics, prompt  # noqa: E402
from rag.answer import Answerer  # noqa: E402
from rag.eval_data import doc_key, load_questions  # noqa: E402
from rag.eval_judges import short_answer  # noqa: E402
from rag.pipeline import Pipeline  # noqa: E402
from rag.types import Answer, Filters  # noqa: E402


def cost(answer: Answer) -> dict[str, float]:
    g = answer.generation
    return {k: g.get(k, 0.0) for k in ("prompt_tokens", "cached_tokens", "generated_tokens")}


def budget_settings(base: Settings, budget: str) -> Settings:
    """``1400`` sets the evidence characters; ``1400x6`` the characters and the sentence cap."""
    chars, _, sentences = budget.partition("x")
    update: dict[str, int] = {"answer_evidence_chars": int(chars)}
    if sentences:
        update["answer_evidence_sentences"] = int(sentences)
    return base.model_copy(update=update)


def add_floor(rows: list[dict[str, Any]], prefix: float, rates: dict[str, float]) -> None:
    """The warm cost of each answer: its prompt beyond the fixed system prefix (which a warm
    process keeps cached; here other calls between answers often evict it) and its answer."""
    for r in rows:
        r["uncached_tokens"] = max(r["prompt_tokens"] - prefix, 0.0) if r["prompt_tokens"] else 0.0
        r["floor_s"] = (
            r["uncached_tokens"] / rates["prefill_tokens_per_s"]
            + r["generated_tokens"] / rates["generation_tokens_per_s"]
        )


def summary(gold: list[dict[str, Any]], hidden: list[dict[str, Any]]) -> dict[str, Any]:
    every = gold + hidden
    asked = [r for r in every if r["prompt_tokens"] > 0]  # "not in the corpus" without an LLM call costs 0
    return {
        "gold_questions": len(gold),
        "answered": sum(r["answered"] for r in gold),
        "em": round(metrics.mean([r["em"] for r in gold]), 4),
        "f1": round(metrics.mean([r["f1"] for r in gold]), 4),
        "abstention_questions": len(hidden),
        "not_in_corpus": sum(not r["answered"] for r in hidden),
        "still_gold_answer": sum(r["answered"] and r["str_em"] > 0 for r in hidden),
        "answered_otherwise": sum(r["answered"] and not r["str_em"] for r in hidden),
        "prompt_tokens_p50": statistics.median(r["prompt_tokens"] for r in asked) if asked else 0,
        "prompt_tokens_p95": metrics.percentile([r["prompt_tokens"] for r in asked], 95) if asked else 0,
        "uncached_tokens_p50": statistics.median(r["uncached_tokens"] for r in asked) if asked else 0,
        "generated_tokens_p50": statistics.median(r["generated_tokens"] for r in asked) if asked else 0,
        "floor_s_p50": round(statistics.median(r["floor_s"] for r in asked), 2) if asked else 0.0,
        "floor_s_p95": round(metrics.percentile([r["floor_s"] for r in asked], 95), 2) if asked else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/dev.jsonl")
    parser.add_argument(
        "--budgets", default="1400,900,600", help="evidence characters (or CHARSxSENTENCES), comma-separated"
    )
    parser.add_argument("--gold", type=int, default=40, help="gold-article questions to answer")
    parser.add_argument("--abstention", type=int, default=30, help="of them, asked again without their gold")
    args = parser.parse_args()
    budgets = [b.strip() for b in args.budgets.split(",") if b.strip()]

    base = Settings(data_dir=args.index_dir)
    pipeline = Pipeline(base)
    retriever, llm, embedder, judge = pipeline.retriever, pipeline.llm, pipeline.embedder, pipeline.judge
    retriever.check_ready()
    rates = calibrate(llm)
    # The fixed start of every answer prompt (system message and evidence header), which a warm
    # process keeps cached; counted with the chat template's few closing tokens, so a slight over-count.
    llm.complete(prompt.prefix_messages(), max_tokens=1)
    prefix = float(llm.last_stats.prompt_tokens) if llm.last_stats else 0.0
    by_key = {doc_key(r.article): r.doc_id for r in pipeline.store.documents()}
    questions = [q for q in load_questions(args.questions) if q.has_gold and any(d in by_key for d in q.doc_ids)]
    questions = questions[: args.gold]
    answerers = {b: Answerer(budget_settings(base, b), retriever, llm, embedder, judge) for b in budgets}
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {b: {"gold": [], "hidden": []} for b in budgets}

    for number, q in enumerate(questions):
        filters = Filters(as_of=q.question_date or None)
        for b in budgets:
            answer = answerers[b].ask(q.question, filters)
            answered = answer.status == Answer.ANSWERED
            short = (answer.short or short_answer(llm, q.question, answer)) if answered else ""
            rows[b]["gold"].append(
                {
                    "id": q.id,
                    "answered": answered,
                    "short": short,
                    "em": metrics.exact_match(short, q.answer) if answered else 0.0,
                    "f1": metrics.token_f1(short, q.answer) if answered else 0.0,
                    **cost(answer),
                }
            )
        if number < args.abstention:
            removed = {by_key[d] for d in q.doc_ids if d in by_key}
            hidden_retriever = retriever.without(removed)
            for b in budgets:
                answerer = Answerer(answerers[b].settings, hidden_retriever, llm, embedder, judge)
                answer = answerer.ask(q.question, filters)
                answered = answer.status == Answer.ANSWERED
                rows[b]["hidden"].append(
                    {
                        "id": q.id,
                        "answered": answered,
                        "answer": answer.text,
                        "str_em": metrics.contains_answer(answer.text, q.answer) if answered else 0.0,
                        **cost(answer),
                    }
                )
        line = " / ".join(f"{b}: {rows[b]['gold'][-1]['short']!r}" for b in budgets)
        print(f"{number + 1}/{len(questions)} {q.id}: {line} (gold {q.answer!r})", file=sys.stderr, flush=True)

    every = [r for b in budgets for part in rows[b].values() for r in part]
    add_floor(every, prefix, rates)
    results = {
        "index": str(args.index_dir),
        "calibration": rates,
        "system_prefix_tokens": prefix,
        "summary": {b: summary(rows[b]["gold"], rows[b]["hidden"]) for b in budgets},
        "rows": rows,
    }
    out = ROOT / "bench" / "results" / "evidence_budget.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))


def table(r: dict[str, Any]) -> str:
    cal = r["calibration"]
    lines = [
        f"Index: {r['index']}. Calibration: prefill {cal['prefill_tokens_per_s']:.1f} tokens/s, "
        f"generation {cal['generation_tokens_per_s']:.1f} tokens/s; "
        f"system prefix {r['system_prefix_tokens']:.0f} tokens.",
        "",
        "| evidence chars | answered | EM | F1 | abstained | still gold | answered otherwise "
        "| prompt tokens p50 / p95 | beyond the prefix p50 | generated p50 | floor s p50 / p95 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for budget, s in r["summary"].items():
        lines.append(
            f"| {budget} | {s['answered']}/{s['gold_questions']} | {s['em']:.3f} | {s['f1']:.3f} "
            f"| {s['not_in_corpus']}/{s['abstention_questions']} | {s['still_gold_answer']} "
            f"| {s['answered_otherwise']} | {s['prompt_tokens_p50']:.0f} / {s['prompt_tokens_p95']:.0f} "
            f"| {s['uncached_tokens_p50']:.0f} | {s['generated_tokens_p50']:.0f} "
            f"| {s['floor_s_p50']:.2f} / {s['floor_s_p95']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
