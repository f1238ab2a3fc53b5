"""A Word document (.docx, python-docx) as one article: its paragraphs and table cells in
document order, a blank line between paragraphs; title, author and date from the document's
properties where the text itself does not state them."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

from index import metadata
from index.discovery import LoadError
from index.types import SourceDocument


def load_docx(path: Path, doc_id: str) -> SourceDocument | LoadError:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    file = str(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return LoadError(file, f"not a readable .docx ({exc.__class__.__name__}); re-save it from Word as .docx", file)
    paragraphs: list[str] = []
    title_style = ""
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            from docx.text.paragraph import Paragraph

            para = Paragraph(child, document)
            text = " ".join(para.text.split())
            if text:
                paragraphs.append(text)
                style = (para.style.name if para.style is not None else "") or ""
                if not title_style and style.lower() in ("title", "heading 1"):
                    title_style = text
        elif tag == "tbl":
            from docx.table import Table

            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and value not in cells:  # merged cells repeat their text
                        cells.append(value)
                if cells:
                    paragraphs.append(" | ".join(cells))
    text = "\n\n".join(paragraphs)
    if not text.strip():
        return LoadError(file, "empty document, nothing to index", file)
    props = document.core_properties
    found = metadata.extract(text)
    created = props.created.date().isoformat() if props.created else ""
    meta = replace(
        found,
        title=found.title or (props.title or "").strip() or title_style,
        authors=found.authors or tuple(a.strip() for a in (props.author or "").split(";") if a.strip()),
        published_at=found.published_at or created,
    )
    return SourceDocument(doc_id=doc_id, source=file, text=text, meta=meta)
