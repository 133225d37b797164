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
_MASK62 = (1 << 62) - 1  # a uuid's low half under its RFC 4122 variant bits (0b10)
_ODD1 = 0x9E3779B97F4A7C15  # odd multipliers make i -> i*k mod 2^64 a bijection
_ODD2 = 0xC2B2AE3D27D4EB4F
# kind -> (tag bytes, counter multiplier, mixing multiplier, mixed low bits) of ``_hex_at``
_HEX_KINDS = {"addr": (12, _ODD2, _ODD1, 96), "tx": (24, _ODD1, _ODD2, 64)}
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _hash(*parts: object, size: int) -> bytes:
    return hashlib.blake2b(repr(parts).encode(), digest_size=size).digest()


def _digest(*parts: object, size: int = 8) -> int:
    return int.from_bytes(_hash(*parts, size=size), "big")


def keyed_uniform(seed: int, *parts: object) -> float:
    """A stable number in [0, 1) keyed by ``parts``: a decision that must not depend on order."""
    return _digest(seed, *parts) / 2**64


class IdFactory:
    """Mints ids for one seed (``window``: a namespace of its own, e.g. a reorg's branch); ``*_at``
    are pure functions of the numbers, ``uuid`` takes the namespace's next number.  Single ids
    stay pure Python (numpy costs ~50 µs a call); ``*_array_at`` are the same ids in bulk."""

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

    def _prefix(self, namespace: str) -> str:
        hi = self._tag(namespace)
        # uuid version 4 / variant 1 bits, so the values look like ordinary random uuids
        h = f"{(hi & ~(0xF << 12)) | (0x4 << 12):016x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-"

    def uuid(self, namespace: str) -> str:
        n = self._counters.get(namespace, 0)  # the namespace's next number
        self._counters[namespace] = n + 1
        return self.uuids_at(namespace, [n])[0]

    def uuids_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        prefix, out = self._prefix(namespace), []
        for i in numbers:
            lo = (((i + 1) * _ODD1) & _MASK62) | (0x8 << 60)  # RFC 4122 variant bits
            out.append(f"{prefix}{lo >> 48:04x}-{lo & 0xFFFFFFFFFFFF:012x}")
        return out

    def uuid_array_at(self, namespace: str, numbers: np.ndarray) -> np.ndarray:
        n = len(numbers)
        lo = (np.asarray(numbers, np.uint64) + np.uint64(1)) * np.uint64(_ODD1)  # wraps mod 2**64
        digits = hex_digits((lo & np.uint64(_MASK62)) | np.uint64(0x8 << 60), 16)
        m = np.empty((n, 36), np.uint8)
        m[:, :19] = np.frombuffer(self._prefix(namespace).encode(), np.uint8)
        m[:, 19:23] = digits[:, :4]
        m[:, 23] = ord("-")
        m[:, 24:] = digits[:, 4:]
        return m.view("S36").reshape(n)

    def tx_hash_array_at(self, namespace: str, numbers: np.ndarray) -> np.ndarray:
        """``tx_hashes_at`` as an ``S66`` array (the same rule, vectorised)."""
        n = len(numbers)
        tag = self._tag("tx", namespace, size=24)
        i = np.asarray(numbers).astype(np.uint64)
        m = np.empty((n, 66), np.uint8)
        m[:, :2] = np.frombuffer(b"0x", np.uint8)
        m[:, 2:18] = hex_digits((i + np.uint64(1)) * np.uint64(_ODD1), 16)
        m[:, 18:50] = np.frombuffer(f"{tag >> 64:032x}".encode(), np.uint8)
        m[:, 50:] = hex_digits(np.uint64(tag & _MASK64) ^ (i * np.uint64(_ODD2)), 16)
        return m.view("S66").reshape(n)

    def tx_hashes_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        return self._hex_at("tx", namespace, numbers)

    def addresses_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        """EVM-style addresses (``0x`` + 40 lower-case hex digits), never ZERO."""
        return self._hex_at("addr", namespace, numbers)

    def _hex_at(self, kind: str, namespace: str, numbers: Iterable[int]) -> list[str]:
        """``0x``, 16 hex digits of ``(i + 1) * odd`` (a bijection of the number ``i``), then
        ``2 * size`` digits of a keyed tag xor the low ``bits`` bits of ``i * mix``."""
        size, odd, mix, bits = _HEX_KINDS[kind]
        tag, mask = self._tag(kind, namespace, size=size), (1 << bits) - 1
        return [
            f"0x{((i + 1) * odd) & _MASK64:016x}{tag ^ ((i * mix) & mask):0{2 * size}x}"
            for i in numbers
        ]


def solana_address(seed: int, i: int) -> str:
    """A base58-looking Solana address (44 characters)."""
    n = _digest(seed, "sol", i, size=32)
    chars = []
    for _ in range(44):
        n, r = divmod(n, 58)
        chars.append(_BASE58[r])
    return "".join(chars)


def fake_ciphertext(seed: int, *parts: object, size: int = 32) -> str:
    """A stand-in for an AES-256-GCM encrypted secret (never a real credential)."""
    return "enc:v1:aes256gcm:" + base64.b64encode(_hash(seed, *parts, size=size)).decode()


def hex_digest(seed: int, *parts: object, size: int = 32) -> str:
    return _hash(seed, *parts, size=size).hex()
