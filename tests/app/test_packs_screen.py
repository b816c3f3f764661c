"""The Packs screen (4): installed packs, broken ones with their problems; browse, import and check."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Markdown, Tree

from facilitator.app import make_app
from facilitator.screens.packs.browser import PackBrowser
from facilitator.screens.packs.dialogs import PackFileForm, ReportDialog
from facilitator.screens.packs.screen import PacksScreen
from facilitator.store import Store
from tests.app.screen_helpers import column, row_of, settle, shown, type_text
from tests.curricula.pack_samples import VALID_PACK, edited
from tests.fault_figures import count

BROKEN_PACK = 'id = "broken-one"\ntitle = "[red]Loud[/red] pack"\nversion = "1.0.0"\nunits = 3\ncolour = 1\n'


def user_folder(store: Store) -> Path:
    return store.path.parent / "packs"


async def open_packs(pilot: Pilot) -> PacksScreen:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PacksScreen)
    return pilot.app.screen


async def pick_row(pilot: Pilot, pack_id: str) -> None:
    table = pilot.app.screen.query_one("#packs-table", DataTable)
    table.move_cursor(row=row_of(table, pack_id), animate=False)
    await pilot.pause()


async def ask_for_file(pilot: Pilot, key: str, path: Path) -> None:
    """`i` or `c`, then the path typed into the form and Enter."""
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, PackFileForm)
    await type_text(pilot, str(path))
    await pilot.press("enter")
    await settle(pilot)


async def test_4_lists_bundled_user_and_broken_packs_with_the_problems_literally(store, clock) -> None:
    user_folder(store).mkdir(parents=True)
    (user_folder(store) / "broken-one@1.0.0.toml").write_text(BROKEN_PACK, encoding="utf-8")
    (user_folder(store) / "evening-group@1.0.0.toml").write_text(VALID_PACK, encoding="utf-8")
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_packs(pilot)
        table = pilot.app.screen.query_one("#packs-table", DataTable)
        ids = column(table, 0)
        assert ids[:3] == ["broken-one", "clase-para-familias-es", "dbt-skills-style"]
        assert {"imr-style", "wrap-style", "family-to-family-style", "open-group", "evening-group"} <= set(
            ids
        )
        assert column(table, 5)[row_of(table, "evening-group")] == "user"
        assert column(table, 5)[row_of(table, "imr-style")] == "bundled"
        assert column(table, 3)[row_of(table, "imr-style")] == "✓ ok"
        assert column(table, 3)[row_of(table, "broken-one")] == "✗ broken, 2 problems"
        assert column(table, 6)[row_of(table, "broken-one")] == "[red]Loud[/red] pack"  # shown as written
        assert column(table, 2)[row_of(table, "clase-para-familias-es")] == "es"
        assert column(table, 2)[row_of(table, "imr-style")] == "en"
        assert column(table, 2)[row_of(table, "broken-one")] == "?"
        # Eight bundled packs, six earlier bundled versions kept for pinned groups, and the two user files.
        assert shown(pilot, "#packs-count").startswith("Installed packs (16, 1 broken)")

        await pick_row(pilot, "broken-one")
        detail = shown(pilot, "#pack-detail")
        assert detail.startswith("[red]Loud[/red] pack  broken-one 1.0.0 · user · ✗ broken, 2 problems")
        assert "✗ error: broken-one@1.0.0.toml:4 units: expected a list" in detail
        assert '✗ error: broken-one@1.0.0.toml:5 colour: unknown key "colour"' in detail
        await pilot.press("enter")  # a broken pack cannot be browsed
        await pilot.pause()
        assert isinstance(pilot.app.screen, PacksScreen)
        assert any("This pack is broken" in n.message for n in pilot.app._notifications)

        await pick_row(pilot, "imr-style")
        detail = shown(pilot, "#pack-detail")
        assert "44 sessions in 11 units, usually 90 min" in detail
        assert "groups of 8 or fewer · language en" in detail
        assert "What 1.1.0 changed" in detail and "Withdrawal safety" in detail
        assert "Groups on this version: none" in detail


async def test_h_writes_the_highlighted_pack_s_handout_checklist_as_an_owner_only_pdf(store, clock) -> None:
    import io
    import stat

    from pypdf import PdfReader

    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_packs(pilot)
        await pick_row(pilot, "clase-para-familias-es")
        await pilot.press("h")
        await settle(pilot)
        target = store.path.parent / "handouts" / "clase-para-familias-es-1.0.0-handouts.pdf"
        assert shown(pilot, "#packs-outcome") == f"Handout checklist written to {target}"
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        first = PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
        assert "Lista de materiales" in first and "1.1 Empezar juntos" in first


async def test_enter_browses_units_then_sessions_then_the_agenda_with_prompts(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_packs(pilot)
        await pick_row(pilot, "imr-style")
        await pilot.press("enter")
        await pilot.pause()
        browser = pilot.app.screen
        assert isinstance(browser, PackBrowser)
        tree = browser.query_one(Tree)
        page = browser.query_one("#pack-page", Markdown)
        assert [str(node.label) for node in tree.root.children][:2] == [
            "1. Recovery Strategies",
            "2. Practical Facts about Mental Illness",
        ]
        assert page.source.startswith("# Illness Management and Recovery")
        await pilot.press("down")  # the first unit
        await pilot.pause()
        assert page.source.startswith("# 1. Recovery Strategies")
        assert "1.1 What recovery means to me (90 min)" in page.source
        await pilot.press("enter", "down")  # open the unit, then its first session
        await pilot.pause()
        assert tree.cursor_node is not None and str(tree.cursor_node.label) == "1.1 What recovery means to me"
        source = page.source
        assert source.startswith("# 1.1 What recovery means to me")
        assert "- **5 min** · Informal check\\-in · *check-in*" in source  # the agenda with minutes
        assert "### 1. Informal check\\-in" in source
        assert "Greet people by name" in source  # the segment's prompts, as Markdown
        await pilot.press("enter")  # Enter on a session moves to its page, to read it
        await pilot.pause()
        assert browser.query_one("#pack-page-box").has_focus
        await pilot.press("q")
        assert isinstance(pilot.app.screen, PacksScreen)


async def test_i_imports_a_pack_file_and_says_how_it_went_in_one_line(store, clock, tmp_path) -> None:
    good = tmp_path / "evening.toml"
    good.write_text(VALID_PACK, encoding="utf-8")
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_packs(pilot)
        await ask_for_file(pilot, "i", good)
        message = 'Imported "Evening coping group" (evening-group 1.0.0, 2 sessions).'
        assert shown(pilot, "#packs-outcome") == message
        assert (user_folder(store) / "evening-group@1.0.0.toml").read_text(encoding="utf-8") == VALID_PACK
        table = pilot.app.screen.query_one("#packs-table", DataTable)
        assert "evening-group" in column(table, 0)
        assert column(table, 0)[table.cursor_row] == "evening-group"  # the cursor is on the new pack

        await ask_for_file(pilot, "i", good)
        assert shown(pilot, "#packs-outcome") == (
            "evening-group 1.0.0 is already installed (user); nothing changed."
        )

        changed = tmp_path / "changed.toml"
        changed.write_text(edited('title = "Slowing down"', 'title = "Slowing right down"'), encoding="utf-8")
        await ask_for_file(pilot, "i", changed)
        assert shown(pilot, "#packs-outcome").startswith(
            "Not imported: evening-group 1.0.0 is already installed"
        )


async def test_a_broken_file_is_not_imported_and_its_problems_are_listed(store, clock, tmp_path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN_PACK, encoding="utf-8")
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_packs(pilot)
        await ask_for_file(pilot, "i", broken)
        assert isinstance(pilot.app.screen, ReportDialog)
        assert shown(pilot, "#report-summary") == "Not imported: broken.toml has 2 problems to fix first."
        assert '✗ error: broken.toml:5 colour: unknown key "colour"' in shown(pilot, "#report-details")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, PacksScreen)
        assert shown(pilot, "#packs-outcome") == "Not imported: broken.toml has 2 problems to fix first."
        assert not user_folder(store).exists() or not list(user_folder(store).iterdir())


async def test_c_checks_a_file_and_lists_every_problem_without_installing(store, clock, tmp_path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN_PACK, encoding="utf-8")
    good = tmp_path / "evening.toml"
    good.write_text(VALID_PACK, encoding="utf-8")
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_packs(pilot)
        await ask_for_file(pilot, "c", broken)
        assert isinstance(pilot.app.screen, ReportDialog)
        assert shown(pilot, "#report-summary") == "✗ broken.toml has 2 problems to fix."
        details = shown(pilot, "#report-details").splitlines()
        assert details[0].startswith("✗ error: broken.toml:4 units: expected a list")
        assert details[1].startswith('✗ error: broken.toml:5 colour: unknown key "colour"')
        await pilot.press("enter")
        await ask_for_file(pilot, "c", good)
        assert shown(pilot, "#report-summary") == (
            "✓ evening.toml is a usable pack: evening-group 1.0.0, 2 sessions."
        )
        assert shown(pilot, "#report-details") == "No problems found."
        await pilot.press("escape")
        assert not user_folder(store).exists()


async def test_a_hostile_file_lists_fifty_problems_and_its_names_are_shown_not_obeyed(
    store, clock, tmp_path
) -> None:
    count("bad inputs tried", 2)
    text = 'id = "x"\ntitle = "X"\nversion = "1.0.0"\n' + "".join(f"k{n} = 1\n" for n in range(300))
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(text)
    user_folder(store).mkdir(parents=True)
    (user_folder(store) / "evil\x1b]0;owned\x07@1.0.0.toml").write_text(text)
    app = make_app(store, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_packs(pilot)
        await pick_row(pilot, "x")
        detail = shown(pilot, "#pack-detail").splitlines()
        assert detail[-1] == "… and 251 more problems"
        assert sum(line.startswith("✗ error: evil␛]0;owned␇@1.0.0.toml:") for line in detail) == 50
        output = app.screen._compositor.render_full_update().render_segments(app.console)
        assert "\x1b]0;" not in output and "\x07" not in output
        await ask_for_file(pilot, "c", hostile)
        assert isinstance(app.screen, ReportDialog)
        assert shown(pilot, "#report-summary") == "✗ hostile.toml has 301 problems to fix."
        details = shown(pilot, "#report-details").splitlines()
        assert len(details) == 51 and details[-1] == "… and 251 more problems"


async def test_the_path_form_checks_as_you_type_and_escape_does_nothing(store, clock, tmp_path) -> None:
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_packs(pilot)
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, str(tmp_path / "nowhere.toml"))
        assert shown(pilot, "#pack-file-note") == "There is no file there"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PackFileForm)  # nothing to import: the form stays
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PacksScreen)
        assert shown(pilot, "#packs-outcome") == ""
        assert not user_folder(store).exists()


def test_a_new_group_starts_on_a_pack_in_the_computers_language(monkeypatch) -> None:
    from curricula.registry import Registry
    from facilitator.screens.packs.dialogs import latest_packs

    registry = Registry.load()
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    english = latest_packs(registry)
    assert english[0].pack is not None and english[0].pack.language == "en"
    assert english[-1].id == "clase-para-familias-es"  # the Spanish class after every English pack
    assert [entry.title for entry in english[:-1]] == sorted(e.title for e in english[:-1])
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")
    assert latest_packs(registry)[0].id == "clase-para-familias-es"
