"""The evaluation's data: RealTime QA-format questions, the corpus subset indexed for them, and
the article keys that retrieval is scored on."""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rag import metrics
from rag.retrieve import Hit
from rag.types import ArticleRef


class EvalError(ValueError):
    pass


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answer: str
    choices: tuple[str, ...] = ()
    answer_index: int | None = None
    question_date: str = ""  # ISO YYYY-MM-DD: the as-of date of the question
    doc_ids: tuple[str, ...] = ()  # the corpus ids of the gold articles
    evidence_type: str = ""

    @property
    def has_gold(self) -> bool:
        return bool(self.doc_ids)


def load_questions(path: Path) -> list[EvalQuestion]:
    """Questions from a .jsonl file: ``{id, question, answer, choices, answer_index, question_date,
    doc_ids, evidence_type}`` (only ``question`` and ``answer`` are required)."""
    if not path.is_file():
        raise EvalError(f"no questions file at {path}; pass --questions PATH to a .jsonl file")
    out = []
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"{path}:{number}: invalid JSON ({exc.msg}); fix the line") from exc
            if not isinstance(record, dict) or not record.get("question") or "answer" not in record:
                raise EvalError(f'{path}:{number}: each line needs {{"question": ..., "answer": ...}}')
            choices = tuple(str(c) for c in record.get("choices") or ())
            index = record.get("answer_index")
            out.append(
                EvalQuestion(
                    id=str(record.get("id") or number),
                    question=" ".join(str(record["question"]).replace("\u200b", "").split()),
                    answer=str(record["answer"]),
                    choices=choices,
                    answer_index=int(index) if isinstance(index, int) and 0 <= index < len(choices) else None,
                    question_date=str(record.get("question_date") or "").replace("/", "-")[:10],
                    doc_ids=tuple(str(d) for d in record.get("doc_ids") or ()),
                    evidence_type=str(record.get("evidence_type") or ""),
                )
            )
    if not out:
        raise EvalError(f"{path} holds no questions")
    return out


def doc_key(article: ArticleRef) -> str:
    """The corpus's own id of an article: the part after ``#`` in the source of a .jsonl line
    (``corpus.jsonl.gz#rtqa-36148f47d991``), else Attest's doc id."""
    source = article.source
    return source.rsplit("#", 1)[1] if "#" in source else article.doc_id


def ranked_articles(hits: Sequence[Hit]) -> list[str]:
    """Distinct article keys in rank order; a hit's folded copies count right after it."""
    keys: list[str] = []
    for hit in hits:
        keys.append(doc_key(hit.article))
        keys.extend(doc_key(c.article) for c in hit.copies)
    return metrics.unique_in_order(keys)


def write_subset(corpus: Path, keep: set[str], distractors: int, target: Path, seed: int = 0) -> dict[str, int]:
    """Write the corpus lines whose ``doc_id`` is in ``keep`` plus ``distractors`` others drawn with
    a fixed seed; unchanged content leaves the file untouched (so ingest stays incremental)."""
    opener = gzip.open if corpus.name.endswith(".gz") else open
    kept: list[str] = []
    others: list[str] = []
    with opener(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            (kept if str(json.loads(line).get("doc_id")) in keep else others).append(line.rstrip("\n"))
    chosen = kept + random.Random(seed).sample(others, min(max(distractors, 0), len(others)))
    text = "\n".join(chosen) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return {"gold_articles": len(kept), "distractors": len(chosen) - len(kept), "articles": len(chosen)}
