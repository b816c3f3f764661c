"""Sealing with a passphrase: round trips, and each way a blob can fail to open is told apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.store.sealed import (
    KeyCost,
    NewerSeal,
    NotSealed,
    SealDamaged,
    SealingKey,
    WrongPassphrase,
    is_sealed,
    key_for,
    seal,
    seal_chunks,
    seal_with,
    unseal,
    unseal_with,
)

CHEAP = KeyCost(iterations=1, memory_kib=1024, lanes=1)


@pytest.fixture(scope="module")
def key() -> SealingKey:
    return SealingKey.new("correct horse", CHEAP)


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=4096))
def test_a_sealed_blob_opens_to_the_same_bytes(key: SealingKey, data: bytes) -> None:
    blob = seal_with(key, data)
    assert is_sealed(blob)
    assert unseal_with(key, blob) == data
    assert unseal(blob, "correct horse") == data


def test_the_plaintext_is_nowhere_in_the_blob() -> None:
    secret = b"Maria Lopez wants to sleep through the night"
    blob = seal(secret, "pass", CHEAP)
    assert secret not in blob
    assert b"Maria" not in blob


def test_two_seals_of_the_same_bytes_differ(key: SealingKey) -> None:
    assert seal_with(key, b"same") != seal_with(key, b"same")


def test_a_wrong_passphrase_is_told_apart_from_damage() -> None:
    blob = seal(b"notes", "right", CHEAP)
    with pytest.raises(WrongPassphrase):
        unseal(blob, "wrong")
    damaged = bytearray(blob)
    damaged[-3] ^= 0x01
    with pytest.raises(SealDamaged):
        unseal(bytes(damaged), "right")


def test_a_cut_blob_is_damaged(key: SealingKey) -> None:
    blob = seal_with(key, b"x" * 100)
    for cut in (len(blob) - 1, len(blob) - 40):
        with pytest.raises(SealDamaged):
            unseal_with(key, blob[:cut])


@settings(max_examples=200, deadline=None)
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_is_refused(key: SealingKey, position: int, flip: int) -> None:
    blob = bytearray(seal_with(key, b"a note about a goal"))
    position %= len(blob)
    blob[position] ^= flip
    with pytest.raises((NotSealed, SealDamaged, WrongPassphrase, NewerSeal)):
        unseal(bytes(blob), "correct horse")


def test_plain_bytes_are_not_sealed() -> None:
    with pytest.raises(NotSealed):
        unseal(b'{"groups": {}}', "pass")
    with pytest.raises(NotSealed):
        key_for(b"", "pass")


def test_a_newer_format_is_named() -> None:
    blob = seal(b"x", "pass", CHEAP)
    newer = blob.replace(b'"version": 1', b'"version": 9', 1)
    with pytest.raises(NewerSeal):
        unseal(newer, "pass")


def test_pieces_are_bound_to_their_context(key: SealingKey) -> None:
    piece = key.seal_piece(b"line 7", b"journal:7")
    assert key.open_piece(piece, b"journal:7") == b"line 7"
    with pytest.raises(SealDamaged):
        key.open_piece(piece, b"journal:8")


def test_a_header_asking_for_an_unaffordable_key_is_refused_before_deriving() -> None:
    blob = seal(b"x", "pass", CHEAP)
    greedy = blob.replace(b'"memory_kib": 1024', b'"memory_kib": 999999999', 1)
    with pytest.raises(SealDamaged):
        unseal(greedy, "pass")


@settings(max_examples=50, deadline=None)
@given(chunks=st.lists(st.binary(max_size=512), max_size=8))
def test_a_blob_sealed_chunk_by_chunk_opens_as_one(key: SealingKey, chunks: list[bytes]) -> None:
    blob = b"".join(seal_chunks(key, chunks))
    assert unseal_with(key, blob) == b"".join(chunks)
    assert unseal(blob, "correct horse") == b"".join(chunks)
    damaged = bytearray(blob)
    damaged[-1] ^= 1
    with pytest.raises(SealDamaged):
        unseal_with(key, bytes(damaged))
