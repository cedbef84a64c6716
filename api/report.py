"""The case-file report: every fact about a set of entities with its source, as HTML or PDF.

The PDF is drawn by reportlab with Noto Sans Thai (OFL-1.1, from the ``fontpkg-noto-sans-thai`` package),
so Thai names print without any system font.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from api.profile import display_name
from api.schemas import EntityProfile, SourceRef
from graph_model.store.base import Subgraph

__all__ = ["CaseFile", "render_html", "render_pdf"]

FONT = "NotoSansThai"


@dataclass
class CaseFile:
    """What a report shows: a title, who made it, the profiles and the relationships among them."""

    title: str
    author: str
    profiles: list[EntityProfile]
    graph: Subgraph

    @property
    def made(self) -> str:
        """When the report is made (UTC)."""
        return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _src(sources: list[SourceRef]) -> str:
    return "; ".join(f"{s.agency} {s.record_id} ({s.seen})" for s in sources) or "—"


def _rows(cf: CaseFile) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(section heading, [(what, value, sources)]) per entity, then the relationships."""
    labels = {n.id: display_name(n) for n in cf.graph.nodes}
    sections = []
    for p in cf.profiles:
        rows = [(f.kind, f.value, _src(f.sources)) for f in [*p.names, *p.identifiers]]
        rows += [(f"case ({c.role})", f"{c.case_no or c.case_id} {c.agency or ''}", _src(c.sources)) for c in p.cases]
        rows += [(f"{e.date}", e.label, _src(e.sources)) for e in p.timeline]
        sections.append((f"{p.entity.type} {labels.get(p.entity.id, p.entity.id)} [{p.entity.id}]", rows))
    rels = [
        (r.type, f"{labels.get(r.source, r.source)} → {labels.get(r.target, r.target)}",
         _src(SourceRef.parse_all(r.props.get("sources"))))
        for r in cf.graph.relationships
    ]
    sections.append(("Relationships among these entities", rels))
    return sections


def render_html(cf: CaseFile) -> str:
    """A self-contained HTML case file (print it, or save it to the file)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='th'><head><meta charset='utf-8'>",
        f"<title>{e(cf.title)}</title><style>@font-face{{font-family:'Noto Sans Thai';src:url('/static/fonts/NotoSansThai.ttf')}}"
        "body{font-family:'Noto Sans Thai',sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #999;padding:4px;vertical-align:top;font-size:13px}h2{margin-top:1.5em}</style>",
        f"</head><body><h1>{e(cf.title)}</h1><p>Made by {e(cf.author)}, {e(cf.made)}. "
        "Every fact names its source: agency, record id and the date the record was seen.</p>",
    ]
    for heading, rows in _rows(cf):
        parts.append(f"<h2>{e(heading)}</h2><table><tr><th>What</th><th>Value</th><th>Sources</th></tr>")
        parts += [f"<tr><td>{e(a)}</td><td>{e(b)}</td><td>{e(c)}</td></tr>" for a, b, c in rows]
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from api.routes.web import font_file

    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    path = font_file()
    if path is None:  # pragma: no cover - the package is a dependency
        return "Helvetica"
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def render_pdf(cf: CaseFile) -> bytes:
    """The same case file as PDF (A4)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=12)
    h1 = ParagraphStyle("h1", parent=body, fontSize=16, leading=22)
    h2 = ParagraphStyle("h2", parent=body, fontSize=11.5, leading=16, spaceBefore=8)
    e = html.escape
    story: list[object] = [
        Paragraph(e(cf.title), h1),
        Paragraph(e(f"Made by {cf.author}, {cf.made}. Every fact names its source: agency, record id, date seen."), body),
        Spacer(1, 4 * mm),
    ]
    for heading, rows in _rows(cf):
        story.append(Paragraph(e(heading), h2))
        data = [[Paragraph(x, body) for x in ("What", "Value", "Sources")]]
        data += [[Paragraph(e(a), body), Paragraph(e(b), body), Paragraph(e(c), body)] for a, b, c in rows]
        table = Table(data, colWidths=[30 * mm, 70 * mm, 75 * mm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=cf.title, author=cf.author,
                      leftMargin=15 * mm, rightMargin=15 * mm).build(story)
    return out.getvalue()
