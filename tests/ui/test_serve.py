"""``attest serve`` as a user starts it: a fresh interpreter without any offline switch set, every
non-loopback connection refused and logged (tests/netguard.py). It must listen on 127.0.0.1
only, serve the page and its config, and attempt no connection beyond the machine."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import ROOT
from tests.index.test_store_server import free_port
from tests.test_offline import SWITCHES


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on ``port`` (Linux /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def test_serve_listens_on_localhost_and_stays_offline(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SWITCHES and not k.startswith(("ATTEST_", "GRADIO_"))}
    env.update(ATTEST_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "netguard.py"), str(log), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        while True:  # until it listens or exits; no wall-clock limit (pytest's --timeout ends a hang)
            try:
                page = httpx.get(url, timeout=60)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()[0]
                time.sleep(0.5)
        assert page.status_code == 200 and "gradio" in page.text.lower()
        config = httpx.get(f"{url}config", timeout=10).json()
        assert config["analytics_enabled"] is False and config["title"] == "Attest"
        assert config["stylesheets"] == []  # no font or theme stylesheet from elsewhere
        theme_css = httpx.get(f"{url}theme.css", timeout=10).text
        assert "font-family" in theme_css or "--font" in theme_css
        assert not re.search(r"url\(['\"]?(https?:)?//|@import", theme_css)
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"Attest is serving on http://127.0.0.1:{port}/" in output, output
    assert "share=True" not in output
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"attest serve tried to reach the network:\n{attempts}"
