"""The page's own CSS and JavaScript (inline: nothing is fetched from anywhere)."""

from __future__ import annotations

CSS = """
.gradio-container { max-width: 1500px !important; }
#attest-header h1 { margin-bottom: 0; }
#attest-header p { margin-top: 2px; color: var(--body-text-color-subdued); }
#chat .message a.cite { text-decoration: none; font-weight: 600; padding: 0 1px; border-radius: 3px;
  color: var(--color-accent); cursor: pointer; }
#chat .message a.cite:hover { background: var(--color-accent-soft); }
#chat .message small.meta, #chat .message small.searched, #chat .message small.searched-as {
  color: var(--body-text-color-subdued); }
#chat .message .unsupported { color: #b45309; font-style: italic; }
#sources { max-height: 78vh; overflow-y: auto; padding-right: 4px; }
#sources .sources-empty { color: var(--body-text-color-subdued); padding: 8px 4px; }
#sources .turn-box > summary { cursor: pointer; font-weight: 600; padding: 6px 2px; }
#sources .turn-n { font-weight: 400; color: var(--body-text-color-subdued); font-size: 0.9em; }
#sources .source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
  margin: 8px 0; background: var(--block-background-fill); scroll-margin-top: 8px; }
#sources .source.active { border-color: var(--color-accent); box-shadow: 0 0 0 2px var(--color-accent-soft); }
#sources .source header .num { font-weight: 700; color: var(--color-accent); }
#sources .source .date, #sources .origin, #sources .chars { color: var(--body-text-color-subdued); font-size: 0.9em; }
#sources .title cite { font-style: normal; font-weight: 600; }
#sources .title cite.untitled { font-weight: 400; font-style: italic; color: var(--body-text-color-subdued); }
#sources .origin code.where { font-size: 0.85em; word-break: break-all; }
#sources .origin a.where { word-break: break-all; }
#sources .passage, #sources .article-text { white-space: pre-wrap; line-height: 1.5; margin-top: 6px; }
#sources mark.quote { background: #fde68a; color: #1f2937; padding: 1px 0; border-radius: 2px; }
#sources mark.quote.active { background: #fbbf24; outline: 2px solid #d97706; }
#sources details.article > summary { cursor: pointer; color: var(--color-accent); margin-top: 6px; }
#sources .article-text { position: relative; max-height: 22em; overflow-y: auto; padding: 8px;
  border: 1px solid var(--border-color-primary); border-radius: 6px; background: var(--background-fill-secondary); }
#sources .passage-span { background: var(--color-accent-soft); }
#sources .cut { color: var(--body-text-color-subdued); font-style: italic; }
#sources .not-found { border-left: 4px solid #9ca3af; padding: 6px 10px; margin: 6px 0;
  background: var(--background-fill-secondary); }
#sources .searched-as { color: var(--body-text-color-subdued); margin: 4px 0; }
#sources details.notes { margin: 6px 0; color: var(--body-text-color-subdued); font-size: 0.9em; }
#sources details.notes > summary { cursor: pointer; }
#library-summary p, #settings-info p { margin: 2px 0; }
#settings-info td { color: var(--body-text-color); }
#library-table td, #library-table th, #library-table span { font-family: var(--font) !important; }
#filters .row, #filters > div { gap: 10px; }
"""

# Runs once when the page loads. Clicking [n] in an answer opens that answer's source card and
# highlights the quote the sentence rests on; opening "Show whole article" scrolls to the passage.
JS = """
() => {
  const open = (href) => {
    const m = /^#src-(\\d+)-(\\d+)(?:-(\\d+-\\d+))?$/.exec(href || "");
    if (!m) return false;
    const card = document.getElementById(`src-${m[1]}-${m[2]}`);
    if (!card) return false;
    for (let el = card.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
    document.querySelectorAll("#sources .source.active, #sources mark.quote.active")
      .forEach((el) => el.classList.remove("active"));
    card.classList.add("active");
    const marks = m[3]
      ? card.querySelectorAll(`.passage mark.quote[data-quotes~="${m[3]}"]`)
      : card.querySelectorAll(".passage mark.quote");
    marks.forEach((el) => el.classList.add("active"));
    const panel = document.getElementById("sources");
    if (panel && panel.scrollHeight > panel.clientHeight + 1 && panel.contains(card)) {
      const top = card.getBoundingClientRect().top - panel.getBoundingClientRect().top;
      panel.scrollTop += top - 8;  // scroll the sources column, not the page
      const box = panel.getBoundingClientRect();
      if (box.top < 0 || box.top > window.innerHeight) panel.scrollIntoView({ block: "nearest" });
    } else {
      card.scrollIntoView({ block: "nearest" });
    }
    return true;
  };
  window.attestOpenCitation = open;
  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest('a[href^="#src-"]') : null;
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    open(link.getAttribute("href"));
  }, true);
  document.addEventListener("toggle", (event) => {
    const box = event.target;
    if (!box.classList || !box.classList.contains("article") || !box.open) return;
    const text = box.querySelector(".article-text");
    const target = box.querySelector("mark.quote") || box.querySelector(".passage-span");
    if (text && target) text.scrollTop = Math.max(0, target.offsetTop - text.clientHeight / 3);
    if (text) text.scrollIntoView({ block: "nearest" });  // the opened article, not below the fold
  }, true);
}
"""
