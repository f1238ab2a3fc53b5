"""Reliability figures for docs/reliability.md: kill -9 during ingest, a corpus of malformed
inputs, 20 concurrent web users, a Chroma server outage, and injection through documents.

    python bench/reliability.py                      # all parts
    python bench/reliability.py --parts crash,bad    # some of them
    python bench/reliability.py --kills 24 --seed 7

Everything runs on 127.0.0.1 in a temporary folder with the packaged embedder (one thread); the
load and injection parts use the scripted LLM of tests/ui/fakes.py (the real LLM is never loaded).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import index  # noqa: E402,F401  (offline defaults)
from bench import reliability_crash as parts  # noqa: E402
from bench import reliability_input, reliability_web  # noqa: E402


def worker(argv: list[str]) -> None:
    """``_ingest DATA CORPUS [WRITE_NO DELAY]``: ingest, and optionally SIGKILL this process
    ``DELAY`` seconds after entering its ``WRITE_NO``-th write to Chroma or BM25 (mid-write)."""
    from index.embedding import MiniLMOnnxEmbedder
    from index.ingest import Ingestor
    from index.settings import Settings
    from index.store import Store

    data, corpus = Path(argv[0]), Path(argv[1])
    settings = (
        Settings(data_dir=data, cpu_lock=None) if "cpu_lock" in Settings.model_fields else Settings(data_dir=data)
    )
    store = Store(settings)
    ingestor = Ingestor(settings, store, MiniLMOnnxEmbedder(threads=1), embed_batch=32, write_batch=32)
    if len(argv) > 2:
        target, delay = int(argv[2]), float(argv[3])
        calls = [0]

        def killing(method: Any) -> Any:
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                calls[0] += 1
                if calls[0] == target:
                    threading.Timer(delay, lambda: os.kill(os.getpid(), signal.SIGKILL)).start()
                return method(*args, **kwargs)

            return wrapped

        for name in ("add_chunks_of", "put_documents", "delete_chunk_ids", "delete_document"):
            setattr(store, name, killing(getattr(store, name)))
        ingestor.lexical.replace_documents = killing(ingestor.lexical.replace_documents)  # type: ignore[method-assign]
    ingestor.ingest([corpus])


def run_worker(data: Path, corpus: Path, *extra: str, kill_after: float | None = None) -> int:
    command = [sys.executable, str(Path(__file__).resolve()), "_ingest", str(data), str(corpus), *extra]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_after is not None:
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
    _, err = process.communicate()
    if process.returncode not in (0, -9):
        raise SystemExit(f"ingest worker failed ({process.returncode}): {err.decode()[-2000:]}")
    return process.returncode


def audit(argv: list[str]) -> None:
    """``_audit DATA CORPUS SEED [final]``: search (and check) like a fresh ``attest ask`` process
    (embedded Chroma does not show one process the vectors another one wrote later)."""
    from index.embedding import MiniLMOnnxEmbedder

    data, corpus, rng = Path(argv[0]), Path(argv[1]), random.Random(int(argv[2]))
    embedder = MiniLMOnnxEmbedder(threads=1)
    found, bad = parts.audit_search(data, corpus, embedder, rng)
    out: dict[str, Any] = {"searches": found, "incomplete": bad, "complete": parts.audit_complete(data, corpus)}
    if argv[3:] == ["final"]:
        out.update(parts.audit_final(data, corpus, embedder))
    print(json.dumps(out))


def run_audit(data: Path, corpus: Path, rng: random.Random, final: bool = False) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_audit",
        str(data),
        str(corpus),
        str(rng.randrange(10**6)),
    ]
    done = subprocess.run(command + (["final"] if final else []), cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"audit failed: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def crash(args: argparse.Namespace, folder: Path, rng: random.Random) -> dict[str, Any]:
    """Kill -9 ingests of 300 articles until ``args.kills`` kills have landed: at random moments,
    and inside a chosen write (chunks, BM25 rows, completion marks, deletions). After the first
    complete ingest, each round first rewrites 20 articles, so kills also land mid-update. After
    every kill a fresh process searches; at the end, one clean ingest and a full audit."""
    corpus = folder / "corpus"
    parts.write_news_corpus(corpus, 300, rng)
    data = folder / "data"
    started = time.perf_counter()
    run_worker(folder / "timing", corpus)  # one clean run: how long a whole ingest takes here
    full = time.perf_counter() - started
    kills = mid_write = incomplete = searches = updates = rounds = 0
    complete = False
    while kills < args.kills and rounds < 4 * args.kills:
        rounds += 1
        if complete:
            updates += parts.rewrite_some(corpus, 20, rng)  # work left to interrupt: 20 changed articles
        if rounds % 2:
            code = run_worker(data, corpus, str(rng.randint(1, 6)), f"{rng.uniform(0.0, 0.05):.3f}")
            mid_write += code == -9
        else:
            code = run_worker(data, corpus, kill_after=rng.uniform(1.0, max(2.0, full)))
        kills += code == -9
        seen = run_audit(data, corpus, rng)
        searches += seen["searches"]
        incomplete += seen["incomplete"]
        complete = seen["complete"]
    run_worker(data, corpus)
    final = run_audit(data, corpus, rng, final=True)
    return {
        "articles": 300,
        "rounds": rounds,
        "kills": kills,
        "mid_write_kills": mid_write,
        "articles_rewritten": updates,
        "searches_after_kills": searches + final.pop("searches") + 0 * final.pop("complete"),
        "incomplete_returned": incomplete + final.pop("incomplete"),
        "full_ingest_s": round(full, 1),
        **final,
    }


def split_scaling() -> dict[str, Any]:
    """Seconds to sentence-split and chunk text without newlines (the issue: 1 MB 0.6 s, 8 MB 91.6 s)."""
    from index import chunking
    from index.types import SourceDocument

    sentence = "The port authority said on Monday that traffic rose by 4.5 percent in May. "
    out: dict[str, Any] = {}
    for mb in (1, 2, 4, 8):
        text = sentence * (mb * 2**20 // len(sentence))
        started = time.perf_counter()
        chunks = chunking.chunk_document(SourceDocument("d", "d", text))
        out[f"{mb}_mb_s"] = round(time.perf_counter() - started, 2)
        out[f"{mb}_mb_chunks"] = len(chunks)
    return out


def main() -> None:
    if sys.argv[1:2] == ["_ingest"]:
        worker(sys.argv[2:])
        return
    if sys.argv[1:2] == ["_audit"]:
        audit(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="crash,bad,load,outage,inject,split")
    parser.add_argument("--kills", type=int, default=24)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="attest-reliability-") as tmp:
        folder = Path(tmp)
        for part in args.parts.split(","):
            started = time.perf_counter()
            where = folder / part
            where.mkdir()
            if part == "crash":
                results[part] = crash(args, where, rng)
            elif part == "bad":
                results[part] = reliability_input.bad_input(where, rng)
            elif part == "load":
                results[part] = reliability_web.load(where, args.users)
            elif part == "outage":
                results[part] = reliability_web.outage(where)
            elif part == "inject":
                results[part] = reliability_web.inject(where)
            elif part == "split":
                results[part] = split_scaling()
            else:
                raise SystemExit(f"unknown part {part!r}; use crash, bad, load, outage, inject, split")
            results[part]["part_seconds"] = round(time.perf_counter() - started, 1)
            print(json.dumps({part: results[part]}, indent=2), flush=True)
    print(f"\ncommand: python bench/reliability.py --parts {args.parts} --kills {args.kills} --seed {args.seed}")


if __name__ == "__main__":
    main()
