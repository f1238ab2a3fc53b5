"""bench/reliability.py, web parts: 20 concurrent users through the API, a Chroma server outage under a
running app, and injection through documents (escapes, fake citation markers, link schemes)."""

from __future__ import annotations

import json
import re
import shutil
import socket
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from bench.reliability_crash import settings_for

ROOT = Path(__file__).resolve().parent.parent

# -- web load, outage, injection -----------------------------------------------------------------


def serve(folder: Path, **settings: Any) -> Any:
    from index.embedding import MiniLMOnnxEmbedder
    from rag.pipeline import Pipeline
    from tests.conftest import SEEDS
    from tests.index.test_store_server import free_port
    from tests.ui.fakes import NewsroomLLM
    from ui.server import launch

    seeds = folder / "seeds"
    shutil.copytree(SEEDS, seeds)
    pipeline = Pipeline(
        settings_for(folder / "data", judge_answers=False, **settings),
        embedder=MiniLMOnnxEmbedder(threads=1),
        llm=NewsroomLLM(token_delay=0.02),
    )
    pipeline.ingest([seeds])
    port = free_port()
    return launch(pipeline, host="127.0.0.1", port=port, block=False), f"http://127.0.0.1:{port}/"


QUESTIONS = [
    "What did Khan and Putin discuss about Afghanistan?",
    "When did Pakistan and Russia hold talks?",
    "What did Imran Khan say about arms from Russia?",
    "What was cancelled in October 2012?",
]


def load(folder: Path, users: int) -> dict[str, Any]:
    from gradio_client import Client

    demo, url = serve(folder)
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def user(n: int) -> None:
        client = Client(url, verbose=False)
        started = time.perf_counter()
        job = client.submit(QUESTIONS[n % len(QUESTIONS)], "", "", "", "", api_name="/ask")
        ranks: list[int] = []
        while not job.done():
            status = job.status()
            if status.rank is not None:
                ranks.append(int(status.rank))
            time.sleep(0.05)
        try:
            reply = job.result()
            ok = reply.get("status") in ("answered", "not_found")
        except Exception:
            ok = False
        with lock:
            results.append({"ok": ok, "seconds": time.perf_counter() - started, "ranks": ranks})

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    demo.close()
    times = sorted(r["seconds"] for r in results)
    return {
        "users": users,
        "answered": sum(r["ok"] for r in results),
        "shown_queue_place": sum(1 for r in results if r["ranks"]),
        "max_queue_place": max((max(r["ranks"]) for r in results if r["ranks"]), default=0),
        "p50_s": round(statistics.median(times), 2),
        "p95_s": round(times[max(0, int(round(0.95 * len(times))) - 1)], 2),
    }


def outage(folder: Path) -> dict[str, Any]:
    from index.store import StoreError
    from rag.pipeline import Pipeline
    from tests.conftest import SEEDS, HashEmbedder
    from tests.index.test_store_server import free_port
    from tests.ui.fakes import NewsroomLLM
    from tests.ui.test_outage import last_chat_message, start_chroma, stop
    from ui.app import AttestApp

    port = free_port()
    server = start_chroma(folder / "db", port)
    settings = settings_for(folder / "data", chroma_url=f"http://127.0.0.1:{port}", judge_answers=False)
    pipeline = Pipeline(settings, embedder=HashEmbedder(), llm=NewsroomLLM())
    pipeline.ingest([SEEDS])
    app = AttestApp(pipeline)
    stop(server)
    chat = last_chat_message(app, QUESTIONS[0])
    try:
        app.info()
        info = "answered"
    except StoreError as exc:
        info = str(exc)
    down = time.perf_counter()
    server = start_chroma(folder / "db", port)
    while True:
        try:
            documents = app.info()["index"]["documents"]
            break
        except StoreError:
            time.sleep(0.2)
    recovered = time.perf_counter() - down
    stop(server)
    return {
        "chat_while_down": chat.split("\n")[0][:160],
        "info_while_down": info[:160],
        "documents_after_restart": documents,
        "recovered_without_restart_s": round(recovered, 1),
    }


INJECTED = [
    {"doc_id": "esc", "title": "Harbour\x1b]0;owned\x07 news", "url": "javascript:alert(document.cookie)",
     "text": "The harbour crane repair\x1b[2J finished on Monday \x00after two weeks.\x1b[31m Workers cheered."},
    {"doc_id": "marks", "title": "Budget [1] [2]", "url": "data:text/html,<script>alert(1)</script>",
     "text": "The council approved the budget [1][2] on Tuesday. "
             "See [9](javascript:alert(1)) <img src=x onerror=alert(1)>."},
    {"doc_id": "file", "title": "Bridge", "url": "file:///etc/passwd",
     "text": "The bridge reopened \u202eto traffic on Friday after the inspection."},
]  # fmt: skip


def inject(folder: Path) -> dict[str, Any]:
    from index.embedding import MiniLMOnnxEmbedder
    from rag.pipeline import Pipeline
    from tests.ui.fakes import NewsroomLLM
    from ui import render
    from ui.cli_render import render_answer

    corpus = folder / "inject.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in INJECTED), encoding="utf-8")
    pipeline = Pipeline(
        settings_for(folder / "data", judge_answers=False), embedder=MiniLMOnnxEmbedder(threads=1), llm=NewsroomLLM()
    )
    pipeline.ingest([corpus])
    terminal = html_links = raw_tags = answers = citations = 0
    for question in ("When did the harbour crane repair finish?", "When did the council approve the budget?",
                     "When did the bridge reopen to traffic?"):  # fmt: skip
        answer = pipeline.ask(question)
        answers += 1
        citations += len(answer.citations)
        shown = render_answer(answer)
        terminal += sum(shown.count(c) for c in "\x1b\x00\x07\x9b\u202e")
        turn = render.Turn(1, question, answer, articles={})
        panel = render.sources_html([turn])
        html_links += len(re.findall(r'href="(?:javascript|data|file):', panel, flags=re.I))
        chat = render.chat_markdown(turn)
        raw_tags += len(re.findall(r"(?<!\\)<(?:img|script)", chat + panel))
    stored_urls = [r.meta.url for r in pipeline.store.documents()]
    return {
        "documents": len(INJECTED),
        "answers": answers,
        "citations": citations,
        "escape_chars_on_terminal": terminal,
        "non_http_links_rendered": html_links,
        "raw_html_tags_rendered": raw_tags,
        "non_http_urls_stored": sum(1 for u in stored_urls if u),
    }


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
