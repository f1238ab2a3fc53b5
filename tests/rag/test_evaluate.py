"""``attest eval`` end to end on a tiny RealTime QA-format corpus made from seeds/ (real Chroma,
real embedder, a scripted LLM for answers and the citation judge), its errors, and a CI-sized
retrieval run on the shared dev set when it is there."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from index.settings import Settings
from rag import lexical
from rag.eval_data import EvalError, doc_key, load_questions, write_subset
from rag.eval_report import markdown
from rag.eval_runner import EvalConfig, Evaluation
from rag.types import ArticleRef
from tests.conftest import ROOT, SEEDS
from ui.cli import cli

SHARED_EVAL = ROOT.parent / "shared" / "eval" / "realtimeqa"


def make_corpus(folder: Path) -> Path:
    """The five seeds as a RealTime QA corpus: ``{doc_id, url, title, published_at, source, text}``."""
    dates = {"002": "2021/08/25", "003": "2018/03/15"}
    path = folder / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for seed in sorted(SEEDS.glob("*.txt")):
            prefix = seed.name[:3]
            record = {
                "doc_id": f"seed-{prefix}",
                "url": f"https://news.example/{prefix}.html",
                "title": None,
                "published_at": dates.get(prefix),
                "source": "news.example",
                "text": seed.read_text(encoding="utf-8"),
            }
            handle.write(json.dumps(record) + "\n")
    return path


QUESTIONS = [
    {
        "id": "q-sco",
        "question": "What did the Kremlin say the SCO should be used for?",
        "answer": "regional stability",
        "choices": ["regional stability", "space research", "football", "fishing"],
        "answer_index": 0,
        "question_date": "2021/09/01",
        "doc_ids": ["seed-002"],
        "evidence_type": "gold_doc",
    },
    {
        "id": "q-2018",
        "question": "What cooperation between the two governments did Pakistan express satisfaction with?",
        "answer": "military and technical cooperation",
        "choices": ["cultural", "military and technical cooperation", "space", "fisheries"],
        "answer_index": 1,
        "question_date": "2018/03/20",
        "doc_ids": ["seed-003"],
        "evidence_type": "gold_doc",
    },
    {"id": "q-none", "question": "Who won the 2022 World Cup?", "answer": "Argentina", "evidence_type": "none"},
]


def write_questions(folder: Path, questions: list[dict[str, Any]] = QUESTIONS) -> Path:
    path = folder / "dev.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    return path


class ScriptedEvalLLM:
    """Plays every role the eval gives an LLM, deterministically: answers by copying the passage
    sentence that shares most words with the question, gives the short answer and the choice by
    a table, judges entailment by word containment and reads a short answer in the passages by the
    same table. Records every call."""

    name = "scripted-eval-llm"
    SHORT = {"SCO": "regional stability", "satisfaction": "military and technical"}

    def __init__(self) -> None:
        self.calls: list[str] = []

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any] | None = None, **_: Any) -> str:
        props = (schema or {}).get("properties", {})
        prompt = messages[-1]["content"]
        if "entailed" in props:
            self.calls.append("entail")
            premise = prompt.split("Premise:\n", 1)[1].split("\n\nHypothesis:", 1)[0]
            hypothesis = prompt.split("Hypothesis: ", 1)[1].split("\n", 1)[0]
            return json.dumps({"entailed": lexical.content_words(hypothesis) <= lexical.content_words(premise)})
        if list(props) == ["answer"]:  # the citation judge reads the answer to the question in the passages
            self.calls.append("read")
            passages = prompt.split("Passage:\n", 1)[1].split("\n\nQuestion:", 1)[0]
            found = next((v for k, v in self.SHORT.items() if k in prompt and v in passages), "")
            return json.dumps({"answer": found})
        if "short_answer" in props:
            self.calls.append("short")
            short = next((v for k, v in self.SHORT.items() if k in prompt), "")
            return json.dumps({"short_answer": short})
        if "choice" in props:
            self.calls.append("choice")
            return json.dumps({"choice": "B" if "satisfaction" in prompt else "A"})
        self.calls.append("answer")
        question = prompt.rsplit("Question:", 1)[-1].split("\n", 1)[0]
        wanted = lexical.content_words(question)
        best = (0, 0, "")
        for number, sentence in re.findall(r"^\[(\d+)\] (.*)$", prompt, flags=re.M):
            score = len(wanted & lexical.content_words(sentence))
            if score > best[0]:
                best = (score, int(number), sentence.strip())
        if not best[0]:
            return json.dumps({"answer": "", "cite": [1]})
        return json.dumps({"answer": best[2], "cite": [best[1]]})


def test_questions_file_errors_name_the_line_and_the_fix(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "q", "answer": "a"}\n{not json\n', encoding="utf-8")
    with pytest.raises(EvalError, match=r"bad.jsonl:2: invalid JSON"):
        load_questions(bad)
    bad.write_text('{"question": "no answer field"}\n', encoding="utf-8")
    with pytest.raises(EvalError, match=r"bad.jsonl:1: each line needs"):
        load_questions(bad)
    with pytest.raises(EvalError, match="pass --questions"):
        load_questions(tmp_path / "missing.jsonl")
    questions = load_questions(write_questions(tmp_path))
    assert [q.question_date for q in questions] == ["2021-09-01", "2018-03-20", ""]
    assert questions[1].answer_index == 1 and questions[2].has_gold is False


def test_subset_keeps_gold_plus_seeded_distractors_and_is_stable(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path)
    target = tmp_path / "subset.jsonl"
    counts = write_subset(corpus, {"seed-002"}, 2, target)
    assert counts == {"gold_articles": 1, "distractors": 2, "articles": 3}
    first = target.read_text(encoding="utf-8")
    stamp = target.stat().st_mtime_ns
    write_subset(corpus, {"seed-002"}, 2, target)
    assert target.read_text(encoding="utf-8") == first and target.stat().st_mtime_ns == stamp
    assert doc_key(ArticleRef("x", f"{target}#seed-002")) == "seed-002"
    assert doc_key(ArticleRef("abc")) == "abc"


def test_small_eval_end_to_end(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data", judge_answers=False)
    config = EvalConfig(make_corpus(tmp_path), write_questions(tmp_path), abstention=2, command="test")
    llm = ScriptedEvalLLM()
    report = Evaluation(settings, config, embedder=real_embedder, llm=llm, judge_llm=llm).run()

    assert report["corpus"]["articles"] == 5 and report["questions"]["with_gold_articles"] == 2
    runs = report["retrieval"]
    assert list(runs) == [
        "dense only",
        "BM25 only",
        "hybrid",
        "hybrid + as-of date",
        "Attest settings (hybrid, recency half-life 30 d, as-of date)",
    ]
    for name, run in runs.items():
        assert run["questions"] == 2 and run["hits@10"] == 1.0, name
    as_of = report["retrieval_per_question"]["hybrid + as-of date"]
    assert [r["id"] for r in as_of] == ["q-sco", "q-2018"] and as_of[1]["gold_rank"] == 1
    assert all(1 <= r["gold_rank"] <= 5 and r["mrr@10"] == 1 / r["gold_rank"] for r in as_of)

    answers = report["answers"]
    assert answers["questions"] == 2 and answers["answered"] == 2
    assert answers["f1"] == pytest.approx((1.0 + 2 * (3 / 3) * (3 / 4) / (3 / 3 + 3 / 4)) / 2, abs=1e-4)
    assert answers["mc_accuracy"] == 1.0 and answers["mc_questions"] == 2
    assert answers["citation_recall"] == 1.0 and answers["citation_precision"] == 1.0
    assert answers["citations_not_retrieved"] == 0 and answers["judge"] == "scripted-eval-llm (read)"
    assert answers["gold_article_cited"] >= 0.5  # the SCO statement is in two articles; either may be cited
    for row in answers["per_question"]:  # each answer's quotes, so a gate can be re-scored from the report
        assert row["cited"] and all(c["quote"] and c["outlet"] for c in row["cited"])
        assert len({c["quote"] for c in row["cited"]}) <= row["citations"]

    abstention = report["abstention"]
    assert abstention["questions"] == 2
    removed = {r["id"]: r["removed"] for r in abstention["per_question"]}
    assert all(len(ids) == 1 for ids in removed.values())
    abstained = sum(r["status"] == "not_found" for r in abstention["per_question"])
    assert abstained + abstention["answered_with_gold_answer"] + abstention["answered_otherwise"] == 2
    assert 0 <= abstention["answered_otherwise_sharing_gold_words"] <= abstention["answered_otherwise"]
    for row in abstention["per_question"]:  # what another article said, to read: each quote and its article
        assert (row["status"] == "answered") == bool(row["cited"]) and 0.0 <= row["f1"] <= 1.0
        assert all(c["quote"] and c["outlet"] for c in row["cited"])

    table = markdown(report)
    assert "| hybrid + as-of date | " in table and "| 1.000 | " in table and "reference: Google search" in table
    assert "citation precision" in table and "Abstention: 2" in table

    again = Evaluation(settings, config, embedder=real_embedder, llm=ScriptedEvalLLM()).run(retrieval_only=True)
    assert again["corpus"]["this_run"]["chunks_embedded"] == 0  # the corpus is indexed once
    assert again["answers"] is None and again["retrieval"]["hybrid"]["hits@10"] == 1.0


def test_cli_eval_retrieval_only_writes_json_and_markdown(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ATTEST_DATA_DIR", str(tmp_path / "data"))
    report = tmp_path / "out" / "report.json"
    args = ["eval", "--corpus", str(make_corpus(tmp_path)), "--questions", str(write_questions(tmp_path))]
    result = CliRunner().invoke(cli, [*args, "--answers", "0", "--abstention", "0", "--report", str(report)], obj={})
    assert result.exit_code == 0, result.output
    assert "| BM25 only |" in result.output and "MRR@10" in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["retrieval"]["hybrid"]["hits@10"] == 1.0 and data["settings"]["llm"] is None
    assert report.with_suffix(".md").read_text(encoding="utf-8").startswith("Corpus:")

    broken = tmp_path / "broken.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    failed = CliRunner().invoke(
        cli, ["eval", "--corpus", str(tmp_path / "corpus.jsonl.gz"), "--questions", str(broken)], obj={}
    )
    assert failed.exit_code == 1 and "broken.jsonl:1: invalid JSON" in failed.output


@pytest.mark.skipif(not (SHARED_EVAL / "dev.jsonl").is_file(), reason="needs ../shared/eval/realtimeqa")
def test_ci_sized_retrieval_eval_on_realtimeqa_dev(tmp_path: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    """The gold articles of the first 10 dev questions plus 15 distractors: hybrid retrieval with
    the as-of date finds the gold article in the top 10 for nearly all of them."""
    config = EvalConfig(
        SHARED_EVAL / "corpus.jsonl.gz",
        SHARED_EVAL / "dev.jsonl",
        limit=10,
        distractors=15,
        baselines=False,
        answers=0,
        abstention=0,
    )
    report = Evaluation(Settings(data_dir=tmp_path), config, embedder=real_embedder).run(retrieval_only=True)
    (run,) = report["retrieval"].values()
    assert report["questions"]["with_gold_articles"] >= 3 and run["questions"] >= 3
    assert run["hits@10"] >= 0.8 and run["mrr@10"] >= 0.5
    assert report["corpus"]["this_run"]["chunks_per_second"] > 0
