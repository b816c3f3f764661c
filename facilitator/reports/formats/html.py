"""A document as one self-contained HTML file: no scripts, no network, print CSS for A4 or Letter.

Stored text is escaped (`html.escape`), so a name or a note is shown as typed and never read as markup. The
chart is inline SVG; fonts are the reader's own sans-serif.
"""

from __future__ import annotations

from html import escape

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

# The file may load nothing and run nothing: only its own inline styles apply.
NOTHING_FROM_OUTSIDE = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
PAGE = {Paper.A4: "A4", Paper.LETTER: "letter"}
# Letter is wider and shorter than A4: a width that fits both, and rows short enough for a page of 30.
# Tables are 1 mm short of the width so that their right border stays inside the page margin.
STYLE = """
@page { size: %(page)s; margin: 12mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt;
       color: #111; margin: 0 auto; max-width: 182mm; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 5mm 0 1.5mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 0 0 2mm; }
p.small, .caption, footer { font-size: 8.5pt; color: #444; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0 0 3mm; }
dt { font-weight: bold; } dd { margin: 0; }
table { border-collapse: collapse; width: calc(100%% - 1mm); table-layout: fixed; margin: 0 0 3mm; }
th, td { border: 0.3mm solid #888; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eee; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
table.writing td { height: 6.4mm; vertical-align: middle; }
.signatures { margin-top: 10mm; }
.signature { display: flex; gap: 3mm; margin: 0 0 7mm; align-items: flex-end; }
.signature span:last-child { flex: 1; border-bottom: 0.3mm solid #111; height: 6mm; }
svg { display: block; margin: 0 0 3mm; }
footer { margin-top: 4mm; }
body.certificate { text-align: center; }
body.certificate h1 { font-size: 26pt; margin-top: 30mm; }
body.certificate p { font-size: 13pt; margin: 0 0 5mm; }
body.certificate dl { display: block; }
@media print { body { max-width: none; } }
"""


def table(item: Table) -> str:
    widths = item.widths or (1,) * len(item.headers)
    share = sum(widths)
    cols = "".join(f'<col style="width:{100 * w / share:.1f}%">' for w in widths)
    head = "".join(f"<th>{escape(h)}</th>" for h in item.headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>\n" for row in item.rows)
    kind = ' class="writing"' if item.writing else ""
    caption = f'<p class="caption">{escape(item.caption)}</p>' if item.caption else ""
    return (
        f"<table{kind}><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>\n{body}</tbody></table>{caption}"
    )


def chart(item: Bars) -> str:
    """Vertical bars, one per label, in inline SVG."""
    count = max(1, len(item.bars))
    width, height, step = 640, 150, 640 / count
    parts = []
    for i, (label, value) in enumerate(item.bars):
        tall = 0 if not item.most else round(110 * value / item.most)
        x = i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{120 - tall}" width="{step * 0.7:.1f}" height="{tall}" fill="#4a6fa5">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{x + step * 0.35:.1f}" y="135" font-size="9" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    return (
        f"<h3>{escape(item.title)}</h3>"
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(item.title)}">'
        f'<line x1="0" y1="120" x2="{width}" y2="120" stroke="#888"/>{"".join(parts)}</svg>'
    )


def block(item: Block) -> str:
    if isinstance(item, Heading):
        level = min(6, max(2, item.level))
        return f"<h{level}>{escape(item.text)}</h{level}>"
    if isinstance(item, Paragraph):
        kind = ' class="small"' if item.small else ""
        return f"<p{kind}>{escape(item.text)}</p>"
    if isinstance(item, Facts):
        return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in item.pairs) + "</dl>"
    if isinstance(item, Table):
        return table(item)
    if isinstance(item, Bars):
        return chart(item)
    assert isinstance(item, Signatures)
    lines = "".join(
        f'<div class="signature"><span>{escape(label)}</span><span></span></div>' for label in item.labels
    )
    return f'<div class="signatures">{lines}</div>'


def to_html(document: Document) -> str:
    body = "\n".join(block(item) for item in document.blocks)
    subtitle = f"<p>{escape(document.subtitle)}</p>" if document.subtitle else ""
    footer = f"<footer>{escape(document.footer)}</footer>" if document.footer else ""
    look = "certificate" if document.look is Look.CERTIFICATE else str(document.look)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{NOTHING_FROM_OUTSIDE}">\n'
        f"<title>{escape(document.title)}</title>\n"
        f"<style>{STYLE % {'page': PAGE[document.paper]}}</style></head>\n"
        f'<body class="{look}">\n<h1>{escape(document.title)}</h1>{subtitle}\n'
        f"{body}\n{footer}\n</body></html>\n"
    )
