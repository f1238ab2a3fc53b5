"""The evaluation report as JSON and as Markdown tables (retrieval, answers, abstention, ingest)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

REFERENCE = {"hits@10": 0.556, "mrr@10": 0.487, "em": 0.464, "f1": 0.567}


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables (retrieval, answers, abstention, ingest)."""
    lines: list[str] = []
    corpus, questions = report["corpus"], report["questions"]
    subset = corpus.get("subset")
    what = f"{corpus['articles']:,} articles, {corpus['chunks']:,} chunks"
    if subset:
        what += f" (gold articles of the selected questions + {subset['distractors']} distractors)"
    lines.append(f"Corpus: {corpus['corpus']} \u2014 {what}.")
    lines.append(
        f"Questions: {questions['path']} \u2014 {questions['selected']} of {questions['in_file']} selected, "
        f"{questions['with_gold_articles']} with gold articles."
    )
    if report.get("command"):
        lines.append(f"Command: `{report['command']}`")
    lines += [
        "",
        "| retrieval | Hits@1 | Hits@4 | Hits@10 | MRR@10 | p50 / p95 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in report["retrieval"].items():
        lines.append(
            f"| {name} | {r['hits@1']:.3f} | {r['hits@4']:.3f} | {r['hits@10']:.3f} | {r['mrr@10']:.3f} | "
            f"{r['latency_ms_p50']:.0f} / {r['latency_ms_p95']:.0f} |"
        )
    lines.append(
        f"| reference: Google search (data README) | | | {REFERENCE['hits@10']:.3f} | {REFERENCE['mrr@10']:.3f} | |"
    )
    answers = report.get("answers")
    if answers:
        mc = f"{answers['mc_accuracy']:.3f} ({answers['mc_questions']})" if answers["mc_accuracy"] is not None else "-"
        lines += [
            "",
            f"Answers: {answers['questions']} gold-article questions, LLM {report['settings']['llm']}; "
            f"citation judge: {answers['judge']}.",
            "",
            "| answers | EM | F1 | STR-EM | MC accuracy | citation recall | citation precision | "
            "cited, not retrieved | answered | p50 / p95 s |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            f"| Attest | {answers['em']:.3f} | {answers['f1']:.3f} | {answers['str_em']:.3f} | {mc} | "
            f"{answers['citation_recall']:.3f} | {answers['citation_precision']:.3f} | "
            f"{answers['citations_not_retrieved']} | {answers['answered']}/{answers['questions']} | "
            f"{answers['latency_s_p50']:.1f} / {answers['latency_s_p95']:.1f} |",
            f"| reference: GPT-3 + Google search (data README) | {REFERENCE['em']:.3f} | {REFERENCE['f1']:.3f} "
            "| | | | | | | |",
        ]
    abstention = report.get("abstention")
    if abstention:
        lines += [
            "",
            f"Abstention: {abstention['questions']} gold-article questions asked with their gold articles removed: "
            f"'not in the corpus' {abstention['not_in_corpus_rate']:.3f}; answered with the gold answer from "
            f"another article {abstention['answered_with_gold_answer']}; answered otherwise "
            f"{abstention['answered_otherwise']} ({abstention.get('answered_otherwise_sharing_gold_words', '?')} of "
            "them sharing words with the gold answer; each answer's quotes are in the JSON report).",
        ]
    run = corpus["this_run"]
    ingest = (
        f"Ingest (this run): {run['added']} added, {run['unchanged']} unchanged, {run['chunks_embedded']} chunks "
        f"embedded in {run['seconds']:.0f} s"
    )
    if run["chunks_embedded"]:
        ingest += f" ({run['chunks_per_second']:.1f} chunks/s)"
    if corpus.get("all_runs_chunks_per_second"):
        ingest += f"; all runs into this index: {corpus['all_runs_chunks_per_second']:.1f} chunks/s"
    lines += ["", ingest + "."]
    return "\n".join(lines)


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")
