"""The handout checklist: each session's handouts and sheets, accessibility notes and blank sheets."""

from __future__ import annotations

import io
from pathlib import Path

import msgspec
import pytest
from pypdf import PdfReader

from curricula.format import Pack
from curricula.loader import load_pack
from facilitator.reports.handouts import checklist, handouts_html, handouts_pdf

PACKS = Path(__file__).parents[2] / "curricula" / "packs"


def bundled(pack_id: str) -> Pack:
    pack = load_pack(PACKS / f"{pack_id}.toml").pack
    assert pack is not None
    return pack


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_checklist_lists_every_session_with_its_handouts_and_sheets_in_course_order() -> None:
    pack = bundled("imr-style")
    book = checklist(pack)
    assert len(book.sessions) == 44
    assert book.sessions[0].label == "1.1" and book.sessions[-1].label == "11.4"
    goals = next(s for s in book.sessions if s.title == "Choosing a personal recovery goal")
    assert [sheet.title for sheet in goals.sheets] == ["My goal chart"]
    assert goals.handouts[0] == "IMR toolkit handout (public domain, SAMHSA): Module 1, Recovery Strategies"
    assert [sheet.id for sheet in book.sheets] == ["goal-chart", "triggers", "crisis-card"]


def test_the_html_page_escapes_pack_text_and_names_every_handout() -> None:
    pack = bundled("open-group")
    unit = pack.units[0]
    session = msgspec.structs.replace(
        unit.sessions[0], title="<script>alert(1)</script> & more", handouts=["Sheet <b>one</b>"]
    )
    pack = msgspec.structs.replace(pack, units=[msgspec.structs.replace(unit, sessions=[session])])
    page = handouts_html(pack)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "Sheet &lt;b&gt;one&lt;/b&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "http" not in page  # nothing fetched from anywhere when it is opened
    for note in pack.accessibility:
        assert note.replace("'", "&#x27;") in page


@pytest.mark.parametrize("pack_id", ["imr-style", "family-to-family-style", "imr-open-style"])
def test_the_pdf_holds_every_session_every_handout_and_a_page_per_blank_sheet(pack_id: str) -> None:
    pack = bundled(pack_id)
    pages = pdf_pages(handouts_pdf(pack))
    text = flat(" ".join(pages))
    assert "Handout checklist" in pages[0]
    book = checklist(pack)
    for session in book.sessions:
        assert flat(f"{session.label} {session.title}") in text
        for handout in session.handouts:
            assert flat(handout) in text, handout
    assert len(pages) > len(book.sheets)
    for page, sheet in zip(pages[-len(book.sheets) :], book.sheets, strict=True):
        assert page.lstrip().startswith(sheet.title)
        for row in sheet.rows:
            assert flat(row) in flat(page)


def test_characters_the_pdf_font_lacks_become_plain_letters_not_a_failure() -> None:
    pack = bundled("open-group")
    pack = msgspec.structs.replace(pack, title="Grupo de apoyo — ¿qué tal? ₂ Ĝ 😀")
    first = pdf_pages(handouts_pdf(pack))[0]
    assert "Grupo de apoyo — ¿qué tal? 2 G ?" in first
