"""Re-judge the evidence that bench/claims.py kept, under other thresholds of the NLI judge, on
the TUNING split only (the test split is never read here), in seconds and without any model.

    python bench/claims.py --judge nli          # writes bench/results/claims-nli.json
    python bench/claims_tune.py [--errors]      # accuracy / false supported per setting, tune split

Thresholds: rag/nli_judge.py (CONTRADICTS, NO_SUPPORT, SUPPORT_RECALL, SAME_TOPIC_RECALL) and the
match score a support needs (Settings.min_support). The support head's STATES is chosen with the
head by bench/claims_synthetic.py; here it stays as set.

    python bench/claims_tune.py --guard         # the guard's match-score gates instead (rag/judge.py)
    python bench/claims_tune.py --head-sweep [--sets a,b]  # where the contradiction head decides

With ``--head-sweep`` only rag.nli_judge.CONTRADICTS_HEAD moves, over HEAD_GRID, on the stored
contradiction-head P of each window; ``--sets`` keeps the tuning claims of those sets only.

With ``--guard`` the judge's thresholds stay as set and the grid is the match score at which
rag.judge.guard keeps a contradiction (STRONG_TOPIC, JUDGE_ONLY_CONTRADICTION,
UNPROMPTED_CONTRADICTION, UNPROMPTED_UNSUPPORTED). A tie goes to the fewest changes from the
thresholds as set, then to the stricter setting (higher scores).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.settings import Settings  # noqa: E402
from rag import judge, nli_judge  # noqa: E402
from rag.judge import Case, guard  # noqa: E402
from rag.nli import PairScore  # noqa: E402

GRID = {
    "CONTRADICTS": (0.9, 0.95, 0.98, 0.99, 1.01),
    "NO_SUPPORT": (0.8, 0.85, 0.9, 0.97, 1.01),
    "SUPPORT_RECALL": (0.5, 0.6, 0.67, 0.75),
    "SAME_TOPIC_RECALL": (0.4, 0.5, 0.6),
    "min_support": (0.45, 0.55, 0.65),
}
HEAD_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
GUARD_GRID = {
    "STRONG_TOPIC": (0.45, 0.5, 0.55, 0.6, 0.65),
    "JUDGE_ONLY_CONTRADICTION": (0.7, 0.75, 0.8, 0.85),
    "UNPROMPTED_CONTRADICTION": (0.6, 0.65, 0.7, 0.75),
    "UNPROMPTED_UNSUPPORTED": (0.45, 0.5, 0.55, 0.6, 0.65, 0.7),
}


def verdict(
    claim: dict, min_support: float, veto: Callable[[dict, str], float] | None = None, head: bool = True
) -> str:
    """The judge's verdict on the stored evidence; ``veto(claim, text)``: another P for the support
    veto than the window's (rag.nli_judge.stance); ``head``: use the stored support-head P (it
    overrules the veto) and contradiction-head P (it backs a contradiction), as the judge does."""
    evidence = claim["evidence"]
    if not evidence:
        return "not_found"
    case = Case(
        claim["clean"],
        [e["text"] for e in evidence],
        claim["aliases"],
        [e.get("published") or "" for e in evidence],
        [e.get("title") or "" for e in evidence],
    )
    scores = [
        PairScore(e["contradiction"] or 0.0, e.get("states") if head else None, e.get("contradicts") if head else None)
        for e in evidence
    ]
    vetoes = [veto(claim, text) for text in case.evidence] if veto else None
    judged = nli_judge.judge_case(case, scores, vetoes)
    checked = guard(
        case.claim,
        judged,
        case.evidence,
        [e["score"] for e in evidence],
        min_support,
        claim["aliases"],
        case.dates,
        case.titles,
    )
    return checked.verdict


def head_sweep(claims: list[dict]) -> None:
    as_set = nli_judge.CONTRADICTS_HEAD
    print(f"{len(claims)} tuning claims; CONTRADICTS_HEAD as set: {as_set}")
    for value in HEAD_GRID:
        nli_judge.CONTRADICTS_HEAD = value
        predicted = [verdict(c, Settings().min_support) for c in claims]
        right = sum(p == c["label"] for p, c in zip(predicted, claims))
        false_supported = sum(p == "supported" and c["label"] != "supported" for p, c in zip(predicted, claims))
        print(f"  {value}: right {right}, false supported {false_supported}, score {right - 3 * false_supported}")
    nli_judge.CONTRADICTS_HEAD = as_set


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/claims-nli.json")
    parser.add_argument("--errors", action="store_true", help="list the tuning claims the current setting gets wrong")
    parser.add_argument("--guard", action="store_true", help="sweep the guard's match-score gates instead")
    parser.add_argument("--head-sweep", action="store_true", help="sweep CONTRADICTS_HEAD alone")
    parser.add_argument("--sets", default="", help="comma-separated claim sets to keep (default: all)")
    args = parser.parse_args()
    claims = [c for c in json.loads(args.results.read_text())["predictions"] if c["split"] in ("tune", "all")]
    if args.sets:
        claims = [c for c in claims if c["set"] in args.sets.split(",")]
    if args.head_sweep:
        head_sweep(claims)
        return
    grid, module = (GUARD_GRID, judge) if args.guard else (GRID, nli_judge)
    as_set = {name: getattr(module, name) for name in grid if name != "min_support"}
    default_support = Settings().min_support
    current = as_set | ({"min_support": default_support} if "min_support" in grid else {})
    rows = []
    for values in itertools.product(*grid.values()):
        setting = dict(zip(grid, values))
        for name, value in setting.items():
            if name != "min_support":
                setattr(module, name, value)
        predicted = [verdict(c, setting.get("min_support", default_support)) for c in claims]
        right = sum(p == c["label"] for p, c in zip(predicted, claims))
        false_supported = sum(p == "supported" and c["label"] != "supported" for p, c in zip(predicted, claims))
        rows.append((right - 3 * false_supported, right, false_supported, setting))
    for name, value in as_set.items():
        setattr(module, name, value)
    # a tie goes to the fewest changes from the thresholds as set, then to the stricter (higher) setting
    rows.sort(key=lambda r: (-r[0], sum(r[3][n] != v for n, v in current.items()), *(-v for v in r[3].values())))
    print(f"{len(claims)} tuning claims (the tune splits + team); as set now: {current}")
    print("best settings (score = right - 3 x false supported):")
    for _, right, false_supported, setting in rows[:10]:
        print(f"  right {right}/{len(claims)}, false supported {false_supported}: {setting}")
    if args.errors:
        import importlib

        importlib.reload(nli_judge)
        for claim in claims:
            got = verdict(claim, 0.45)
            if got != claim["label"]:
                print(f"\n[{claim['label']} -> {got}] {claim['claim']}")
                for e in claim["evidence"]:
                    print(f"    {e['score']:.2f} p={e['contradiction'] or 0:.2f} {e['text'][:220]}")


if __name__ == "__main__":
    main()
