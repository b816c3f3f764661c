"""The printed documents in a real browser engine: headless Chromium prints the sign-in sheet of a 25-person
group and a proof-of-attendance letter at A4 and at Letter — one page each, every name whole on its line.

The pages are rendered to PNG (pdftoppm) beside the PDFs so they can be looked at; set FACILITATOR_PICTURES
to a folder to keep them. CI installs Debian's `chromium` and `poppler-utils` (see .ci/run).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from facilitator.reports.attendance_report import person_attendance_report
from facilitator.reports.document import Paper
from facilitator.reports.documents.letter import attendance_letter
from facilitator.reports.documents.sign_in import sign_in_sheet
from facilitator.reports.formats.html import to_html
from facilitator.reports.formats.pdf import to_pdf
from facilitator.store.records import Enrollment, Meeting, MeetingStatus, Participant, SessionRef
from tests.reports.records_for_tests import FIRST, NOW, Course, P

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None
)
# Long names, accents and scripts a sheet must show whole.
NAMES = [
    "Maria-Fernanda Castellanos-Oyelaran", "Zoë Ødegård", "Nguyễn Thị Minh Khai", "Siobhán Ní Bhriain",
    "Oluwaseun Adebayo-Okonkwo", "Björn Þórsson", "Aleksandra Wiśniewska", "Jean-Baptiste Lefèvre",
    "Kwame A.", "Priya Raghunathan", "Tomás García", "Émile Durand", "Fatima Zahra El Idrissi",
    "Christopher Montgomery-Smythe", "Mei Lin", "Dmitri Volkov", "Aoife Ó Súilleabháin", "Sam K.",
    "Henrietta Bartholomew", "Ravi Shankar Subramanian", "Chiara Bellandi", "Yusuf İbrahimoğlu",
    "Noa Ben-David", "Wren", "Esi Mensah",
]  # fmt: skip
SIZES_PT = {Paper.A4: (595, 842), Paper.LETTER: (612, 792)}


def big_group(store):
    course = Course(store, meetings=13)
    people = [Participant(display_name=name) for name in NAMES]
    store.add(*people)
    store.add(
        *(Enrollment(participant_id=p.id, group_id=course.group.id, joined_on=FIRST.date()) for p in people)
    )
    for meeting in course.meetings:
        store.mark_attendance(meeting.id, people[0].id, P)
    store.update(
        course.group, location="Riverside Clinic, room 2", facilitators=["Sam Okafor", "Jude Harris"]
    )
    upcoming = Meeting(
        group_id=course.group.id,
        number=14,
        scheduled_start=FIRST + timedelta(days=7 * 13),
        status=MeetingStatus.PLANNED,
        covers=SessionRef(unit_id="u", session_number=1, title="Starting and keeping a conversation going"),
    )
    store.add(upcoming)
    return course, people, upcoming


def pdf_text_and_sizes(data: bytes) -> tuple[list[str], list[tuple[int, int]]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    return [page.extract_text() for page in reader.pages], sizes


def print_in_chromium(html: str, folder: Path, name: str) -> bytes:
    assert CHROMIUM is not None
    page, pdf = folder / f"{name}.html", folder / f"{name}.pdf"
    page.write_text(html, encoding="utf-8")
    profile = folder / f"{name}-profile"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf.read_bytes()


def keep_pictures(pdf: bytes, folder: Path, name: str) -> None:
    """Render the pages to PNG (when pdftoppm is there), and keep them where FACILITATOR_PICTURES says."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "70", "-png", str(path), str(folder / name)], check=True, timeout=60)
    keep = os.environ.get("FACILITATOR_PICTURES")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for png in folder.glob(f"{name}*.png"):
            shutil.copy(png, Path(keep) / png.name)


def assert_one_page_with_every_name(data: bytes, paper: Paper, names: list[str]) -> None:
    pages, sizes = pdf_text_and_sizes(data)
    assert len(pages) == 1, f"{len(pages)} pages"
    width, height = SIZES_PT[paper]
    assert abs(sizes[0][0] - width) <= 2 and abs(sizes[0][1] - height) <= 2
    lines = [" ".join(line.split()) for line in pages[0].splitlines()]
    for name in names:
        assert any(name in line for line in lines), f"{name!r} is cut or wrapped"


def documents(store):
    course, people, upcoming = big_group(store)
    report = person_attendance_report(store, people[0].id)
    group = store.get(type(course.group), course.group.id)
    for paper in Paper:
        sheet = sign_in_sheet(store, group, upcoming, paper=paper)
        letter = attendance_letter(store, report, NOW.date(), paper)
        yield paper, sheet, letter, people


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (CI installs Debian's chromium)")
def test_chromium_prints_the_sheet_and_the_letter_on_one_page(store, tmp_path: Path) -> None:
    for paper, sheet, letter, people in documents(store):
        printed = print_in_chromium(to_html(sheet), tmp_path, f"sign-in-{paper}")
        assert_one_page_with_every_name(printed, paper, NAMES)
        keep_pictures(printed, tmp_path, f"chromium-sign-in-{paper}")
        printed = print_in_chromium(to_html(letter), tmp_path, f"letter-{paper}")
        assert_one_page_with_every_name(printed, paper, [people[0].display_name, "Proof of attendance"])
        keep_pictures(printed, tmp_path, f"chromium-letter-{paper}")


def test_the_pdfs_are_one_page_each_too(store, tmp_path: Path) -> None:
    for paper, sheet, letter, people in documents(store):
        data = to_pdf(sheet)
        assert_one_page_with_every_name(data, paper, NAMES)
        keep_pictures(data, tmp_path, f"pdf-sign-in-{paper}")
        data = to_pdf(letter)
        assert_one_page_with_every_name(data, paper, [people[0].display_name])
        keep_pictures(data, tmp_path, f"pdf-letter-{paper}")
