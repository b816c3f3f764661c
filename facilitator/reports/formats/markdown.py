"""A document as Markdown: headings, tables and lists, with stored text escaped so it never becomes markup."""

from __future__ import annotations

import re

from facilitator.reports.document import Bars, Block, Document, Facts, Heading, Paragraph, Table

# Characters that make markup anywhere in a line, and what makes a block at a line's start.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)([#+\-=])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])")
BAR = "█"


def escape(text: str) -> str:
    """Stored text as literal Markdown: one line, every character that could start markup escaped."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    if _NUMBERED.match(text):
        return _NUMBERED.sub(r"\1\\\2", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def cell(text: str) -> str:
    return escape(text) or " "


def block(item: Block) -> list[str]:
    if isinstance(item, Heading):
        return ["#" * min(6, item.level) + " " + escape(item.text), ""]
    if isinstance(item, Paragraph):
        text = escape(item.text)
        return [f"*{text}*" if item.small else text, ""]
    if isinstance(item, Facts):
        return [*(f"- **{escape(label)}:** {escape(value)}" for label, value in item.pairs), ""]
    if isinstance(item, Table):
        lines = [f"| {' | '.join(cell(h) for h in item.headers)} |", "|" + "---|" * len(item.headers)]
        lines += [f"| {' | '.join(cell(c) for c in row)} |" for row in item.rows]
        if item.caption:
            lines += ["", f"*{escape(item.caption)}*"]
        return [*lines, ""]
    if isinstance(item, Bars):
        width = max((len(label) for label, _ in item.bars), default=0)
        lines = [f"**{escape(item.title)}**", "", "```text"]
        for label, value in item.bars:
            bar = BAR * round(20 * value / item.most) if item.most else ""
            lines.append(f"{label.rjust(width)} {bar} {value}")
        return [*lines, "```", ""]
    return [*(f"{escape(label)}: ______________________________" for label in item.labels), ""]


def to_markdown(document: Document) -> str:
    lines = [f"# {escape(document.title)}", ""]
    if document.subtitle:
        lines += [escape(document.subtitle), ""]
    for item in document.blocks:
        lines += block(item)
    if document.footer:
        lines += ["---", "", f"*{escape(document.footer)}*", ""]
    return "\n".join(lines)
