"""Ingest + ask on the real default stack with every non-loopback connection refused.

Runs the real CLI in a fresh interpreter whose environment has none of the offline switches
set (Attest must set them itself) and asserts that no non-local host was even looked up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SWITCHES = (
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
    "ANONYMIZED_TELEMETRY",
    "GRADIO_ANALYTICS_ENABLED",
    "TIKTOKEN_CACHE_DIR",
    "DO_NOT_TRACK",
    "HF_HUB_DISABLE_TELEMETRY",
)


@pytest.mark.slow
def test_ingest_and_ask_make_no_network_connection(tmp_path: Path, seeds_copy: Path) -> None:
    log = tmp_path / "net.log"
    env = {k: v for k, v in os.environ.items() if k not in SWITCHES and not k.startswith("ATTEST_")}
    env["ATTEST_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = str(ROOT)

    def attest(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "tests" / "netguard.py"), str(log), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=600,
        )

    ingest = attest("ingest", str(seeds_copy))
    assert ingest.returncode == 0, ingest.stderr
    asked = attest("ask", "What did the Kremlin say about the SCO?", "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["status"] == "answered" and answer["citations"]
    info = attest("info")
    assert info.returncode == 0 and "5 documents" in info.stdout
    assert not log.exists() or log.read_text() == "", f"network attempts:\n{log.read_text()}"


def test_netguard_catches_a_real_attempt(tmp_path: Path) -> None:
    """The guard above is only proof if it sees connections: show that it does."""
    log = tmp_path / "net.log"
    code = (
        "import sys, urllib.request; sys.path.insert(0, 'tests'); import netguard; netguard.install(sys.argv[1])\n"
        "try:\n    urllib.request.urlopen('http://example.com', timeout=5)\nexcept Exception as exc:\n    print(exc)"
    )
    subprocess.run([sys.executable, "-c", code, str(log)], cwd=ROOT, check=True, timeout=60)
    assert "example.com" in log.read_text()
