"""A sync in a few lines, and the hub's state in one: the same words in the command and on Home."""

from __future__ import annotations

from datetime import datetime, tzinfo

from facilitator.store.records import HubLink
from facilitator.sync.hub.exchange import SyncReport


def report_lines(report: SyncReport) -> list[str]:
    merged = report.merged
    lines = [
        f"Synced with the hub at {report.hub} as {report.role}: pushed {report.pushed:,} "
        f"change{'s' if report.pushed != 1 else ''}, pulled {report.pulled:,} "
        f"(added {merged.added:,}, updated {merged.updated:,}, conflicts {merged.conflicts:,})."
    ]
    if merged.conflicts:
        lines.append(
            "each conflict keeps both versions: the later one in place, the other in the conflict log"
        )
    if report.held_back:
        lines.append(
            f"{report.held_back:,} change(s) in groups not assigned to {report.role} on the hub stay on this "
            "laptop: ask whoever looks after the hub to assign them (facilitator hub grant)"
        )
    return lines


def status_line(link: HubLink | None, waiting: int, now: datetime, zone: tzinfo | None = None) -> str:
    """'Hub: last sync 14:02 · 3 changes waiting' (local time); empty when this database has no hub."""
    if link is None:
        return ""
    if link.last_sync_at is None:
        when = "not synced yet"
    else:
        local = link.last_sync_at.astimezone(zone)
        today = now.astimezone(zone).date()
        clock = local.strftime("%H:%M")
        when = f"last sync {clock}" if local.date() == today else f"last sync {local:%d %b} {clock}"
    changes = "nothing waiting" if not waiting else f"{waiting:,} change{'s' if waiting != 1 else ''} waiting"
    return f"Hub: {when} · {changes}"
