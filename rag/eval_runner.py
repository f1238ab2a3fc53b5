"""``attest eval``: how well Attest finds, answers and cites on a news QA set (RealTime QA format).

The corpus is ingested into the evaluation's own index (incrementally: a second run embeds
nothing), then for the selected questions:

- retrieval: document-level Hits@1/4/10 and MRR@10 on questions whose gold articles are known
  (``doc_ids``), for Attest's settings with each question's date as the as-of date, and, as
  baselines, dense only, BM25 only and hybrid without dates;
- answers (the LLM): exact match and token F1 of a short answer taken from Attest's cited answer,
  ALCE STR-EM (the gold answer occurs in the cited answer), multiple-choice accuracy (the model
  picks among ``choices`` from the retrieved passages), ALCE citation recall and precision judged
  by a pluggable entailment judge, and citations to passages that were not retrieved;
- abstention: answers to gold-article questions with their gold articles removed from the index
  (searched as if deleted), where "not in the corpus" is the right reply unless another article
  carries the answer;
- latency per question (p50/p95) and ingest throughput.

The data is read by rag/eval_data.py, the LLM judges are in rag/eval_judges.py, and the report
is turned into Markdown by rag/eval_report.py.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.ingest import IngestReport
from index.settings import Settings
from rag import eval_judges, metrics, models, passages
from rag.answer import Answerer
from rag.containment import is_short
from rag.eval_data import EvalError, EvalQuestion, doc_key, load_questions, ranked_articles, write_subset
from rag.eval_judges import LLMEntailment, as_claim, as_premise, cited_relevance, pick_choice, short_answer
from rag.judge import Judge
from rag.llm import LLM
from rag.rerank import LLMReranker
from rag.retrieve import Retriever
from rag.types import Answer, Filters

RANK_DEPTH = 10  # Hits@k and MRR@k look at the first 10 distinct articles
SEARCH_DEPTH = 40  # chunks retrieved to find them


@dataclass
class EvalConfig:
    corpus: Path
    questions: Path
    limit: int | None = None  # the first N questions (their gold articles + distractors are indexed)
    distractors: int = 0  # with --limit: this many other articles drawn from the corpus (seed 0)
    answers: int | None = None  # gold-article questions answered by the LLM (None: all selected)
    abstention: int = 30  # gold-article questions asked again with their gold articles removed
    baselines: bool = True  # dense only, BM25 only, hybrid without dates
    rerank: bool = False  # also score hybrid + as-of date + the LLM reranker (rag/rerank.py)
    choices: bool = True  # multiple-choice accuracy (one more LLM call per question)
    index_dir: Path | None = None
    command: str = ""


@dataclass
class RetrievalRun:
    name: str
    changes: dict[str, Any]
    as_of: bool
    per_question: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        rows = self.per_question
        latencies = [r["seconds"] * 1000 for r in rows]
        out: dict[str, Any] = {"questions": len(rows), "settings": self.changes, "as_of": self.as_of}
        for k in (1, 4, 10):
            out[f"hits@{k}"] = round(metrics.mean([r[f"hits@{k}"] for r in rows]), 4)
        out["mrr@10"] = round(metrics.mean([r["mrr@10"] for r in rows]), 4)
        out["latency_ms_p50"] = round(metrics.percentile(latencies, 50), 1)
        out["latency_ms_p95"] = round(metrics.percentile(latencies, 95), 1)
        return out


_HYBRID: dict[str, Any] = {"retrieval_mode": "hybrid", "recency_half_life_days": 0.0, "rerank": "none"}


def default_index_dir(settings: Settings, config: EvalConfig) -> Path:
    spec = f"{config.corpus.resolve()}|{config.questions.resolve() if config.limit else ''}|{config.limit}|"
    spec += f"{config.distractors}"
    digest = hashlib.sha1(spec.encode()).hexdigest()[:10]
    name = config.corpus.name.split(".")[0]
    return settings.data_dir / "eval" / f"{name}-{digest}"


class Evaluation:
    def __init__(
        self,
        settings: Settings,
        config: EvalConfig,
        embedder: Any = None,
        llm: LLM | None = None,
        judge_llm: LLM | None = None,
        progress: bool = False,
    ) -> None:
        from rag.pipeline import Pipeline

        if not config.corpus.exists():
            raise EvalError(f"no corpus at {config.corpus}; pass --corpus PATH (a .jsonl/.jsonl.gz file or folder)")
        self.config = config
        self.index_dir = config.index_dir or default_index_dir(settings, config)
        self.settings = settings.model_copy(update={"data_dir": self.index_dir})
        self.pipeline = Pipeline(self.settings, embedder=embedder, llm=llm)
        self._judge_llm = judge_llm
        self.progress = progress

    # -- pieces ---------------------------------------------------------------------------------
    @property
    def judge_llm(self) -> LLM:
        if self._judge_llm is None:
            same = self.settings.eval_judge_backend == "local"
            self._judge_llm = self.pipeline.llm if same else models.make_judge_llm(self.settings)
        return self._judge_llm

    def _bar(self, total: int, desc: str) -> Any:
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit="q", file=sys.stderr, disable=not self.progress, dynamic_ncols=True)

    def select(self, questions: list[EvalQuestion]) -> list[EvalQuestion]:
        return questions[: self.config.limit] if self.config.limit else questions

    def ingest(self, selected: list[EvalQuestion]) -> dict[str, Any]:
        corpus = self.config.corpus
        subset: dict[str, int] | None = None
        if self.config.limit and corpus.is_file():
            keep = {d for q in selected for d in q.doc_ids}
            target = self.index_dir / "corpus-subset.jsonl"
            subset = write_subset(corpus, keep, self.config.distractors, target)
            corpus = target
        report: IngestReport = self.pipeline.ingest([corpus], progress=self.progress)
        if report.errors and not (report.added or report.updated or report.unchanged):
            raise EvalError(f"nothing in {self.config.corpus} could be ingested: {report.errors[0]}")
        stats_path = self.index_dir / "ingest-stats.json"
        stats = json.loads(stats_path.read_text()) if stats_path.is_file() else {"chunks": 0, "seconds": 0.0}
        if report.chunks_embedded:
            stats = {
                "chunks": stats["chunks"] + report.chunks_embedded,
                "seconds": stats["seconds"] + report.seconds,
                "last_run": {"chunks": report.chunks_embedded, "seconds": round(report.seconds, 1)},
            }
            stats_path.write_text(json.dumps(stats, indent=2))
        store = self.pipeline.store
        return {
            "corpus": str(self.config.corpus),
            "indexed_from": str(corpus),
            "subset": subset,
            "index_dir": str(self.index_dir),
            "articles": len(store.documents()),
            "chunks": store.chunk_count(),
            "this_run": {
                "added": len(report.added),
                "updated": len(report.updated),
                "unchanged": report.unchanged,
                "removed": len(report.removed),
                "skipped": len(report.errors),
                "chunks_embedded": report.chunks_embedded,
                "seconds": round(report.seconds, 1),
                "chunks_per_second": round(report.chunks_per_second, 2),
            },
            "all_runs_chunks_per_second": round(stats["chunks"] / stats["seconds"], 2) if stats["seconds"] else None,
        }

    def retrieval_runs(self) -> list[RetrievalRun]:
        s = self.settings
        runs = []
        if self.config.baselines:
            runs += [
                RetrievalRun("dense only", {**_HYBRID, "retrieval_mode": "dense"}, False),
                RetrievalRun("BM25 only", {**_HYBRID, "retrieval_mode": "bm25"}, False),
                RetrievalRun("hybrid", dict(_HYBRID), False),
                RetrievalRun("hybrid + as-of date", dict(_HYBRID), True),
            ]
        if self.config.rerank:
            changes: dict[str, Any] = {**_HYBRID, "rerank": "llm"}
            runs.append(RetrievalRun(f"hybrid + as-of date + LLM rerank (top {s.rerank_candidates})", changes, True))
        attest = {
            "retrieval_mode": s.retrieval_mode,
            "recency_half_life_days": s.recency_half_life_days,
            "rerank": s.rerank,
        }
        if not any(r.as_of and r.changes == attest for r in runs):
            label = f"Attest settings ({s.retrieval_mode}"
            label += f", recency half-life {s.recency_half_life_days:g} d" if s.recency_half_life_days else ""
            runs.append(RetrievalRun(label + ", as-of date)", attest, True))
        return runs

    def retrieval(self, gold: list[EvalQuestion], runs: list[RetrievalRun] | None = None) -> list[RetrievalRun]:
        """Score each run (default: :meth:`retrieval_runs`) on the gold-article questions."""
        runs = runs if runs is not None else self.retrieval_runs()
        base = self.pipeline.retriever
        base.check_ready()
        reranker = base.reranker
        if any(run.changes.get("rerank") == "llm" for run in runs) and reranker is None:
            reranker = LLMReranker(self.pipeline.llm, candidates=self.settings.rerank_candidates)
        with self._bar(len(runs) * len(gold), "retrieval") as bar:
            for run in runs:
                retriever = base.with_settings(reranker=reranker, **run.changes)
                for q in gold:
                    filters = Filters(as_of=q.question_date or None) if run.as_of else Filters()
                    started = time.perf_counter()
                    hits = retriever.search(q.question, SEARCH_DEPTH, filters)
                    seconds = time.perf_counter() - started
                    ranked = ranked_articles(hits)
                    wanted = set(q.doc_ids)
                    first = next((r for r, d in enumerate(ranked, start=1) if d in wanted), None)
                    run.per_question.append(
                        {
                            "id": q.id,
                            "hits@1": metrics.hits_at(ranked, wanted, 1),
                            "hits@4": metrics.hits_at(ranked, wanted, 4),
                            "hits@10": metrics.hits_at(ranked, wanted, RANK_DEPTH),
                            "mrr@10": metrics.reciprocal_rank(ranked, wanted, RANK_DEPTH),
                            "gold_rank": first,
                            "seconds": seconds,
                        }
                    )
                    bar.update(1)
        return runs

    def answer_one(
        self, q: EvalQuestion, answerer: Answerer, judge: LLMEntailment, retriever: Retriever
    ) -> dict[str, Any]:
        s = self.settings
        filters = Filters(as_of=q.question_date or None)
        started = time.perf_counter()
        answer = answerer.ask(q.question, filters)
        seconds = time.perf_counter() - started
        hits, _, _ = answerer.retrieve(q.question, filters, s.top_k)  # what the answerer was shown
        retrieved = {h.chunk_id for h in hits}
        cited = answer.citations
        not_retrieved = sorted({c.passage.chunk_id for c in cited if c.passage.chunk_id not in retrieved})
        llm = self.pipeline.llm
        # Attest's own short answer when it gave one (validated against its quotes), else one taken
        # from its cited sentences by the LLM (as for answers without one).
        short = answer.short or short_answer(llm, q.question, answer)
        record: dict[str, Any] = {
            "id": q.id,
            "question": q.question,
            "gold": q.answer,
            "status": answer.status,
            "answer": answer.text,
            "short_answer": short,
            "em": metrics.exact_match(short, q.answer),
            "f1": metrics.token_f1(short, q.answer),
            "str_em": metrics.contains_answer(answer.text, q.answer) if answer.status == Answer.ANSWERED else 0.0,
            "gold_cited": any(doc_key(c.passage.article) in q.doc_ids for c in cited),
            "citations": len({c.number for c in cited}),
            "cited": eval_judges.cited_quotes(answer),  # the quotes, so a gate can be re-scored offline
            "cited_not_retrieved": not_retrieved,
            "seconds": round(seconds, 2),
            "timings": {k: round(v, 3) for k, v in answer.timings.items()},
            "generation": {k: round(v, 3) for k, v in answer.generation.items()},
            "best_relevance": answer.searched.best_relevance,
            "cited_relevance": cited_relevance(answer),
            "evidence": len(answer.evidence),
            "notes": answer.notes if answer.status == Answer.NOT_FOUND else [],  # why "not in the corpus"
        }
        if self.config.choices and q.choices and q.answer_index is not None:
            aliases = retriever.acronyms([h.text for h in hits])
            shown = passages.build(hits, q.question, self.pipeline.embedder, s.prompt_sentences_per_passage, aliases)
            relevant = [p for p in shown if p.relevance >= s.min_relevance] or shown[:3]
            choice = pick_choice(llm, q.question, q.choices, relevant)
            record["choice"] = choice
            record["mc_correct"] = float(choice == q.answer_index)
        if answer.status == Answer.ANSWERED:
            sentences = [
                metrics.CitedSentence(
                    as_claim(q.question, s_.text),
                    tuple(as_premise(c.passage) for c in {c.number: c for c in s_.citations}.values()),
                )
                for s_ in answer.sentences
            ]
            score = metrics.citation_scores(sentences, judge)
            record["citation_recall"], record["citation_precision"] = score.recall, score.precision
            if judge.style != "label" and any(is_short(s_.text) for s_ in answer.sentences):
                record["judge_read"] = judge.readings(q.question)  # what the judge read in each premise
        return record

    def answers(self, gold: list[EvalQuestion]) -> dict[str, Any]:
        chosen = gold[: self.config.answers] if self.config.answers is not None else gold
        judge = LLMEntailment(self.judge_llm, self.settings.eval_judge_style)
        answerer = self.pipeline.answerer
        rows = []
        with self._bar(len(chosen), "answers") as bar:
            for q in chosen:
                rows.append(self.answer_one(q, answerer, judge, self.pipeline.retriever))
                bar.update(1)
        answered = [r for r in rows if r["status"] == Answer.ANSWERED]
        mc = [r["mc_correct"] for r in rows if "mc_correct" in r]
        latencies = [r["seconds"] for r in rows]
        first_words = [r["timings"]["first_words"] for r in rows if "first_words" in r["timings"]]
        return {
            "questions": len(rows),
            "answered": len(answered),
            "em": round(metrics.mean([r["em"] for r in rows]), 4),
            "f1": round(metrics.mean([r["f1"] for r in rows]), 4),
            "str_em": round(metrics.mean([r["str_em"] for r in rows]), 4),
            "mc_accuracy": round(metrics.mean(mc), 4) if mc else None,
            "mc_questions": len(mc),
            "citation_recall": round(metrics.mean([r["citation_recall"] for r in answered]), 4),
            "citation_precision": round(metrics.mean([r["citation_precision"] for r in answered]), 4),
            "citations_not_retrieved": sum(len(r["cited_not_retrieved"]) for r in rows),
            "gold_article_cited": round(metrics.mean([float(r["gold_cited"]) for r in answered]), 4),
            "latency_s_p50": round(metrics.percentile(latencies, 50), 2),
            "latency_s_p95": round(metrics.percentile(latencies, 95), 2),
            "first_words_s_p50": round(metrics.percentile(first_words, 50), 2) if first_words else None,
            "not_in_corpus": len(rows) - len(answered),
            "judge": judge.name,
            "judge_calls": judge.calls,
            "per_question": rows,
        }

    def abstention(self, gold: list[EvalQuestion]) -> dict[str, Any]:
        chosen = gold[: self.config.abstention]
        by_key = {}
        for record in self.pipeline.store.documents():
            by_key[doc_key(record.article)] = record.doc_id
        base = self.pipeline.retriever
        rows: list[dict[str, Any]] = []
        with self._bar(len(chosen), "abstention") as bar:
            for q in chosen:
                removed = {by_key[d] for d in q.doc_ids if d in by_key}
                answerer = Answerer(
                    self.settings, base.without(removed), self.pipeline.llm, self.pipeline.embedder, self._judge()
                )
                started = time.perf_counter()
                answer = answerer.ask(q.question, Filters(as_of=q.question_date or None))
                answered = answer.status == Answer.ANSWERED
                rows.append(
                    {
                        "id": q.id,
                        "removed": sorted(removed),
                        "status": answer.status,
                        "answer": answer.text,
                        "gold": q.answer,
                        "str_em": metrics.contains_answer(answer.text, q.answer) if answered else 0.0,
                        # the words of the gold answer it shares ("Boris Johnson" for "UK Prime Minister Boris Johnson")
                        "f1": metrics.token_f1(answer.short or answer.text, q.answer) if answered else 0.0,
                        "cited": eval_judges.cited_quotes(answer),  # what another article says, to read
                        "notes": answer.notes if not answered else [],  # why "not in the corpus"
                        "best_relevance": answer.searched.best_relevance,
                        "cited_relevance": cited_relevance(answer),
                        "seconds": round(time.perf_counter() - started, 2),
                    }
                )
                bar.update(1)
        abstained = [r for r in rows if r["status"] == Answer.NOT_FOUND]
        still_right = [r for r in rows if r["status"] == Answer.ANSWERED and r["str_em"]]
        otherwise = [r for r in rows if r["status"] == Answer.ANSWERED and not r["str_em"]]
        return {
            "questions": len(rows),
            "not_in_corpus_rate": round(len(abstained) / len(rows), 4) if rows else 0.0,
            "answered_with_gold_answer": len(still_right),
            "answered_otherwise": len(otherwise),
            "answered_otherwise_sharing_gold_words": sum(r["f1"] > 0 for r in otherwise),
            "per_question": rows,
        }

    def _judge(self) -> Judge | None:
        return self.pipeline.judge if self.settings.judge_answers else None

    # -- all --------------------------------------------------------------------------------
    def run(self, retrieval_only: bool = False) -> dict[str, Any]:
        started = time.perf_counter()
        questions = load_questions(self.config.questions)
        selected = self.select(questions)
        gold = [q for q in selected if q.has_gold]
        corpus = self.ingest(selected)
        runs = self.retrieval(gold)
        s = self.settings
        report: dict[str, Any] = {
            "command": self.config.command,
            "corpus": corpus,
            "questions": {
                "path": str(self.config.questions),
                "in_file": len(questions),
                "selected": len(selected),
                "with_gold_articles": len(gold),
            },
            "settings": {
                "embedder": self.pipeline.embedder.name,
                "llm": None if retrieval_only else self.pipeline.llm.name,
                "top_k": s.top_k,
                "min_relevance": s.min_relevance,
                "retrieval_candidates": s.retrieval_candidates,
                "rrf_k": s.rrf_k,
                "bm25_weight": s.bm25_weight,
                "recency_half_life_days": s.recency_half_life_days,
                "dedupe_threshold": s.dedupe_threshold,
                "judge_answers": s.judge_answers,
            },
            "retrieval": {run.name: run.summary() for run in runs},
            "retrieval_per_question": {run.name: run.per_question for run in runs},
            "answers": None,
            "abstention": None,
        }
        if not retrieval_only and gold and (self.config.answers is None or self.config.answers > 0):
            report["answers"] = self.answers(gold)
        if not retrieval_only and gold and self.config.abstention > 0:
            report["abstention"] = self.abstention(gold)
        report["seconds"] = round(time.perf_counter() - started, 1)
        return report
