"""A document as PDF, with fpdf2 (pure Python, installs with pip anywhere, no browser or system library).

Text is set in a Unicode TrueType font when the machine has one (DejaVu Sans, Liberation Sans or Arial, in the
usual places), so every name prints as typed; without one, the PDF's built-in Helvetica is used and letters it
cannot show are simplified (É → E), which the document's last line says.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from facilitator.reports.document import (
    Bars,
    Block,
    Document,
    Facts,
    Heading,
    Look,
    Paper,
    Paragraph,
    Signatures,
    Table,
)

FONT_PLACES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)
PLAIN_PUNCTUATION = str.maketrans(
    {"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "█": "#"}
)
SIMPLIFIED = "Some letters are simplified here: no Unicode font was found on this computer."
MARGIN = 14.0


def unicode_font() -> tuple[Path, Path] | None:
    for regular, bold in FONT_PLACES:
        if Path(regular).is_file() and Path(bold).is_file():
            return Path(regular), Path(bold)
    return None


def latin1(text: str) -> str:
    """Text the built-in Helvetica can show: accents dropped only where Latin-1 has no letter for them."""
    text = text.translate(PLAIN_PUNCTUATION)
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


class Printer(FPDF):
    """One document on pages of its paper, the footer on each."""

    def __init__(self, document: Document) -> None:
        super().__init__(format="A4" if document.paper is Paper.A4 else "Letter", unit="mm")
        self.document = document
        font = unicode_font()
        self.unicode = font is not None
        if font is not None:
            self.add_font("Sans", "", str(font[0]))
            self.add_font("Sans", "B", str(font[1]))
            self.face = "Sans"
        else:
            self.face = "helvetica"
        self.set_margins(MARGIN, 12, MARGIN)
        self.set_auto_page_break(True, margin=14)
        self.set_title(self.printable(document.title))
        self.set_creator("Facilitator")

    def printable(self, value: str) -> str:
        return value if self.unicode else latin1(value)

    def footer(self) -> None:
        footer = self.document.footer
        if not self.unicode:
            footer = f"{footer} {SIMPLIFIED}".strip()
        self.set_y(-11)
        self.set_font(self.face, "", 7.5)
        self.set_text_color(90)
        page = f"page {self.page_no()}/{{nb}}"
        self.cell(0, 4, self.printable(f"{footer} · {page}" if footer else page), align="C")
        self.set_text_color(0)

    def lines(
        self, text: str, size: float, *, bold: bool = False, height: float | None = None, align: str = "L"
    ) -> None:
        self.set_font(self.face, "B" if bold else "", size)
        self.multi_cell(
            0, height or size * 0.5, self.printable(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def block(self, item: Block) -> None:
        centred = "C" if self.document.look is Look.CERTIFICATE else "L"
        if isinstance(item, Heading):
            self.ln(2.5)
            self.lines(item.text, 13 if item.level <= 2 else 11, bold=True, height=6, align=centred)
            self.ln(0.5)
        elif isinstance(item, Paragraph):
            size = 8.5 if item.small else (13 if self.document.look is Look.CERTIFICATE else 10)
            self.lines(item.text, size, align=centred, height=size * 0.52)
            self.ln(1.5 if self.document.look is not Look.CERTIFICATE else 5)
        elif isinstance(item, Facts):
            for label, value in item.pairs:
                self.set_font(self.face, "B", 10)
                self.write(5, self.printable(f"{label}: "))
                self.set_font(self.face, "", 10)
                self.write(5, self.printable(value))
                self.ln(5)
            self.ln(1.5)
        elif isinstance(item, Table):
            self.table_block(item)
        elif isinstance(item, Bars):
            self.bars(item)
        else:
            assert isinstance(item, Signatures)
            self.ln(6)
            self.set_font(self.face, "", 10)
            for label in item.labels:
                self.cell(self.get_string_width(self.printable(label)) + 3, 8, self.printable(label))
                x, y = self.get_x(), self.get_y() + 7
                self.line(x, y, self.w - MARGIN, y)
                self.ln(13)

    def table_block(self, item: Table) -> None:
        size = 9.5 if item.writing else 8.5
        self.set_font(self.face, "", size)
        widths = item.widths or (1,) * len(item.headers)
        heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
        with self.table(
            col_widths=widths,
            line_height=5.8 if item.writing else 4.4,
            text_align="LEFT",
            headings_style=heading,
            borders_layout=TableBordersLayout.ALL,
            padding=(0.4, 1.2),
            v_align="M",
        ) as table:
            for values in (item.headers, *item.rows):
                row = table.row()
                for value in values:
                    row.cell(self.printable(value))
        if item.caption:
            self.lines(item.caption, 8)
        self.ln(2)

    def bars(self, item: Bars) -> None:
        self.lines(item.title, 10.5, bold=True, height=6)
        count = max(1, len(item.bars))
        width = self.w - 2 * MARGIN
        step, top, tall = width / count, self.get_y() + 2, 32.0
        if top + tall + 8 > self.h - 14:
            self.add_page()
            top = self.get_y() + 2
        self.set_fill_color(74, 111, 165)
        self.set_font(self.face, "", 6.5)
        for i, (label, value) in enumerate(item.bars):
            height = 0 if not item.most else tall * value / item.most
            x = MARGIN + i * step + step * 0.15
            if height:
                self.rect(x, top + tall - height, step * 0.7, height, style="F")
            self.set_xy(MARGIN + i * step, top + tall + 0.5)
            self.cell(step, 3, self.printable(label), align="C")
        self.set_draw_color(136)
        self.line(MARGIN, top + tall, MARGIN + width, top + tall)
        self.set_draw_color(0)
        self.set_fill_color(255)
        self.set_xy(MARGIN, top + tall + 5)


def to_pdf(document: Document) -> bytes:
    printer = Printer(document)
    printer.alias_nb_pages()
    printer.add_page()
    if document.look is Look.CERTIFICATE:
        printer.ln(30)
    printer.lines(
        document.title,
        24 if document.look is Look.CERTIFICATE else 16,
        bold=True,
        height=9,
        align="C" if document.look is Look.CERTIFICATE else "L",
    )
    if document.subtitle:
        printer.lines(document.subtitle, 10, height=5)
    printer.ln(2)
    for item in document.blocks:
        printer.block(item)
    return bytes(printer.output())
