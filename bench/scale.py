"""How retrieval cost grows with the index: 50k, 200k, 1M chunks, embedded and on a `chroma run` server.

    python bench/scale.py --corpus ../shared/eval/realtimeqa/corpus.jsonl.gz \
        --questions ../shared/eval/realtimeqa/dev.jsonl --sizes 50000,200000 --work /tmp/attest-scale

The index is built from the RealTime QA text, replicated with changes so that copies are not
folded: the first articles of the corpus are chunked and embedded once with the packaged MiniLM
(``--base-chunks``, cached in the work folder); replica r of an article replaces 30% of its words
with other corpus words of the same length (so chunk offsets still hold), is dated r x 2 days
earlier, and each of its chunk vectors is the original plus Gaussian noise (cosine ~0.8 to it).
The benchmark measures the index, not the embedder: chunks are written exactly as ingest writes
them (Chroma chunks through LlamaIndex, BM25 rows, article records, in flushes of ~1000 chunks).

At each size, in fresh processes (so a process's start-up and peak memory are its own):
- embedded: build throughput (chunks/s written), disk size (Chroma, BM25), BM25 matrix load time,
  time from process start to the first answered search, hybrid retrieval p50/p95 over the
  questions with and without an as-of date (the question's date), peak memory;
- server: the same Chroma folder served by ``chroma run``; a new process fills its BM25 cache
  from the server (cold: a new machine), then another process starts on that cache (warm);
  the server's peak memory; appending 2,000 more chunks through the server (chunks/s).
Writes bench/results/scale.json; docs/benchmarks.md "Scale" quotes it.

``--start-up REV`` builds nothing: on the indexes an earlier run left in ``--work``, it times a new
process's start-up and searches with this checkout's library against revision REV's, alternating
(the as-of searches through Chroma's pre-filter are left out: 9 s each at 1M chunks), after one
BM25 matrix build from the table by each (time and peak memory; ``--skip-start-up``: only those).
``--start-up REV --repair N`` only times, by each revision in turn, the sync that restores a
BM25 table from which N articles' rows were deleted (a crash between the Chroma and BM25 writes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np

import index  # noqa: F401  (offline defaults first)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "scale.json"
NOISE = 0.035  # per dimension: |noise| ~ 0.69 for 384 dimensions, cosine to the original ~0.82
SHARE_CHANGED = 0.3  # of each replica's words


# -- the base: real articles, chunked and embedded once -----------------------------------------
def load_base(corpus: Path, want_chunks: int, work: Path) -> tuple[list[Any], dict[str, list[Any]], dict[str, Any]]:
    from index import chunking, loaders
    from index.embedding import MiniLMOnnxEmbedder
    from index.ingest import embedding_text
    from index.settings import Settings
    from index.types import SourceDocument

    settings = Settings()
    sample = work / "base.jsonl"
    docs: list[Any] = []
    chunks: dict[str, list[Any]] = {}
    total = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as source, sample.open("w", encoding="utf-8") as target:
        for line in source:
            target.write(line)
            total += 1
            if total * 13 >= want_chunks * 1.2:  # ~13 chunks per article; trimmed below
                break
    for item in loaders.load_file(sample):
        if not isinstance(item, SourceDocument) or total_chunks(chunks) >= want_chunks:
            continue
        found = chunking.chunk_document(item, settings.chunk_chars, settings.chunk_overlap_sentences)
        if found and item.meta.published_at:
            docs.append(item)
            chunks[item.doc_id] = found
    cache = work / "base-vectors.npz"
    ids = [c.chunk_id for d in docs for c in chunks[d.doc_id]]
    if cache.is_file():
        stored = np.load(cache)
        if list(stored["ids"]) == ids:
            return docs, chunks, {"vectors": stored["vectors"], "ids": ids, "embed_seconds": float(stored["seconds"])}
    texts = [embedding_text(d, c) for d in docs for c in chunks[d.doc_id]]
    started = time.perf_counter()
    vectors = MiniLMOnnxEmbedder(threads=2).embed(texts)
    seconds = time.perf_counter() - started
    np.savez(cache, ids=np.array(ids), vectors=vectors, seconds=seconds)
    return docs, chunks, {"vectors": vectors, "ids": ids, "embed_seconds": seconds}


def total_chunks(chunks: dict[str, list[Any]]) -> int:
    return sum(len(c) for c in chunks.values())


class Replicas:
    """Replica r of every base article: same-length word swaps, an earlier date, noisy vectors."""

    def __init__(self, docs: list[Any], chunks: dict[str, list[Any]], base: dict[str, Any]) -> None:
        import re

        self.docs, self.chunks = docs, chunks
        self.vector = dict(zip(base["ids"], base["vectors"]))
        self.by_length: dict[int, list[str]] = {}
        for doc in docs:
            for word in set(re.findall(r"[A-Za-z]{3,12}", doc.text)):
                self.by_length.setdefault(len(word), []).append(word)
        for words in self.by_length.values():
            words.sort()
        self.word = re.compile(r"[A-Za-z]{3,12}")

    def article(self, doc: Any, r: int) -> tuple[Any, list[Any], np.ndarray]:
        from dataclasses import replace

        from index.chunking import chunk_id
        from index.types import Chunk, SourceDocument

        rng = random.Random(f"{doc.doc_id}/{r}")
        noise = np.random.default_rng(zlib.crc32(f"{doc.doc_id}/{r}".encode()))

        def swap(match: Any) -> str:
            word = match.group(0)
            if r == 0 or rng.random() >= SHARE_CHANGED:
                return word
            return rng.choice(self.by_length[len(word)])

        text = self.word.sub(swap, doc.text)
        published = dt.date.fromisoformat(doc.meta.published_at) - dt.timedelta(days=2 * r)
        meta = replace(
            doc.meta,
            title=self.word.sub(swap, doc.meta.title),
            published_at=published.isoformat(),
            url=f"{doc.meta.url}?copy={r}" if doc.meta.url else "",
        )
        doc_id = f"{doc.doc_id}-r{r}"
        copy = SourceDocument(doc_id=doc_id, source=f"{doc.source}?copy={r}", text=text, meta=meta)
        pieces = [
            Chunk(
                chunk_id(doc_id, c.start, text[c.start : c.end]), doc_id, c.index, c.start, c.end, text[c.start : c.end]
            )
            for c in self.chunks[doc.doc_id]
        ]
        vectors = np.stack([self.vector[c.chunk_id] for c in self.chunks[doc.doc_id]])
        if r:
            vectors = vectors + noise.normal(0.0, NOISE, vectors.shape).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return copy, pieces, vectors.astype(np.float32)

    def stream(self, first_replica: int, n_chunks: int) -> Any:
        """Articles of replicas first_replica, first_replica + 1, ... until n_chunks chunks."""
        made = 0
        r = first_replica
        while True:
            for doc in self.docs:
                if made >= n_chunks:
                    return
                item = self.article(doc, r)
                made += len(item[1])
                yield item
            r += 1


def write(settings: Any, items: Any, flush_chunks: int = 1000) -> tuple[int, float, float]:
    """Write articles as ingest does (chunks, BM25 rows, then the completion record), then build
    the BM25 matrix as ingest does at its end; returns (chunks written, write s, BM25 build s)."""
    from index.bm25 import LexicalIndex, rows_for
    from index.embedding import MiniLMOnnxEmbedder
    from index.ingest import Ingestor
    from index.records import doc_version
    from index.store import Store

    store = Store(settings)
    lexical = LexicalIndex.for_store(store)
    index_key = Ingestor(settings, store, MiniLMOnnxEmbedder()).index_key  # the key ingest records
    pending: list[Any] = []
    written = 0
    started = time.perf_counter()

    def flush() -> None:
        versions = {doc.doc_id: doc_version(doc.content_hash, index_key) for doc, _, _ in pending}
        store.add_chunks_of(pending, versions=versions)
        lexical.replace_documents([d.doc_id for d, _, _ in pending], [r for d, c, _ in pending for r in rows_for(d, c)])
        store.put_documents([(d, len(c), v.mean(axis=0)) for d, c, v in pending], index_key)
        pending.clear()

    for item in items:
        pending.append(item)
        written += len(item[1])
        if sum(len(c) for _, c, _ in pending) >= flush_chunks:
            flush()
    if pending:
        flush()
    wrote = time.perf_counter() - started
    started = time.perf_counter()
    lexical.build()
    return written, wrote, time.perf_counter() - started


# -- the query side, in a fresh process -----------------------------------------------------------
def query_phase(args: argparse.Namespace) -> None:
    launched = float(args.launched)
    from index.bm25 import LexicalIndex
    from index.embedding import MiniLMOnnxEmbedder
    from index.settings import Settings
    from index.store import Store
    from rag.retrieve import Retriever
    from rag.types import Filters

    questions = [json.loads(line) for line in Path(args.questions).read_text().splitlines()[: args.queries]]
    settings = Settings(data_dir=Path(args.data_dir), chroma_url=args.chroma_url or None, cpu_lock=None)
    store = Store(settings)
    lexical = LexicalIndex.for_store(store)
    embedder = MiniLMOnnxEmbedder(threads=2)
    retriever = Retriever(store, embedder)
    started = time.perf_counter()
    retriever.check_ready()  # a cold BM25 cache (server mode) is filled from the server here
    ready = time.perf_counter() - started
    steps = {"after_check_ready": peak()}
    started = time.perf_counter()
    lexical.view()
    bm25_load = time.perf_counter() - started
    steps["after_bm25_load"] = peak()
    first = questions[0]["question"]
    retriever.search(first, settings.top_k)
    first_answered = time.time() - launched
    steps["after_first_search"] = peak()
    result: dict[str, Any] = {
        "check_ready_s": ready,
        "bm25_load_s": bm25_load,
        "first_search_after_start_s": first_answered,
    }
    view = lexical.view()
    from rag import retrieve

    post_filter_limit = retrieve.POST_FILTER_MAX_NEIGHBOURS
    labels = ("no_date", "as_of") if args.no_prefilter else ("no_date", "as_of", "as_of_chroma_prefilter")
    for label in labels:
        # The last: the same as-of searches through Chroma's metadata pre-filter (before issue 14).
        retrieve.POST_FILTER_MAX_NEIGHBOURS = 0 if label == "as_of_chroma_prefilter" else post_filter_limit
        times = []
        shares = []
        for q in questions:
            as_of = f"{q['id'][:4]}-{q['id'][4:6]}-{q['id'][6:8]}" if label != "no_date" else None
            if as_of:
                shares.append(float(np.mean(view.days <= int(as_of.replace("-", "")))))
            t = time.perf_counter()
            retriever.search(q["question"], settings.top_k, Filters(as_of=as_of))
            times.append(time.perf_counter() - t)
        result[label] = {
            "p50_ms": 1000 * float(np.percentile(times, 50)),
            "p95_ms": 1000 * float(np.percentile(times, 95)),
            "share_kept": float(np.mean(shares)) if shares else 1.0,
        }
    embeds = []
    for q in questions:
        t = time.perf_counter()
        embedder.embed([q["question"]])
        embeds.append(time.perf_counter() - t)
    result["query_embedding_p50_ms"] = 1000 * float(np.percentile(embeds, 50))
    result["peak_rss_mb"] = peak()
    result["peak_rss_mb_steps"] = steps
    result["chunks"] = len(view)
    print("RESULT " + json.dumps(result))


def build_phase(args: argparse.Namespace) -> None:
    """Build the BM25 matrix of the index's table once, in this fresh process, without saving it."""
    from index.bm25 import LexicalIndex
    from index.settings import Settings
    from index.store import Store

    settings = Settings(data_dir=Path(args.data_dir), cpu_lock=None)
    lexical = LexicalIndex.for_store(Store(settings))
    started = time.perf_counter()
    view = lexical._build()
    result = {"bm25_build_s": time.perf_counter() - started, "peak_rss_mb": peak(), "rows": len(view)}
    print("RESULT " + json.dumps(result))


