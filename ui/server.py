"""``attest serve``: one ASGI app on one port (FastAPI, served by uvicorn) with every door to the
same engine:

- ``/``: the web UI (Gradio, mounted with ``gradio.mount_gradio_app``; its own login);
- ``/v1``: the OpenAI-compatible API (ui/openai_api.py);
- ``/mcp``: the MCP tools over streamable HTTP (ui/mcp_server.py).

Bound to 127.0.0.1 unless told otherwise; a server reachable from other machines says so on
start, with a warning when the page has no login or the API and MCP endpoints no key
(``ATTEST_API_KEY``). Offline as before: no share link, no SSR, no PWA, no analytics, no fonts.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
import threading
from collections.abc import AsyncIterator
from typing import Any

from rag.pipeline import Pipeline
from ui import mcp_server, openai_api
from ui.app import AttestApp, answer_slots
from ui.assets import CSS, JS
from ui.auth import RequireBearer
from ui.login import ThrottledLogin

SYSTEM_FONTS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]
NOT_MOUNT_OPTIONS = ("share", "inbrowser", "quiet")  # Blocks.launch's own; mount_gradio_app has the rest


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def theme() -> Any:
    """Gradio's default look in the system's fonts: no font file to load, from anywhere."""
    import gradio as gr

    return gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def launch_options(pipeline: Pipeline, host: str | None = None, port: int | None = None) -> dict[str, Any]:
    """The web UI's options: local, offline, optional login, upload limit."""
    s = pipeline.settings
    if bool(s.auth_user) != bool(s.auth_password):
        raise ValueError("set both ATTEST_AUTH_USER and ATTEST_AUTH_PASSWORD to require a login, or neither")
    return {
        "server_name": host or s.host,
        "server_port": port or s.port,
        "share": False,
        "inbrowser": False,
        "quiet": True,
        "auth": ThrottledLogin(s.auth_user, s.auth_password) if s.auth_user and s.auth_password else None,
        "auth_message": "Attest: log in with the user and password from ATTEST_AUTH_USER / ATTEST_AUTH_PASSWORD.",
        "max_file_size": s.upload_max_mb * 2**20,
        "footer_links": ["api", "settings"],
        "ssr_mode": False,
        "pwa": False,
        "mcp_server": False,  # Gradio's own MCP server; Attest's tools are at /mcp (ui/mcp_server.py)
        "enable_monitoring": False,
        "theme": theme(),
        "css": CSS,
        "js": JS,
    }


def create_app(pipeline: Pipeline, host: str | None = None, port: int | None = None) -> Any:
    """The FastAPI app: OpenAI-compatible API at /v1, MCP at /mcp, the web UI at /."""
    import gradio as gr
    from fastapi import FastAPI
    from starlette.routing import Route

    options = launch_options(pipeline, host, port)
    settings = pipeline.settings
    tools = mcp_server.build_server(pipeline)
    mcp_app = tools.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, host=options["server_name"])
    mcp_endpoint = next(r for r in mcp_app.routes if getattr(r, "path", "") == "/mcp")

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with tools.session_manager.run():
            yield

    app = FastAPI(title="Attest", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.mount("/v1", openai_api.create_app(pipeline, answer_slots(settings)))
    app.router.routes.append(Route("/mcp", RequireBearer(mcp_endpoint.app, settings.api_key)))

    ui = AttestApp(pipeline)
    ui.host, ui.port = options["server_name"], options["server_port"]
    demo = ui.build().queue(default_concurrency_limit=1)
    mount = {k: v for k, v in options.items() if k not in NOT_MOUNT_OPTIONS}
    gr.mount_gradio_app(app, demo, path="/", **mount)
    app.state.options = options
    return app


class Running:
    """A started server: its address, and ``close()`` to stop it."""

    def __init__(self, server: Any, thread: threading.Thread | None, url: str) -> None:
        self.server = server
        self.thread = thread
        self.url = self.local_url = url

    def close(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=30)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(
            f"cannot listen on {host}:{port} ({exc.strerror}); pick another with --port or ATTEST_PORT"
        ) from None
    sock.listen(2048)  # connections wait from here on, while the app starts
    return sock


def launch(pipeline: Pipeline, host: str | None = None, port: int | None = None, block: bool = True) -> Running:
    """Serve the web UI, the API and MCP (on 127.0.0.1 unless ``host`` or ATTEST_HOST says otherwise)."""
    import uvicorn

    app = create_app(pipeline, host, port)
    options = app.state.options
    host, port = options["server_name"], options["server_port"]
    if not is_loopback(host):
        login = "with a login" if options["auth"] else "WITHOUT a login (set ATTEST_AUTH_USER and ATTEST_AUTH_PASSWORD)"
        key = "with a key" if pipeline.settings.api_key else "WITHOUT a key (set ATTEST_API_KEY)"
        print(
            f"attest: serving on {host}, reachable from other machines: the web UI {login}, "
            f"the API and MCP endpoints {key}.",
            file=sys.stderr,
        )
    sock = _bind(host, port)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    login = ", login required" if options["auth"] else ""
    if block:
        print(f"Attest is serving on {url}{login}. API: {url}v1, MCP: {url}mcp. Press Ctrl+C to stop.", flush=True)
        server.run(sockets=[sock])
        return Running(server, None, url)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="attest-server", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"the server on {url} stopped while starting; see the messages above")
        thread.join(0.05)
    print(f"Attest is serving on {url}{login}.", flush=True)
    return Running(server, thread, url)
