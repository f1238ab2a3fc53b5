"""Another git revision of this repository, checked out beside it for a benchmark's baseline."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def checkout(rev: str, tree: Path) -> Iterator[Path]:
    """``rev`` as a detached git worktree at ``tree`` (which must not exist), removed afterwards."""
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True, capture_output=True)
    try:
        yield tree
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
