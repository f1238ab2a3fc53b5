"""A real HTTP server on 127.0.0.1 for the web-ingest tests: serves set routes (body, content
type, optional ETag and delay), honours If-None-Match, and records every request and the most
requests it ever had in flight at once."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str = ""
    delay: float = 0.0


@dataclass
class FixtureServer:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def start(state: FixtureServer) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            with state.lock:
                state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                state.in_flight += 1
                state.most_in_flight = max(state.most_in_flight, state.in_flight)
            answering = True

            def answer() -> None:
                # a request stops being in flight before its reply is written: once the client has
                # the reply it may send the next one, possibly before this thread runs again
                nonlocal answering
                if answering:
                    answering = False
                    with state.lock:
                        state.in_flight -= 1

            try:
                route = state.routes.get(self.path)
                if route is None:
                    answer()
                    self.send_error(404)
                    return
                time.sleep(route.delay)
                answer()
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                answer()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
