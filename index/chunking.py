"""Sentence-aware chunks with exact character offsets and content-derived ids."""

from __future__ import annotations

import hashlib

from index import sentences
from index.types import Chunk, SourceDocument

VERSION = 2  # bump when sentence splitting or chunking changes: stored articles are re-chunked


def chunk_id(doc_id: str, start: int, text: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{start}\x1f{text}".encode()).hexdigest()[:24]


def chunk_document(doc: SourceDocument, max_chars: int = 900, overlap_sentences: int = 1) -> list[Chunk]:
    """Group whole sentences into chunks of at most ``max_chars`` (a longer sentence is cut
    at a space), each overlapping the previous one by ``overlap_sentences`` sentences."""
    pieces = [piece for span in sentences.split(doc.text) for piece in _fit(span, max_chars)]
    chunks: list[Chunk] = []
    first = 0
    while first < len(pieces):
        last = first
        while last + 1 < len(pieces) and pieces[last + 1].end - pieces[first].start <= max_chars:
            last += 1
        start, end = pieces[first].start, pieces[last].end
        text = doc.text[start:end]
        chunks.append(Chunk(chunk_id(doc.doc_id, start, text), doc.doc_id, len(chunks), start, end, text))
        if last + 1 >= len(pieces):
            break
        first = max(first + 1, last + 1 - overlap_sentences)
    return chunks


def _fit(span: sentences.Span, max_chars: int) -> list[sentences.Span]:
    """Cut an over-long sentence at spaces into pieces of at most ``max_chars``."""
    if span.end - span.start <= max_chars:
        return [span]
    pieces: list[sentences.Span] = []
    start = 0
    text = span.text
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            space = text.rfind(" ", start + 1, end)
            end = space if space > start else end
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            begin = span.start + start + lead
            pieces.append(sentences.Span(begin, begin + len(piece), piece))
        start = end
    return pieces
