"""Polite HTTP for the pages and feeds a user names (httpx): a user agent that says who is
asking, timeouts, at most one request per host at a time with a pause between two requests to
the same host, a size cap, and conditional GET (ETag / Last-Modified remembered in the data
folder) so an unchanged feed costs a 304 and no parsing. Nothing else in Attest goes online."""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from index import encoding
from index.urls import canonical_url

USER_AGENT = "Attest/0.1 (news question answering; fetches only what its user names)"
MAX_BYTES = 20 * 2**20
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"


class FetchError(Exception):
    """A page that could not be fetched; ``str()`` is one line that says what to do."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when a conditional GET found it unchanged
    content: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str | None:
        declared = encoding.charset_of_header(self.content_type)
        if declared is None and "html" in self.content_type.lower():
            declared = encoding.charset_of_html(self.content)
        return encoding.decode(self.content, declared)


class Fetcher:
    """One HTTP client; ``state`` is the JSON file that keeps validators for conditional GET."""

    _host_locks: dict[str, threading.Lock] = {}
    _last_request: dict[str, float] = {}
    _guard = threading.Lock()

    def __init__(
        self,
        state: Path | None = None,
        timeout: float = 20.0,
        min_interval: float = 1.0,
        max_bytes: int = MAX_BYTES,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.state_path = state
        self.min_interval = min_interval
        self.max_bytes = max_bytes
        self.client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": ACCEPT},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            max_redirects=5,
            trust_env=False,  # never a proxy or .netrc the user did not name
        )
        self.validators: dict[str, dict[str, str]] = self._load_state()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, conditional: bool = False) -> Fetched:
        """GET ``url``; with ``conditional``, send the validators of the last fetch and return a
        304 :class:`Fetched` when the server says nothing changed. Raises :class:`FetchError`."""
        address = canonical_url(url)
        if not address:
            raise FetchError(f"{url}: not an http(s) address; give a full https://... URL")
        headers = {}
        known = self.validators.get(address, {}) if conditional else {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        host = urlsplit(address).netloc.lower()
        with self._lock_for(host):
            self._wait_turn(host)
            try:
                fetched = self._request(address, headers)
            finally:
                Fetcher._last_request[host] = time.monotonic()
        if conditional and fetched.status == 200:
            self._remember(address, fetched)
        return fetched

    def _request(self, address: str, headers: dict[str, str]) -> Fetched:
        try:
            with self.client.stream("GET", address, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(str(response.url), 304)
                if response.status_code >= 400:
                    raise FetchError(f"{address}: the server answered HTTP {response.status_code}; check the address")
                body = bytearray()
                for part in response.iter_bytes():
                    body += part
                    if len(body) > self.max_bytes:
                        raise FetchError(f"{address}: larger than {self.max_bytes // 2**20} MB; not a news page")
                return Fetched(
                    str(response.url),
                    response.status_code,
                    bytes(body),
                    response.headers.get("Content-Type", ""),
                    response.headers.get("ETag", ""),
                    response.headers.get("Last-Modified", ""),
                )
        except httpx.TimeoutException as exc:
            raise FetchError(f"{address}: timed out ({exc.__class__.__name__}); try again later") from exc
        except httpx.HTTPError as exc:
            why = exc.__class__.__name__
            raise FetchError(f"{address}: cannot fetch ({why}); check the address and the connection") from exc

    def _lock_for(self, host: str) -> threading.Lock:
        with Fetcher._guard:
            return Fetcher._host_locks.setdefault(host, threading.Lock())

    def _wait_turn(self, host: str) -> None:
        last = Fetcher._last_request.get(host)
        if last is not None:
            pause = self.min_interval - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)

    def _remember(self, address: str, fetched: Fetched) -> None:
        if not (fetched.etag or fetched.last_modified):
            return
        self.validators[address] = {"etag": fetched.etag, "last_modified": fetched.last_modified}
        self._save_state()

    def _load_state(self) -> dict[str, dict[str, str]]:
        if self.state_path is None or not self.state_path.exists():
            return {}
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save_state(self) -> None:
        if self.state_path is None:
            return
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.validators, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.state_path)
