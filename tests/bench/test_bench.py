"""The bench's own logic: its table, the choice of rows, the SQLite and TinyDB peers on the same records, and
the app probes driving real screens. Nothing here is timed against a target (that is the bench's job)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.__main__ import GROUPS, RowGroup, chosen, main, measure, merged, plan
from bench.generate import Generator, generate
from bench.peers import build_sqlite, sqlite_mark_seconds, sqlite_read_all, tinydb_mark_seconds
from bench.rows import Context, Row, at_most, format_table, ratio_text
from bench.sizes import SIZES, Size
from bench.store_rows import mark_pairs
from facilitator.store import Store
from facilitator.store.records import AttendanceMark, Group, Meeting, MeetingStatus, Participant

TINY = Size("T", groups=3, participants=30, meetings=40, marks=300, goals=10)


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(TINY, tmp_path_factory.mktemp("bench") / "tiny.json")


@pytest.fixture
def few_openings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each screen opened twice and the empty one once: the probes' logic, not their statistics."""
    from bench import app_probe

    monkeypatch.setattr(app_probe, "AGAIN", 1)
    monkeypatch.setattr(app_probe, "FLOOR", 1)


@pytest.fixture
def tiny_copy(tiny_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.json"
    shutil.copyfile(tiny_db, copy)
    return copy


# --- the table -----


def test_ratios_say_which_way_for_figures_where_less_is_better() -> None:
    assert ratio_text(0.2, 20.0) == "100x less"
    assert ratio_text(3.0, 2.0) == "1.5x more"
    assert ratio_text(None, 2.0) == ratio_text(1.0, None) == ratio_text(0.0, 1.0) == ""


def test_a_ceiling_is_met_at_or_under_it_and_never_when_not_measured() -> None:
    assert at_most("f", "L", 100.0, "ms", 100).met is True
    assert at_most("f", "L", 100.5, "ms", 100).met is False
    missing = at_most("f", "L", None, "ms", 100)
    assert missing.met is False and missing.target == "<= 100 ms"


def test_the_table_shows_both_peers_and_their_ratios() -> None:
    row = Row("open and read everything", "M", 0.1, "s", "-", None, baseline=2.0, sqlite=0.3)
    table = format_table([row, at_most("a key", "L", 80.0, "ms", 50)])
    header, ours, key = table.splitlines()
    assert "baseline" in header and "SQLite" in header
    assert "20x less" in ours and "3x less" in ours and "0.3" in ours
    assert "NO" in key and "<= 50 ms" in key


# --- choosing and keeping rows -----


def test_only_chooses_groups_by_the_start_of_their_key() -> None:
    assert [g.key for g in chosen(GROUPS, ["participant", "run"])] == [
        "participant-screen",
        "run-session-screen",
    ]
    assert chosen(GROUPS, None) == list(GROUPS)
    with pytest.raises(ValueError, match="no row group starts with nothing"):
        chosen(GROUPS, ["nothing"])


def test_each_group_runs_at_its_own_sizes_size_by_size() -> None:
    memory = next(g for g in GROUPS if g.key == "memory")
    screen = next(g for g in GROUPS if g.key == "group-screen")
    assert [(size, g.key) for size, g in plan([memory, screen], ["S", "M", "L"])] == [
        ("S", "group-screen"),
        ("M", "memory"),
        ("M", "group-screen"),
        ("L", "memory"),
        ("L", "group-screen"),
    ]


def test_the_issues_rows_are_all_registered_at_their_sizes() -> None:
    sizes = {g.key: g.sizes for g in GROUPS}
    assert sizes["participant-screen"] == sizes["run-session-screen"] == sizes["people-filter"] == "L"
    assert sizes["memory"] == "ML" and sizes["group-screen"] == "SML" and sizes["stall"] == "L"
    assert SIZES["L"].participants == 5_000  # the filter row is "a key among 5,000 people"


def test_a_group_that_fails_is_a_row_saying_why() -> None:
    def broken(context: Context) -> list[Row]:
        raise RuntimeError("the probe could not find the screen")

    [row] = measure("L", RowGroup("broken", "L", broken, ""), Context("L"))
    assert row.figure == "broken: not measured" and row.met is False
    assert row.note == "RuntimeError: the probe could not find the screen"


def test_rows_measured_now_replace_their_earlier_figures_and_the_rest_stay() -> None:
    old = [{"figure": "a", "size": "S", "result": 1.0}, {"figure": "b", "size": "S", "result": 2.0}]
    out = merged(old, [Row("b", "S", 3.0, "s", "-", None), Row("c", "L", 4.0, "s", "-", None)])
    assert [(r["figure"], r["result"]) for r in out] == [("a", 1.0), ("b", 3.0), ("c", 4.0)]


def test_list_names_every_group_and_an_unknown_key_is_one_clear_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [g.key for g in GROUPS]
    with pytest.raises(SystemExit) as exited:
        main(["--only", "nothing"])
    assert exited.value.code == 2
    assert "no row group starts with nothing" in capsys.readouterr().err


# --- the databases and the peers -----


def test_the_generator_is_reproducible_and_makes_the_sizes_shape() -> None:
    first, again = Generator(TINY).records(), Generator(TINY).records()
    assert first == again
    people = [r for r in first if isinstance(r, Participant)]
    assert len(people) == TINY.participants
    long_group = next(r for r in first if isinstance(r, Group) and r.name == "Group 000")
    meetings = {r.id for r in first if isinstance(r, Meeting) and r.group_id == long_group.id}
    assert len(meetings) == TINY.meetings // 2
    marks = [r for r in first if isinstance(r, AttendanceMark) and r.meeting_id in meetings]
    assert len(marks) == len(meetings) * 25


def test_sqlite_holds_the_same_records_as_the_file(tiny_db: Path, tmp_path: Path) -> None:
    read = sqlite_read_all(build_sqlite(tiny_db, tmp_path / "tiny.sqlite"))
    with Store.open(tiny_db, read_only=True) as store:
        for kind in (Participant, Group, Meeting, AttendanceMark):
            assert sorted(r.id for r in read[kind.table]) == sorted(r.id for r in store.all(kind))
        some = store.all(Meeting)[0]
    assert next(m for m in read["meetings"] if m.id == some.id) == some


def test_each_durable_sqlite_insert_is_a_new_mark_in_the_table(tiny_db: Path, tmp_path: Path) -> None:
    path = build_sqlite(tiny_db, tmp_path / "tiny.sqlite")
    before = len(sqlite_read_all(path)["marks"])
    pairs = mark_pairs(tiny_db, 5)
    assert len(sqlite_mark_seconds(path, pairs)) == 5
    marks = [m for m in sqlite_read_all(path)["marks"] if isinstance(m, AttendanceMark)]
    assert len(marks) == before + 5
    assert set(pairs) <= {(m.meeting_id, m.participant_id) for m in marks}


def test_tinydb_inserts_the_same_marks_into_the_file(tiny_copy: Path) -> None:
    pairs = mark_pairs(tiny_copy, 3)
    before = len(json.loads(tiny_copy.read_text())["marks"])
    assert len(tinydb_mark_seconds(tiny_copy, pairs)) == 3
    marks = json.loads(tiny_copy.read_text())["marks"].values()
    assert len(marks) == before + 3
    assert set(pairs) <= {(m["meeting_id"], m["participant_id"]) for m in marks}


# --- the app probes, in this process -----


def test_the_filter_probe_types_keys_and_the_list_follows(tiny_db: Path) -> None:
    from bench.app_probe import FILTER_KEYS, Profile, people_filter, run_app

    found = run_app(tiny_db, people_filter(Profile(False)), read_only=True)
    with Store.open(tiny_db, read_only=True) as store:
        names = [p.display_name.lower() for p in store.all(Participant)]
    assert found["total"] == len(names) == TINY.participants
    assert found["shown"] == [
        sum("1" in n for n in names),
        sum("12" in n for n in names),
        sum("123" in n for n in names),
        sum("12" in n for n in names),
        sum("1" in n for n in names),
        len(names),
    ]
    assert len(found["painted"]) == len(found["idle"]) == len(FILTER_KEYS)


def test_the_participant_probe_opens_a_long_group_regular(tiny_db: Path, few_openings: None) -> None:
    from bench.app_probe import Profile, participant, run_app

    found = run_app(tiny_db, participant(Profile(False)), read_only=True)
    with Store.open(tiny_db, read_only=True) as store:
        long_group = next(g for g in store.all(Group) if g.name == "Group 000")
        most = max(len(store.participant_marks(p.id)) for _, p in store.roster(long_group.id))
    assert found["marks"] == most
    assert {"first", "first_idle", "again", "floor"} <= found.keys()


def test_the_run_session_probe_plans_a_meeting_from_a_bundled_pack_and_opens_it(
    tiny_copy: Path, few_openings: None
) -> None:
    from bench.app_probe import Profile, plan_a_meeting, run_app, run_session

    meeting_id = plan_a_meeting(tiny_copy)
    with Store.open(tiny_copy, read_only=True) as store:
        meeting = store.require(Meeting, meeting_id)
        group = store.require(Group, meeting.group_id)
        assert group.name == "Group 000" and group.pack_id == "imr-open-style"
        assert meeting.status is MeetingStatus.PLANNED and len(meeting.agenda) > 1
        assert meeting.number == len(store.group_meetings(group.id))
    found = run_app(tiny_copy, run_session(meeting_id, Profile(False)), read_only=False)
    assert "first" in found  # the probe stops with a line of its own when the screen does not open
