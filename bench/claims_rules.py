"""How the judge's rules read the LLM-written claims of bench/claims_synthetic.py, at this checkout
and at another revision, with the same model scores: a check of a rule change on claims that no
labelled set holds.

    python bench/claims_rules.py [--baseline-rev REV]

Each generated claim is judged against the two-sentence window it was written from, as one piece
of evidence (rag.nli_judge.stance, no guard): a restated claim should get "supports", an unstated
one "unrelated", a contradicted one "contradicts". The writer is a 1.5B model, so many "unstated"
and "contradicted" claims are in fact stated (it copies the sentence); the counts compare two sets
of rules, they are not an accuracy. The heads were trained on these claims, so their part in the
counts is in-sample: only a change of the structured rules is measured fairly here. Model scores
are computed once with this checkout's model and heads; the baseline's rules run in a subprocess
from a temporary git worktree.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "bench/results/synthetic-claims.jsonl"
WANTED = {"restated": "supports", "unstated": "unrelated", "contradicted": "contradicts"}

#: Run with a tree's root as argv[1] and the scored pairs' file as argv[2]: the stances, as JSON.
JUDGE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from rag.nli_judge import stance
rows = json.load(open(sys.argv[2]))
print(json.dumps([stance(r["claim"], r["window"], r["p"], {}, None, r["states"], r["contradicts"]) for r in rows]))
"""


def stances(tree: Path, scored: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", JUDGE, str(tree), str(scored)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"judging at {tree} failed: {done.stderr.strip().splitlines()[-1]}")
    return list(json.loads(done.stdout))


def table(rows: list[dict], got: dict[str, list[str]]) -> str:
    lines = ["| rules | kind | supports | contradicts | unrelated | as written |", "| --- " * 6 + "|"]
    for name, labels in got.items():
        tally = Counter((r["kind"], s) for r, s in zip(rows, labels))
        for kind, wanted in WANTED.items():
            n = sum(v for (k, _), v in tally.items() if k == kind)
            counts = " | ".join(str(tally[(kind, s)]) for s in ("supports", "contradicts", "unrelated"))
            lines.append(f"| {name} | {kind} ({n}) | {counts} | {tally[(kind, wanted)] / n:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-rev", default="HEAD", help="the rules to compare with (a git revision)")
    parser.add_argument("--show", action="store_true", help="print the claims whose stance differs")
    args = parser.parse_args()
    if not GENERATED.exists():
        raise SystemExit("no generated claims; run: python bench/claims_synthetic.py generate --sentences 400")
    rows = [r for r in map(json.loads, GENERATED.open()) if r["kind"] in WANTED]
    sys.path.insert(0, str(ROOT))
    from bench.worktree import checkout
    from rag.nli import ContradictionModel

    scores = ContradictionModel(threads=2).scores([(r["window"], r["claim"]) for r in rows])
    for row, score in zip(rows, scores):
        row.update(p=score.contradiction, states=score.states, contradicts=score.contradicts)
    with tempfile.TemporaryDirectory() as tmp:
        scored = Path(tmp) / "scored.json"
        scored.write_text(json.dumps(rows))
        with checkout(args.baseline_rev, Path(tmp) / "baseline") as tree:
            got = {args.baseline_rev: stances(tree, scored), "this checkout": stances(ROOT, scored)}
    changed = sum(a != b for a, b in zip(*got.values()))
    print(f"{len(rows)} generated claims, each against its window; {changed} stances differ\n")
    print(table(rows, got))
    if args.show:
        for row, before, now in zip(rows, *got.values()):
            if before != now:
                print(f"\n[{row['kind']}: {before} -> {now}] {row['claim']}\n    {row['window'][:300]}")


if __name__ == "__main__":
    main()
