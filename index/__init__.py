"""Ingestion: load files, extract metadata, chunk, embed and store in Chroma."""

from index import offline as _offline

_offline.configure()
