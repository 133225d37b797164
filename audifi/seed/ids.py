"""Deterministic ids: a bijective mix of (seed, namespace, number), so ids are unique by
construction and the same on every run; nothing uses ``uuid4`` or the clock."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

import numpy as np

from audifi.seed.tsv import hex_digits

ZERO_ADDRESS = "0x" + "0" * 40
_MASK64 = (1 << 64) - 1
_ODD1 = 0x9E3779B97F4A7C15  # odd multipliers make i -> i*k mod 2^64 a bijection
_ODD2 = 0xC2B2AE3D27D4EB4F


def _hash(*parts: object, size: int) -> bytes:
    return hashlib.blake2b(repr(parts).encode(), digest_size=size).digest()


def _digest(*parts: object, size: int = 8) -> int:
    return int.from_bytes(_hash(*parts, size=size), "big")


def keyed_uniform(seed: int, *parts: object) -> float:
    """A stable number in [0, 1) keyed by ``parts``: a decision that must not depend on order
    or on where the history is split into runs."""
    return _digest(seed, *parts) / 2**64


def _u64(numbers: Iterable[int]) -> np.ndarray:
    """Python ints modulo 2^64 (every id mixes its number modulo 2^64)."""
    return np.fromiter((i & _MASK64 for i in numbers), np.uint64)


class IdFactory:
    """Ids of one seed (``window``: a namespace of its own, e.g. a reorg's).  The ``*_at``
    methods are pure functions of the numbers (rows numbered by their entity get the same id on
    every path); ``uuid``/``addresses`` take the next numbers of the namespace's counter."""

    def __init__(self, seed: int, window: int = 0) -> None:
        self.seed = seed
        self.window = window
        self._counters: dict[str, int] = {}
        self._tags: dict[tuple[object, ...], int] = {}  # digests of the namespaces seen

    def _tag(self, *parts: object, size: int = 8) -> int:
        key = (*parts, size)
        if key not in self._tags:
            self._tags[key] = _digest(self.seed, self.window, *parts, size=size)
        return self._tags[key]

    def _take(self, counter: str, n: int) -> range:
        start = self._counters.get(counter, 0)
        self._counters[counter] = start + n
        return range(start, start + n)

    def uuid(self, namespace: str) -> str:
        return self.uuids_at(namespace, self._take(namespace, 1))[0]

    def uuids_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        return self.uuid_array_at(namespace, _u64(numbers)).astype(str).tolist()

    def uuid_array_at(self, namespace: str, numbers: np.ndarray) -> np.ndarray:
        """``S36`` uuids: a keyed prefix, then a bijection of the number."""
        n, hi = len(numbers), self._tag(namespace)
        hi = (hi & ~(0xF << 12)) | (0x4 << 12)  # version 4 / variant 1: they look like uuid4s
        lo = (np.asarray(numbers, np.uint64) + np.uint64(1)) * np.uint64(_ODD1)  # wraps mod 2^64
        lo = (lo & np.uint64(~(0xC << 60) & _MASK64)) | np.uint64(0x8 << 60)  # RFC 4122 variant
        m = np.empty((n, 36), np.uint8)
        h = f"{hi:016x}"
        m[:, :19] = np.frombuffer(f"{h[:8]}-{h[8:12]}-{h[12:16]}-".encode(), np.uint8)
        digits = hex_digits(lo, 16)
        m[:, 19:23], m[:, 23], m[:, 24:] = digits[:, :4], ord("-"), digits[:, 4:]
        return m.view("S36").reshape(n)

    def tx_hash_array_at(self, namespace: str, numbers: np.ndarray) -> np.ndarray:
        """``S66`` hashes: ``0x``, 16 hex digits of a bijection of the number, then a keyed
        tag whose low 64 bits are xor-ed with another mix of it."""
        n, tag = len(numbers), self._tag("tx", namespace, size=24)
        i = np.asarray(numbers).astype(np.uint64)
        m = np.empty((n, 66), np.uint8)
        m[:, :2] = np.frombuffer(b"0x", np.uint8)
        m[:, 2:18] = hex_digits((i + np.uint64(1)) * np.uint64(_ODD1), 16)
        m[:, 18:50] = np.frombuffer(f"{tag >> 64:032x}".encode(), np.uint8)
        m[:, 50:] = hex_digits(np.uint64(tag & _MASK64) ^ (i * np.uint64(_ODD2)), 16)
        return m.view("S66").reshape(n)

    def tx_hashes_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        return self.tx_hash_array_at(namespace, _u64(numbers)).astype(str).tolist()

    def addresses(self, namespace: str, n: int) -> list[str]:
        return self.addresses_at(namespace, self._take("addr:" + namespace, n))

    def addresses_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        """EVM addresses (``0x`` + 40 hex digits, never ZERO): a bijection of the number, then
        a keyed tag xor-ed with another mix of it."""
        tag, mask = self._tag("addr", namespace, size=12), (1 << 96) - 1
        return [
            f"0x{((i + 1) * _ODD2) & _MASK64:016x}{tag ^ ((i * _ODD1) & mask):024x}"
            for i in numbers
        ]


def solana_address(seed: int, i: int) -> str:
    """A base58-looking Solana address (44 characters)."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    n = _digest(seed, "sol", i, size=32)
    chars = []
    for _ in range(44):
        n, r = divmod(n, 58)
        chars.append(alphabet[r])
    return "".join(chars)


def fake_ciphertext(seed: int, *parts: object, size: int = 32) -> str:
    """A stand-in for an AES-256-GCM encrypted secret (never a real credential)."""
    return "enc:v1:aes256gcm:" + base64.b64encode(_hash(seed, *parts, size=size)).decode()


def hex_digest(seed: int, *parts: object, size: int = 32) -> str:
    return _hash(seed, *parts, size=size).hex()
