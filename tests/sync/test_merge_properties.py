"""The merge over random histories on two and three laptops: its algebra, and that nothing typed is lost.

Each history is a random list of edits on laptops whose wall clocks disagree (one runs a day fast), with
bundles sent between them at random and conflicts settled at random.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise, permutations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.store.records import AttendanceMark, AttendanceStatus, Conflict, Enrollment, Record
from facilitator.sync.merge import canonical_bytes, lost_version, merge
from tests.sync.laptops import History, Laptop, create_everything

names = st.sampled_from(["Ana", "Bea", "Cal", "Dee"])
steps = st.one_of(
    st.tuples(st.just("rename"), st.integers(0, 1), names),
    st.tuples(st.just("retitle"), st.integers(0, 1), names),
    st.tuples(st.just("delete goal"), st.integers(0, 1)),
    st.tuples(st.just("mark"), st.integers(0, 1), st.integers(0, 1), st.sampled_from(list(AttendanceStatus))),
    st.tuples(st.just("enrol"), st.integers(0, 1), st.integers(0, 1)),
    st.tuples(st.just("send"), st.integers(0, 2)),
    st.tuples(st.just("settle"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("tick"), st.integers(0, 5)),
)
histories = st.tuples(
    st.integers(2, 3),  # laptops
    st.booleans(),  # does laptop 0 hand the records out before anyone edits?
    st.lists(st.tuples(st.integers(0, 2), steps), max_size=30),
)


def play(laptop_count: int, handed_out: bool, history_steps: list) -> tuple[list[Laptop], History]:
    history = History()
    skews = [timedelta(0), timedelta(days=1), timedelta(minutes=-5)]
    laptops = [Laptop(n, history, skew=skews[n]) for n in range(laptop_count)]
    create_everything(laptops[0])
    if handed_out:
        for other in laptops[1:]:
            other.take_in(laptops[0])
    for who, step in history_steps:
        laptop = laptops[who % laptop_count]
        kind, *args = step
        if kind == "rename":
            laptop.rename(args[0], args[1])
        elif kind == "retitle":
            laptop.retitle_goal(args[0], args[1])
        elif kind == "delete goal":
            laptop.delete_goal(args[0])
        elif kind == "mark":
            laptop.mark(args[0], args[1], args[2])
        elif kind == "enrol":
            laptop.enrol(args[0], args[1])
        elif kind == "send":
            laptops[args[0] % laptop_count].take_in(laptop)
        elif kind == "settle":
            laptop.settle(args[0], keep_lost=args[1])
        laptop.tick(1 + (args[0] if kind == "tick" else 0))
    return laptops, history


def same(a: object, b: object) -> bool:
    assert isinstance(a, dict) and isinstance(b, dict)
    return canonical_bytes(a) == canonical_bytes(b)


fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(histories)
def test_merge_is_commutative_associative_and_idempotent(history: tuple) -> None:
    laptops, _ = play(*history)
    holdings = [laptop.tables for laptop in laptops]
    for a in holdings:
        assert same(merge(a), a)  # what a laptop holds is already merged with itself
        assert same(merge(a, a), a)
        for b in holdings:
            assert same(merge(a, b), merge(b, a))
            for c in holdings:
                assert same(merge(merge(a, b), c), merge(a, merge(b, c)))


@fast
@given(histories, st.randoms(use_true_random=False))
def test_every_order_of_exchanging_bundles_ends_in_the_same_records(history: tuple, rng) -> None:
    laptops, _ = play(*history)
    everything = merge(*(laptop.tables for laptop in laptops))
    for order in permutations(range(len(laptops))):
        copies = [dict(laptop.tables) for laptop in laptops]
        # Pass bundles along the order twice (there and back): every laptop then holds what all did.
        path = list(order) + list(reversed(order))[1:]
        for giver, taker in pairwise(path):
            copies[taker] = merge(copies[taker], copies[giver])
        for held in copies:
            assert same(held, everything)
    shuffled = [laptop.tables for laptop in laptops]
    rng.shuffle(shuffled)
    assert same(merge(*shuffled), everything)


@fast
@given(histories)
def test_every_version_written_is_kept_or_was_written_over_by_one_that_is(history: tuple) -> None:
    laptops, truth = play(*history)
    everything = merge(*(laptop.tables for laptop in laptops))
    logged = [lost_version(e) for e in everything[Conflict.table].values() if isinstance(e, Conflict)]
    kept: list[Record] = [
        r for name, records in everything.items() if name != Conflict.table for r in records.values()
    ]
    survivors = kept + logged
    stamps = {r.stamp for r in survivors}
    for version in truth.written:
        assert version.stamp in stamps or any(truth.was_written_over(s, version) for s in survivors), version


@fast
@given(histories)
def test_only_versions_written_apart_are_logged_and_one_thing_stays_one_record(history: tuple) -> None:
    laptops, truth = play(*history)
    everything = merge(*(laptop.tables for laptop in laptops))
    for entry in everything[Conflict.table].values():
        assert isinstance(entry, Conflict)
        lost = lost_version(entry)
        kept = everything[entry.record_table][entry.record_id]
        # Neither was written on top of the other: a plain later edit is never reported as a conflict.
        assert not truth.was_written_over(kept, lost)
        if lost.id == kept.id:
            assert not truth.was_written_over(lost, kept)
    for kind, key in (
        (AttendanceMark, ("meeting_id", "participant_id")),
        (Enrollment, ("participant_id", "group_id")),
    ):
        live = [r for r in everything[kind.table].values() if r.deleted_at is None]
        pairs = [tuple(getattr(r, f) for f in key) for r in live]
        assert len(pairs) == len(set(pairs))
