"""Run the ``attest`` CLI with every non-loopback connection refused and logged.

Usage: python tests/netguard.py LOGFILE attest-args...  Any attempt to resolve or connect to a
non-local host is appended to LOGFILE and fails, so a test can assert the log stays empty.
"""

from __future__ import annotations

import os
import socket
import sys

LOCAL = ("127.", "::1", "localhost", "0.0.0.0")


def _is_local(host: object) -> bool:
    return isinstance(host, str | bytes) and str(host if isinstance(host, str) else host.decode()).startswith(LOCAL)


def install(log_path: str) -> None:
    def record(what: str) -> None:
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(what + "\n")

    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_getaddrinfo = socket.getaddrinfo

    def guarded(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):  # type: ignore[index]
            record(f"connect {address!r}")
            raise ConnectionRefusedError(f"network disabled by netguard: {address!r}")

    def connect(self: socket.socket, address: object) -> None:
        guarded(self, address)
        return original_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        guarded(self, address)
        return original_connect_ex(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not _is_local(host):
            record(f"resolve {host!r}")
            raise socket.gaierror(socket.EAI_NONAME, f"network disabled by netguard: {host!r}")
        return original_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


if __name__ == "__main__":
    # run as a script, this file's folder (tests/) comes first on sys.path, and tests/rag and tests/ui
    # would stand in for the packages of the same names: the repository root takes its place
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    install(sys.argv[1])
    sys.argv = ["attest", *sys.argv[2:]]
    from ui.cli import main

    main()
