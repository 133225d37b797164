"""Deterministic identifiers: uuids, wallet and contract addresses, transaction hashes.

Every id is a bijective mix of (seed, namespace, counter), so ids are unique by construction and
identical across runs with the same seed; nothing depends on ``uuid4`` or the clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from audifi.seed.tsv import hex_digits

ZERO_ADDRESS = "0x" + "0" * 40
_MASK64 = (1 << 64) - 1
_ODD1 = 0x9E3779B97F4A7C15  # odd multipliers make i -> i*k mod 2^64 a bijection
_ODD2 = 0xC2B2AE3D27D4EB4F


def _digest(*parts: object, size: int = 8) -> int:
    h = hashlib.blake2b(repr(parts).encode(), digest_size=size)
    return int.from_bytes(h.digest(), "big")


def keyed_uniform(seed: int, *parts: object) -> float:
    """A stable number in [0, 1) keyed by ``parts`` (a decision that must not depend on order).

    ``append_days`` times lifecycle steps of existing rows (verification, deposit, payment…)
    with it, so a step lands in exactly one append window whatever the window boundaries are.
    """
    return _digest(seed, *parts) / 2**64


class IdFactory:
    """Mints ids for one seed and one generation window (0 = full seed, else the append day)."""

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

    def _take(self, counter: str, n: int) -> int:
        """Reserve ``n`` numbers of ``counter``; return the first."""
        start = self._counters.get(counter, 0)
        self._counters[counter] = start + n
        return start

    def _prefix(self, namespace: str) -> str:
        hi = self._tag(namespace)
        # uuid version 4 / variant 1 bits, so the values look like ordinary random uuids
        hi = (hi & ~(0xF << 12)) | (0x4 << 12)
        h = f"{hi:016x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-"

    def uuids(self, namespace: str, n: int) -> list[str]:
        """``n`` new uuids of ``namespace`` as canonical strings."""
        start = self._take(namespace, n)
        return self.uuids_at(namespace, range(start, start + n))

    def uuids_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        """The uuids numbered ``numbers`` in ``namespace`` (a pure function of the numbers: rows
        numbered by their entity, e.g. a user's accounts, get the same id on every path)."""
        prefix = self._prefix(namespace)
        out = []
        for i in numbers:
            lo = ((i + 1) * _ODD1) & _MASK64
            lo = (lo & ~(0xC << 60)) | (0x8 << 60)  # RFC 4122 variant
            out.append(f"{prefix}{lo >> 48:04x}-{lo & 0xFFFFFFFFFFFF:012x}")
        return out

    def uuid_array(self, namespace: str, n: int) -> np.ndarray:
        """The same uuids as ``uuids`` (same counter), as an ``S36`` array, built vectorised."""
        start = self._take(namespace, n)
        return self.uuid_array_at(namespace, np.arange(start, start + n))

    def uuid_array_at(self, namespace: str, numbers: np.ndarray) -> np.ndarray:
        """The same uuids as ``uuids_at``, as an ``S36`` array, built vectorised."""
        n = len(numbers)
        # wraps modulo 2**64 like the Python version's mask
        lo = (np.asarray(numbers).astype(np.uint64) + np.uint64(1)) * np.uint64(_ODD1)
        lo = (lo & np.uint64(~(0xC << 60) & _MASK64)) | np.uint64(0x8 << 60)
        m = np.empty((n, 36), np.uint8)
        m[:, :19] = np.frombuffer(self._prefix(namespace).encode(), np.uint8)
        digits = hex_digits(lo, 16)
        m[:, 19:23] = digits[:, :4]
        m[:, 23] = ord("-")
        m[:, 24:] = digits[:, 4:]
        return m.view("S36").reshape(n)

    def tx_hash_array(self, namespace: str, n: int) -> np.ndarray:
        """The same hashes as ``tx_hashes`` (same counter), as an ``S66`` array."""
        start = self._take("tx:" + namespace, n)
        tag = _digest(self.seed, self.window, "tx", namespace, size=24)
        i = np.arange(start, start + n, dtype=np.uint64)
        m = np.empty((n, 66), np.uint8)
        m[:, :2] = np.frombuffer(b"0x", np.uint8)
        m[:, 2:18] = hex_digits((i + np.uint64(1)) * np.uint64(_ODD1), 16)
        m[:, 18:50] = np.frombuffer(f"{tag >> 64:032x}".encode(), np.uint8)
        m[:, 50:] = hex_digits(np.uint64(tag & _MASK64) ^ (i * np.uint64(_ODD2)), 16)
        return m.view("S66").reshape(n)

    def uuid(self, namespace: str) -> str:
        return self.uuids(namespace, 1)[0]

    def addresses(self, namespace: str, n: int) -> list[str]:
        """EVM-style addresses (``0x`` + 40 lower-case hex digits), never ZERO."""
        return self._hex("addr", namespace, n, 12, _ODD2, (_ODD1, 96))

    def tx_hashes(self, namespace: str, n: int) -> list[str]:
        return self._hex("tx", namespace, n, 24, _ODD1, (_ODD2, 64))

    def tx_hashes_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        """The transaction hashes numbered ``numbers`` (a pure function, like ``uuids_at``)."""
        return self._hex_at("tx", namespace, numbers, 24, _ODD1, (_ODD2, 64))

    def _hex(
        self, kind: str, namespace: str, n: int, size: int, odd: int, mix: tuple[int, int]
    ) -> list[str]:
        """``0x``, 16 hex digits of ``(i + 1) * odd`` (a bijection of the counter ``i``), then
        ``2 * size`` digits of a keyed tag xor the low ``mix[1]`` bits of ``i * mix[0]``."""
        start = self._take(f"{kind}:{namespace}", n)
        return self._hex_at(kind, namespace, range(start, start + n), size, odd, mix)

    def addresses_at(self, namespace: str, numbers: Iterable[int]) -> list[str]:
        """The addresses numbered ``numbers`` (a pure function, like ``uuids_at``)."""
        return self._hex_at("addr", namespace, numbers, 12, _ODD2, (_ODD1, 96))

    def _hex_at(
        self,
        kind: str,
        namespace: str,
        numbers: Iterable[int],
        size: int,
        odd: int,
        mix: tuple[int, int],
    ) -> list[str]:
        tag = self._tag(kind, namespace, size=size)
        mask = (1 << mix[1]) - 1
        return [
            f"0x{((i + 1) * odd) & _MASK64:016x}{tag ^ ((i * mix[0]) & mask):0{2 * size}x}"
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
    import base64

    raw = hashlib.blake2b(repr((seed, *parts)).encode(), digest_size=size).digest()
    return "enc:v1:aes256gcm:" + base64.b64encode(raw).decode()


def hex_digest(seed: int, *parts: object, size: int = 32) -> str:
    return hashlib.blake2b(repr((seed, *parts)).encode(), digest_size=size).hexdigest()


def pick(strings: list[str], idx: Iterable[int] | np.ndarray) -> list[str]:
    return [strings[i] for i in idx]
