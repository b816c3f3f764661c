"""A pack's handout checklist, session by session, with its accessibility notes and blank sheets: HTML or PDF.

Pure functions of a `Pack`: no Textual, no files. The command writes what they return through the store's
durable writer. Every word from the pack is escaped (HTML) or drawn as plain text (PDF), never interpreted.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from curricula.format import Pack, Sheet

__all__ = ["Checklist", "SessionItems", "checklist", "handouts_html", "handouts_pdf", "labels"]

# The words of the printout, in the pack's own language where we have them (English otherwise).
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Handout checklist",
        "version": "version",
        "access": "Before each session: accessibility",
        "sessions": "Session by session",
        "bring": "To bring",
        "print": "Print",
        "blank": "blank sheet",
        "none": "No handouts listed for this session.",
        "sheets": "Blank sheets to copy",
        "note": "Handouts named here are for the facilitators to supply. The blank sheets are the pack's own"
        " and free to copy.",
    },
    "es": {
        "heading": "Lista de materiales",
        "version": "versión",
        "access": "Antes de cada sesión: accesibilidad",
        "sessions": "Sesión por sesión",
        "bring": "Qué llevar",
        "print": "Imprimir",
        "blank": "hoja en blanco",
        "none": "No hay materiales indicados para esta sesión.",
        "sheets": "Hojas en blanco para copiar",
        "note": "Los materiales que se nombran aquí los aportan quienes facilitan. Las hojas en blanco son"
        " de este paquete y se pueden copiar libremente.",
    },
}


def labels(language: str) -> dict[str, str]:
    """The printout's words for a language tag ("es-MX" uses "es"), English when we have none."""
    return LABELS.get(language.split("-", 1)[0].lower(), LABELS["en"])


@dataclass(frozen=True)
class SessionItems:
    """What to have ready for one session: handouts to bring and the pack's blank sheets to print."""

    label: str  # "2.3": the unit's place in the pack and the session's number
    unit_title: str
    title: str
    handouts: tuple[str, ...]
    sheets: tuple[Sheet, ...]


@dataclass(frozen=True)
class Checklist:
    """A whole pack's checklist, in course order."""

    title: str
    version: str
    language: str
    accessibility: tuple[str, ...]
    sessions: tuple[SessionItems, ...]
    sheets: tuple[Sheet, ...]


def checklist(pack: Pack) -> Checklist:
    """The checklist of every session of `pack` (sheet ids the loader has already checked)."""
    sheets = {sheet.id: sheet for sheet in pack.sheets}
    sessions = tuple(
        SessionItems(
            label=f"{place}.{session.number}",
            unit_title=unit.title,
            title=session.title,
            handouts=tuple(session.handouts),
            sheets=tuple(sheets[sheet_id] for sheet_id in session.sheets if sheet_id in sheets),
        )
        for place, unit in enumerate(pack.units, start=1)
        for session in unit.sessions
    )
    return Checklist(
        pack.title, pack.version, pack.language, tuple(pack.accessibility), sessions, tuple(pack.sheets)
    )


