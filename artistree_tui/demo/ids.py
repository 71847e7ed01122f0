"""Deterministic hashing and UUID-shaped identifiers for the demo data.

An order is generated from its index, so its id must lead back to that index without a table:
:class:`OrderIds` packs a bijective 64-bit mix of the index and a 58-bit check value into the
122 free bits of a version-4 UUID. Decoding inverts the mix and recomputes the check, so a
well-formed UUID that the demo never issued is recognised as unknown (404), not mistaken for
some other order.

:func:`hash64` is the cheap integer hash (splitmix64's finalizer) behind every per-order
pseudo-random choice; :func:`uuid_for` derives the other ids (assets, projects, annotations).
"""

from __future__ import annotations

import uuid

MASK64 = (1 << 64) - 1
_MASK58 = (1 << 58) - 1
_MASK62 = (1 << 62) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_C1 = 0xBF58476D1CE4E5B9
_C2 = 0x94D049BB133111EB
_C1_INV = pow(_C1, -1, 1 << 64)
_C2_INV = pow(_C2, -1, 1 << 64)

# Namespaces keep the ids of different kinds of things apart even for the same number.
NS_ORDER = 1
NS_ASSET = 2
NS_PROJECT = 3
NS_ANNOTATION = 4
NS_CHECK = 6


def mix64(value: int) -> int:
    """splitmix64's finalizer: a fast bijection on 64-bit integers that scatters bits."""
    x = value & MASK64
    x = ((x ^ (x >> 30)) * _C1) & MASK64
    x = ((x ^ (x >> 27)) * _C2) & MASK64
    return x ^ (x >> 31)


def _unxorshift(value: int, shift: int) -> int:
    result = value
    for _ in range(64 // shift + 1):
        result = value ^ (result >> shift)
    return result & MASK64


def unmix64(value: int) -> int:
    """The inverse of :func:`mix64`."""
    x = _unxorshift(value & MASK64, 31)
    x = (x * _C2_INV) & MASK64
    x = _unxorshift(x, 27)
    x = (x * _C1_INV) & MASK64
    return _unxorshift(x, 30)


def hash64(*parts: int) -> int:
    """A deterministic 64-bit hash of a few integers (order matters)."""
    h = _GOLDEN
    for part in parts:
        h = mix64(h ^ (part & MASK64) ^ ((part >> 64) & MASK64))
        h = (h + _GOLDEN) & MASK64
    return mix64(h)


def unit(*parts: int) -> float:
    """A deterministic float in [0, 1) from a few integers."""
    return (hash64(*parts) >> 11) / float(1 << 53)


def _pack(payload: int) -> str:
    """Spread 122 payload bits around the version and variant bits of a UUIDv4."""
    top48 = payload >> 74
    mid12 = (payload >> 62) & 0xFFF
    low62 = payload & _MASK62
    value = (top48 << 80) | (4 << 76) | (mid12 << 64) | (2 << 62) | low62
    return str(uuid.UUID(int=value))


def _unpack(value: int) -> int:
    top48 = value >> 80
    mid12 = (value >> 64) & 0xFFF
    low62 = value & _MASK62
    return (top48 << 74) | (mid12 << 62) | low62


def uuid_from_bits(bits: int) -> str:
    """A UUIDv4 string from 122 random bits (e.g. ``random.Random.getrandbits(122)``)."""
    return _pack(bits & ((1 << 122) - 1))


def uuid_for(namespace: int, *parts: int) -> str:
    """A deterministic, random-looking UUIDv4 string for ``parts`` in ``namespace``."""
    high = hash64(namespace, *parts)
    low = hash64(namespace ^ 0x5A5A, *parts)
    return _pack(((high << 58) | (low & _MASK58)) & ((1 << 122) - 1))


def parse_uuid(text: str) -> uuid.UUID | None:
    """The UUID in ``text`` if it is the canonical 36-character form, else None."""
    if len(text) != 36 or text.count("-") != 4:
        return None
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return None
    return parsed if str(parsed) == text.lower() else None


class OrderIds:
    """Encode an order index as a UUID and decode it back, keyed by the data seed."""

    def __init__(self, seed: int) -> None:
        self._key = hash64(NS_ORDER, seed)
        self._seed = seed

    def _check(self, index: int) -> int:
        return hash64(NS_CHECK, self._seed, index) & _MASK58

    def encode(self, index: int) -> str:
        """The order id of order ``index``."""
        mixed = mix64(index ^ self._key)
        return _pack((mixed << 58) | self._check(index))

    def decode(self, order_id: str) -> int | None:
        """The index behind ``order_id``, or None if this demo never issued it."""
        parsed = parse_uuid(order_id)
        if parsed is None or parsed.version != 4:
            return None
        payload = _unpack(parsed.int)
        index = unmix64(payload >> 58) ^ self._key
        if self._check(index) != payload & _MASK58:
            return None
        return index