def repair_phase(args: argparse.Namespace) -> None:
    """Drop the BM25 rows of ``args.repair`` articles straight from the table (as a crash between
    the Chroma and the BM25 writes leaves it), then time the sync that restores them, in this
    fresh process (the library of this checkout or of a revision's worktree)."""
    import sqlite3

    from index.bm25 import LexicalIndex
    from index.settings import Settings
    from index.store import Store

    settings = Settings(data_dir=Path(args.data_dir), cpu_lock=None)
    store = Store(settings)
    table = settings.data_dir / "bm25" / f"{settings.collection}.sqlite"
    with sqlite3.connect(table) as connection:
        doc_ids = [r[0] for r in connection.execute("SELECT DISTINCT doc_id FROM chunks LIMIT ?", (args.repair,))]
        marks = ",".join("?" * len(doc_ids))
        rows = connection.execute(f"DELETE FROM chunks WHERE doc_id IN ({marks})", doc_ids).rowcount
        connection.execute(f"DELETE FROM acronyms WHERE doc_id IN ({marks})", doc_ids)
    lexical = LexicalIndex.for_store(store)
    started = time.perf_counter()
    added, dropped = lexical.sync(store)
    seconds = time.perf_counter() - started
    result = {"articles": len(doc_ids), "rows_removed": rows, "sync_s": seconds, "added": added, "dropped": dropped}
    result["peak_rss_mb"] = peak()
    print("RESULT " + json.dumps(result))


