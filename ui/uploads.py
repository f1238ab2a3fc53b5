"""Files uploaded through the web UI: checked (type, size), given a safe name, and kept in the
upload folder so that re-uploading a file of the same name updates that article."""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ALLOWED_SUFFIXES = (
    ".txt",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".pdf",
    ".docx",
    ".jsonl",
    ".jsonl.gz",
    ".warc",
    ".warc.gz",
    ".arc",
    ".arc.gz",
)
ALLOWED_LABEL = ".txt .md .html .pdf .docx .jsonl(.gz) .warc(.gz)"
MAX_NAME = 100


def safe_name(name: str) -> str:
    """A file name that cannot escape the upload folder or hide: the last path component only,
    ASCII letters, digits, ``.``, ``-`` and ``_``, no leading dot, at most 100 characters, and
    the allowed suffix it came with (lower-cased)."""
    base = re.split(r"[\\/]", name)[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    suffix = next((s for s in ALLOWED_SUFFIXES if ascii_name.lower().endswith(s)), "")
    stem = ascii_name[: len(ascii_name) - len(suffix)]
    stem = re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9._-]+", "_", stem)).strip("._-")
    return (stem[: MAX_NAME - len(suffix)].rstrip("._-") or "upload") + suffix


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.1f} KB" if size < 2**20 else f"{size / 2**20:.1f} MB"


@dataclass
class Saved:
    files: list[Path] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one line per file: name and why


def save_uploads(paths: Sequence[str | Path], folder: Path, max_bytes: int) -> Saved:
    """Copy uploaded files into ``folder`` under safe names; reject wrong types and large files."""
    saved = Saved()
    folder.mkdir(parents=True, exist_ok=True)
    for raw in paths:
        path = Path(raw)
        name = safe_name(path.name)
        if not name.lower().endswith(ALLOWED_SUFFIXES):
            saved.rejected.append(f"{path.name}: not a supported file type (use {ALLOWED_LABEL})")
            continue
        try:
            size = path.stat().st_size
        except OSError as exc:
            saved.rejected.append(f"{path.name}: cannot read the upload ({exc.__class__.__name__})")
            continue
        if size > max_bytes:
            saved.rejected.append(f"{path.name}: {size_text(size)} is over the {size_text(max_bytes)} limit")
            continue
        if size == 0:
            saved.rejected.append(f"{path.name}: the file is empty")
            continue
        target = folder / name
        shutil.copyfile(path, target)
        saved.files.append(target.resolve())
    return saved


def inside(path: str | Path, folder: Path) -> bool:
    """Whether ``path`` (a file, or ``file#id`` for a .jsonl line) lies in ``folder``."""
    file_part = str(path).split("#", 1)[0]
    try:
        Path(file_part).resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
