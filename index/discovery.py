"""Which files an ingest reads: folders expanded (recursively, hidden entries skipped), and a
one-line reason for everything that is not read: unsupported types (``.doc``, ``.odt``: not
supported yet), FIFOs and other special files, broken or looping symbolic links, folders that
cannot be listed. A path that could not be fully listed is returned in ``unlisted`` so that
ingest never removes articles it merely failed to see."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
MULTI_SUFFIXES = JSONL_SUFFIXES + WARC_SUFFIXES  # files of many articles, each ``file#key``
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + PDF_SUFFIXES + DOCX_SUFFIXES + WARC_SUFFIXES
NOT_YET = (".doc", ".odt", ".rtf", ".epub")


@dataclass(frozen=True)
class LoadError:
    """A file (or one line of a .jsonl, ``source`` = ``path:line``) that was skipped, and why.
    ``file`` is the file or folder it belongs to: nothing indexed from it is removed in that run."""

    source: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"

    @property
    def path(self) -> str:
        return self.file or self.source


def is_supported(path: Path) -> bool:
    return path.name.lower().endswith(SUPPORTED)


def unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower() or "(no extension)"
    if suffix in NOT_YET:
        return f"unsupported file type ({suffix} is not supported yet); save it as .docx, .pdf, .txt or .html"
    return f"unsupported file type {suffix}; use one of {', '.join(SUPPORTED)}"


def _special(path: Path) -> str | None:
    """Why ``path`` is not a readable regular file (None when it is one)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "broken symbolic link (its target does not exist); fix or remove the link"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop; fix or remove the link"
        return f"cannot read ({exc.__class__.__name__}); check its permissions"
    if stat.S_ISREG(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device or special file"
    return f"not a regular file ({kind}); only regular files are read"


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[LoadError]]:
    """The supported regular files under ``paths`` (resolved, sorted per argument, each once),
    and a :class:`LoadError` for everything else worth naming."""
    files: list[Path] = []
    errors: list[LoadError] = []
    for path in paths:
        if path.is_symlink() or not path.is_dir():
            if not os.path.lexists(path):
                errors.append(LoadError(str(path), "no such file or folder; check the path"))
            elif (reason := _special(path)) is not None:
                errors.append(LoadError(str(path), reason))
            elif is_supported(path):
                files.append(path)
            else:
                errors.append(LoadError(str(path), unsupported_reason(path)))
            continue
        found, problems = _walk(path)
        files.extend(found)
        errors.extend(problems)
    unique: list[Path] = []
    where: dict[Path, Path] = {}
    for file in files:
        resolved = file.resolve()
        if resolved in where:
            if where[resolved] != file:
                errors.append(LoadError(str(file), f"same file as {where[resolved]} (a link to it); read once"))
            continue
        where[resolved] = file
        unique.append(resolved)
    return unique, errors


def _walk(folder: Path) -> tuple[list[Path], list[LoadError]]:
    found: list[Path] = []
    errors: list[LoadError] = []

    def on_error(exc: OSError) -> None:
        name = exc.filename or str(folder)
        errors.append(
            LoadError(str(name), f"cannot list this folder ({exc.__class__.__name__}); check its permissions")
        )

    for root, dirs, names in os.walk(folder, onerror=on_error, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root)
        for d in dirs:
            if (base / d).is_symlink():
                errors.append(LoadError(str(base / d), "symbolic link to a folder, not followed; pass its target"))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = base / name
            reason = _special(path)
            if reason is not None:
                errors.append(LoadError(str(path), reason))
            elif is_supported(path):
                found.append(path)
            else:
                errors.append(LoadError(str(path), unsupported_reason(path)))
    return found, errors
