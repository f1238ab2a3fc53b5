"""A real OpenAI-compatible embeddings server on 127.0.0.1 (FastAPI on uvicorn, in a thread) that
serves the packaged MiniLM embedder at ``/v1/embeddings``. It records each request's batch size and
the most requests it had in flight at once, and can answer 503 to the first ``fail_first`` requests
(or to all of them) to exercise retries."""

from __future__ import annotations

import threading
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from index.embedding import Embedder
from tests.loopback import LoopbackServer


class EmbeddingServer:
    def __init__(self, embedder: Embedder, model: str = "minilm-served", delay: float = 0.0) -> None:
        self.embedder = embedder
        self.model = model
        self.delay = delay  # seconds each request takes at least (so concurrent requests overlap)
        self.fail_first = 0
        self.fail_always = False
        self.batches: list[int] = []
        self.arrivals: list[float] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        app = FastAPI()

        @app.post("/v1/embeddings")
        def embeddings(body: dict[str, Any], request: Request) -> Any:  # sync: runs in uvicorn's thread pool
            with self._lock:
                self.arrivals.append(time.monotonic())
                failing = self.fail_always or len(self.arrivals) <= self.fail_first
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                if failing:
                    return JSONResponse({"error": {"message": "overloaded, try later"}}, status_code=503)
                if body.get("model") != self.model:
                    return JSONResponse({"error": {"message": f"model {body.get('model')} not found"}}, status_code=404)
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                time.sleep(self.delay)
                vectors = self.embedder.embed(texts)
                with self._lock:
                    self.batches.append(len(texts))
                data = [{"object": "embedding", "index": i, "embedding": v.tolist()} for i, v in enumerate(vectors)]
                data.reverse()  # the client must order by "index", not by position
                usage = {"prompt_tokens": 0, "total_tokens": 0}
                return {"object": "list", "model": self.model, "data": data, "usage": usage}
            finally:
                with self._lock:
                    self.in_flight -= 1

        self.http = LoopbackServer(app)
        self.port, self.url = self.http.port, self.http.url

    def reset(self) -> None:
        with self._lock:
            self.fail_first, self.fail_always = 0, False
            self.batches, self.arrivals, self.most_in_flight = [], [], 0

    def close(self) -> None:
        self.http.close()
