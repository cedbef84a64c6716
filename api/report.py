"""The case-file report: every fact about a set of entities with its source, as HTML or PDF.

The PDF is drawn by fpdf2 with text shaping on (HarfBuzz, through ``uharfbuzz``) in Noto Sans Thai
(OFL-1.1, from the ``fontpkg-noto-sans-thai`` package): Thai tone marks and above/below vowels are placed
by the font's own rules, and Thai names print without any system font.
"""

from __future__ import annotations

import html
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


#: Characters the Thai font lacks, drawn with ones it has.
_PDF_SUBSTITUTES = str.maketrans({"→": "->"})


def render_pdf(cf: CaseFile) -> bytes:
    """The same case file as PDF (A4), Thai shaped by HarfBuzz."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from api.routes.web import font_file

    path = font_file()
    if path is None:  # pragma: no cover - the package is a dependency
        raise RuntimeError("the Noto Sans Thai font (package fontpkg-noto-sans-thai) is not installed")
    pdf = FPDF(format="A4")
    pdf.set_title(cf.title)
    pdf.set_author(cf.author)
    pdf.set_creator("tipgraph")
    pdf.set_margins(15, 15, 15)
    pdf.add_font(FONT, fname=str(path), variations={"wght": 400.0})
    pdf.add_font(FONT, style="B", fname=str(path), variations={"wght": 700.0})
    pdf.set_text_shaping(True)
    pdf.add_page()

    def text(value: str) -> str:
        return value.translate(_PDF_SUBSTITUTES)

    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 9, text(cf.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8.5)
    pdf.multi_cell(0, 5, text(f"Made by {cf.author}, {cf.made}. Every fact names its source: agency, record id, "
                              "date seen."), new_x="LMARGIN", new_y="NEXT")
    heading_style = FontFace(emphasis="BOLD", fill_color=(245, 245, 245))
    for heading, rows in _rows(cf):
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11.5)
        pdf.multi_cell(0, 7, text(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=8.5)
        with pdf.table(col_widths=(30, 70, 75), line_height=4.5, headings_style=heading_style,
                       text_align="LEFT", repeat_headings=1) as table:
            for cells in [("What", "Value", "Sources"), *rows]:
                row = table.row()
                for cell in cells:
                    row.cell(text(cell))
    return bytes(pdf.output())