# --- HTML --------------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: sans-serif; font-size: 12pt; line-height: 1.4; max-width: 48em; margin: 2em auto; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; margin-top: 1.4em; } h3 { font-size: 12pt; }
.unit { color: #444; margin: 0; }
ul.check { list-style: none; padding-left: 0; }
ul.check li::before { content: "\\2610\\00a0\\00a0"; }
.sheet { page-break-before: always; break-before: page; }
.space { border-bottom: 1px solid #888; height: 2.2em; margin-bottom: 0.4em; }
@media print { body { margin: 0; } }
"""


def handouts_html(pack: Pack) -> str:
    """The checklist as one self-contained HTML page (no scripts, no links out), ready to print."""
    book = checklist(pack)
    words = labels(book.language)
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(book.language)}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(book.title)} — {e(words['heading'])}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{e(book.title)} — {e(words['heading'])}</h1>",
        f"<p>{e(words['version'])} {e(book.version)}. {e(words['note'])}</p>",
    ]
    if book.accessibility:
        parts.append(f'<h2>{e(words["access"])}</h2><ul class="check">')
        parts += [f"<li>{e(note)}</li>" for note in book.accessibility]
        parts.append("</ul>")
    parts.append(f"<h2>{e(words['sessions'])}</h2>")
    for session in book.sessions:
        parts.append(f"<h3>{e(session.label)} {e(session.title)}</h3>")
        parts.append(f'<p class="unit">{e(session.unit_title)}</p>')
        items = [e(handout) for handout in session.handouts]
        items += [f"{e(words['print'])}: {e(sheet.title)} ({e(words['blank'])})" for sheet in session.sheets]
        if items:
            parts.append('<ul class="check">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
        else:
            parts.append(f"<p>{e(words['none'])}</p>")
    for sheet in book.sheets:
        parts.append(f'<section class="sheet"><h2>{e(sheet.title)}</h2>')
        if sheet.purpose:
            parts.append(f"<p>{e(sheet.purpose)}</p>")
        for row in sheet.rows:
            parts.append(f'<h3>{e(row)}</h3><div class="space"></div><div class="space"></div>')
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --- PDF ---------------------------------------------------------------------------------------------------

# The PDF uses the viewer's built-in Helvetica (nothing to embed, nothing to ship), which covers the
# Windows-1252 characters: every Western European language. Anything else is shown by its nearest plain
# letters, or a question mark, rather than failing the whole printout.
_PDF_ENCODING = "windows-1252"
_PLAIN = str.maketrans({"\u2610": "[ ]", "\u2212": "-", "\u00a0": " ", "\u2011": "-"})


def _pdf_text(text: str) -> str:
    """`text` as the PDF's built-in font can draw it."""
    text = text.translate(_PLAIN)
    try:
        text.encode(_PDF_ENCODING)
        return text
    except UnicodeEncodeError:
        return "".join(_pdf_char(char) for char in text)


def _pdf_char(char: str) -> str:
    try:
        char.encode(_PDF_ENCODING)
        return char
    except UnicodeEncodeError:
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        return plain or "?"


def handouts_pdf(pack: Pack) -> bytes:
    """The checklist as an A4 PDF: the checklist pages, then each blank sheet on a page of its own."""
    from fpdf import FPDF  # imported here: only the printout needs it

    book = checklist(pack)
    words = labels(book.language)
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = _PDF_ENCODING
    pdf.set_title(_pdf_text(f"{book.title} — {words['heading']}"))
    pdf.set_lang(book.language)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()

    def text(size: float, value: str, *, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, size * 0.5, _pdf_text(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def box_item(value: str) -> None:
        pdf.set_font("Helvetica", "", 11)
        if pdf.will_page_break(6):
            pdf.add_page()
        y = pdf.get_y()
        pdf.rect(pdf.l_margin, y + 0.8, 3.6, 3.6)
        pdf.set_x(pdf.l_margin + 6)
        pdf.multi_cell(0, 5.5, _pdf_text(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)

    text(18, f"{book.title} — {words['heading']}", style="B", gap=1)
    text(10, f"{words['version']} {book.version}. {words['note']}", gap=4)
    if book.accessibility:
        text(14, words["access"], style="B")
        for note in book.accessibility:
            box_item(note)
        pdf.ln(3)
    text(14, words["sessions"], style="B")
    for session in book.sessions:
        if pdf.will_page_break(18):
            pdf.add_page()
        text(12, f"{session.label} {session.title}", style="B", gap=0)
        text(9, session.unit_title, gap=1)
        items = [
            *session.handouts,
            *(f"{words['print']}: {s.title} ({words['blank']})" for s in session.sheets),
        ]
        for item in items:
            box_item(item)
        if not items:
            text(10, words["none"])
        pdf.ln(2)
    for sheet in book.sheets:
        pdf.add_page()
        text(18, sheet.title, style="B", gap=1)
        if sheet.purpose:
            text(11, sheet.purpose, gap=4)
        space = (pdf.h - pdf.get_y() - pdf.b_margin) / len(sheet.rows)
        for row in sheet.rows:
            top = pdf.get_y()
            text(12, row, style="B", gap=0)
            bottom = top + space
            pdf.set_draw_color(140)
            line = pdf.get_y() + 8
            while line < bottom - 2:
                pdf.line(pdf.l_margin, line, pdf.w - pdf.r_margin, line)
                line += 8
            pdf.set_draw_color(0)
            pdf.set_y(bottom)
    return bytes(pdf.output())