def peak() -> float:
    """This process's peak resident memory so far, MB (VmHWM: getrusage's ru_maxrss would carry
    the parent's peak across exec)."""
    return peak_mb(os.getpid())


def run_query_phase(
    args: argparse.Namespace, data_dir: Path, chroma_url: str = "", root: Path = ROOT, phase: str = "--query-phase"
) -> dict[str, Any]:
    """The query phase in a fresh process: this harness, with the library (index/, rag/) of ``root``
    (this checkout, or another revision's worktree)."""
    command = [
        sys.executable,
        __file__,
        phase,
        "--data-dir",
        str(data_dir),
        "--questions",
        str(args.questions),
    ]
    command += ["--queries", str(args.queries), "--launched", repr(time.time())]
    if args.start_up or args.server_only:  # Chroma's pre-filter: 2-9 s a search at 1M, measured by the build run
        command.append("--no-prefilter")
    if chroma_url:
        command += ["--chroma-url", chroma_url]
    if args.repair:
        command += ["--repair", str(args.repair)]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)}
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        raise SystemExit(f"query phase failed: {done.stderr[-3000:]}")
    return dict(json.loads(lines[-1][len("RESULT ") :]))


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20 if path.exists() else 0.0


def serve(path: Path, port: int = 0) -> tuple[subprocess.Popen[bytes], str]:
    """``chroma run`` on ``path``, on ``port`` (0: any free one)."""
    if not port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    log = (path.parent / f"{path.name}.log").open("wb")
    process = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.3)
    raise SystemExit("chroma run did not start")


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_up(args: argparse.Namespace) -> None:
    """A new process's start-up and searches at each size, this checkout against ``args.start_up``,
    on the same index: embedded, and served by ``chroma run`` to a client whose BM25 cache the
    build run left warm. Runs alternate (REV, this checkout, REV, ...) so drift hits both alike."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from bench.worktree import checkout

    report = json.loads(OUT.read_text()) if OUT.is_file() else {"sizes": {}}
    with tempfile.TemporaryDirectory() as tmp, checkout(args.start_up, Path(tmp) / "rev") as tree:
        revisions = ((args.start_up, tree), ("this checkout", ROOT))  # REV's library first, then ours
        for size in args.sizes.split(","):
            folder = args.work / size
            if not (folder / "embedded").is_dir():
                raise SystemExit(f"no index in {folder}; build it first: python bench/scale.py --sizes {size}")
            if args.repair:  # only the repair of a table that lost some articles' rows
                repairs = {}
                for label, root in revisions:
                    repairs[label] = run_query_phase(args, folder / "embedded", root=root, phase="--repair-phase")
                    print(f"   {size} {label} BM25 repair: {repairs[label]}", flush=True)
                report["sizes"].setdefault(size, {})["bm25_repair"] = {"baseline_rev": args.start_up, **repairs}
                OUT.write_text(json.dumps(report, indent=2))
                continue
            runs: dict[str, dict[str, list[dict[str, Any]]]] = {
                label: {"embedded": [], "server_warm": [], "bm25_build": []}
                for label in (args.start_up, "this checkout")
            }
            for label, root in revisions:
                build = run_query_phase(args, folder / "embedded", root=root, phase="--build-phase")
                runs[label]["bm25_build"].append(build)
                print(f"   {size} {label} BM25 build: {build}", flush=True)
            if args.skip_start_up:
                report["sizes"].setdefault(size, {})["bm25_build"] = {"baseline_rev": args.start_up, "runs": runs}
                OUT.write_text(json.dumps(report, indent=2))
                continue
            # The client's BM25 cache is kept per server address: serve where the build run served.
            caches = sorted((folder / "client" / "bm25").glob("http_127.0.0.1_*"))
            port = int(caches[0].name.rsplit("_", 1)[1]) if len(caches) == 1 else 0
            process, url = serve(folder / "embedded" / "chroma", port)
            try:
                for _ in range(args.rounds):
                    for label, root in revisions:
                        mine = runs[label]
                        mine["server_warm"].append(run_query_phase(args, folder / "client", url, root=root))
                        print(f"   {size} {label} server: {mine['server_warm'][-1]}", flush=True)
            finally:
                process.terminate()
                process.wait(timeout=60)
            for _ in range(args.rounds):
                for label, root in revisions:
                    runs[label]["embedded"].append(run_query_phase(args, folder / "embedded", root=root))
                    print(f"   {size} {label} embedded: {runs[label]['embedded'][-1]}", flush=True)
            report["sizes"].setdefault(size, {})["start_up"] = {"baseline_rev": args.start_up, "runs": runs}
            OUT.write_text(json.dumps(report, indent=2))
    print(json.dumps({s: r.get("start_up") for s, r in report["sizes"].items()}, indent=2))


def server_rows(args: argparse.Namespace, chroma_path: Path, client_dir: Path, replicas: Replicas) -> dict[str, Any]:
    """``chroma run`` on ``chroma_path``: a client with an empty BM25 cache (cold), then another on
    that cache (warm), then 2,000 chunks appended through the server, and the server's peak memory."""
    from index.settings import Settings

    row: dict[str, Any] = {}
    process, url = serve(chroma_path)
    try:
        row["server_cold"] = run_query_phase(args, client_dir, url)
        row["server_warm"] = run_query_phase(args, client_dir, url)
        server_settings = Settings(data_dir=client_dir, chroma_url=url, cpu_lock=None)
        n, secs, rebuild = write(server_settings, replicas.stream(10_000, 2000))
        row["server_append"] = {"chunks_per_s": n / secs, "bm25_rebuild_s": rebuild}
        row["server_peak_rss_mb"] = peak_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)
    print(f"   server: cold {row['server_cold']}\n   warm {row['server_warm']}", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/corpus.jsonl.gz")
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared/eval/realtimeqa/dev.jsonl")
    parser.add_argument("--sizes", default="50000,200000")
    parser.add_argument("--base-chunks", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--work", type=Path, default=Path("/tmp/attest-scale"))
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument(
        "--start-up",
        metavar="REV",
        help="no build: on the indexes a previous run left in --work, run the query phase from REV "
        "(a git worktree) and from this checkout, alternating, --rounds times each",
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--server-only", action="store_true", help="no build: the server rows (cold, warm, append) on a built index"
    )
    parser.add_argument("--query-phase", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-prefilter", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build-phase", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-start-up", action="store_true", help="with --start-up: only the BM25 builds")
    parser.add_argument(
        "--repair",
        type=int,
        default=0,
        metavar="N",
        help="with --start-up: only the repair of a BM25 table that lost N articles' rows, timed by each revision",
    )
    parser.add_argument("--repair-phase", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--chroma-url", help=argparse.SUPPRESS)
    parser.add_argument("--launched", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_phase:
        query_phase(args)
        return
    if args.build_phase:
        build_phase(args)
        return
    if args.repair_phase:
        repair_phase(args)
        return
    if args.start_up:
        start_up(args)
        return
    from index.settings import Settings

    args.work.mkdir(parents=True, exist_ok=True)
    docs, chunks, base = load_base(args.corpus, args.base_chunks, args.work)
    replicas = Replicas(docs, chunks, base)
    report: dict[str, Any] = {
        "base": {
            "articles": len(docs),
            "chunks": total_chunks(chunks),
            "embed_chunks_per_s": total_chunks(chunks) / base["embed_seconds"],
        },
        "cpus": os.cpu_count(),
        "sizes": {},
    }
    previous = json.loads(OUT.read_text()) if OUT.is_file() else {}
    report["sizes"] = dict(previous.get("sizes", {}))
    if args.server_only:  # the indexes a build left; the server serves (and appends to) them in place
        for size in args.sizes.split(","):
            client = args.work / size / "client-cold"
            shutil.rmtree(client, ignore_errors=True)
            rows = server_rows(args, args.work / size / "embedded" / "chroma", client, replicas)
            report["sizes"].setdefault(size, {})["server_only"] = rows
            OUT.write_text(json.dumps(report, indent=2))
        return
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"== {size} chunks", flush=True)
        folder = args.work / str(size)
        shutil.rmtree(folder, ignore_errors=True)
        settings = Settings(data_dir=folder / "embedded", cpu_lock=None)
        written, seconds, bm25_build = write(settings, replicas.stream(0, size))
        row: dict[str, Any] = {"chunks": written, "write_chunks_per_s": written / seconds, "write_s": seconds}
        row["bm25_build_s"] = bm25_build
        row["disk_mb"] = {"chroma": du_mb(settings.chroma_path), "bm25": du_mb(settings.data_dir / "bm25")}
        print(f"   built in {seconds:.0f} s", flush=True)
        row["embedded"] = run_query_phase(args, settings.data_dir)
        print(f"   embedded: {row['embedded']}", flush=True)
        if not args.no_server:
            served = folder / "served"
            shutil.copytree(settings.chroma_path, served)
            row.update(server_rows(args, served, folder / "client", replicas))
        n, secs, rebuild = write(settings, replicas.stream(10_000, 2000))
        row["embedded_append"] = {"chunks_per_s": n / secs, "bm25_rebuild_s": rebuild}
        report["sizes"][str(size)] = row
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(report, indent=2))
        shutil.rmtree(folder / "served", ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
