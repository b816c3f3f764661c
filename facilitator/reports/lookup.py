"""Finding a group or a person from what someone typed: an id, a whole name, or the start of one.

Names are compared case- and accent-insensitively (`sort_key`): "elo" finds Élodie. A whole name wins over a
longer one it begins ("Sam" over "Samira"); anything else must be the start of exactly one name, or the
answer is a `LookupProblem` naming the candidates (or, when nothing matches, what there is).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from facilitator.store import Store
from facilitator.store.records import Group, Participant, Record
from facilitator.store.store import sort_key

R = TypeVar("R", bound=Record)
SHOWN = 8  # candidates named in one line


class LookupProblem(ValueError):
    """What was typed names no one, or more than one; the message says which and lists candidates."""


def listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return f"{shown}, and {len(names) - SHOWN} more" if len(names) > SHOWN else shown


def find(records: Sequence[R], typed: str, name_of: Callable[[R], str], what: str, whats: str) -> R:
    wanted = typed.strip()
    for record in records:
        if record.id == wanted:
            return record
    key = sort_key(wanted)
    if not key:
        raise LookupProblem(f"no {what} given")
    exact = [r for r in records if sort_key(name_of(r)) == key]
    if len(exact) == 1:
        return exact[0]
    starting = exact or [r for r in records if sort_key(name_of(r)).startswith(key)]
    names = sorted((name_of(r) for r in starting), key=sort_key)
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise LookupProblem(
            f"{typed!r} could be {len(starting)} {whats}: {listed(names)}; type more, or an id"
        )
    everyone = sorted((name_of(r) for r in records), key=sort_key)
    there = f"{whats}: {listed(everyone)}" if everyone else f"there are no {whats} yet"
    raise LookupProblem(f"no {what} matches {typed!r}; {there}")


def find_group(store: Store, typed: str) -> Group:
    return find(store.groups(), typed, lambda g: g.name, "group", "groups")


def find_person(store: Store, typed: str) -> Participant:
    people = sorted(store.all(Participant), key=lambda p: sort_key(p.display_name))
    return find(people, typed, lambda p: p.display_name, "person", "people")
