"""Vectorised COPY text: numpy ``S<w>`` columns (NUL-padded) side by side in one ``uint8`` matrix,
a tab or newline after each; dropping the NULs leaves the text (values must need no escaping)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

import numpy as np

NULL = b"\\N"
Column = np.ndarray | bytes  # a bytes value is a constant column
CHUNK = 100_000  # rows per frame of a fact table: ~10-20 MB of COPY text
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)


def chunks(n: int) -> Iterator[slice]:
    return (slice(a, min(n, a + CHUNK)) for a in range(0, n, CHUNK))


def tsv_rows(columns: Sequence[Column], n: int) -> bytes:
    """The COPY text (``\\t`` between fields, ``\\n`` after each row) of ``n`` rows."""
    widths = [len(c) if isinstance(c, bytes) else c.dtype.itemsize for c in columns]
    out = np.empty((n, sum(widths) + len(widths)), np.uint8)
    pos = 0
    for col, w in zip(columns, widths, strict=True):
        if isinstance(col, bytes):
            out[:, pos : pos + w] = np.frombuffer(col, np.uint8)
        elif w:
            out[:, pos : pos + w] = np.ascontiguousarray(col).view(np.uint8).reshape(n, w)
        out[:, pos + w] = ord("\t")
        pos += w + 1
    out[:, -1] = ord("\n")
    return out[out != 0].tobytes()


def as_bytes(values: Sequence[str] | np.ndarray) -> np.ndarray:
    """ASCII strings (e.g. a lookup table of ids) as a fixed-width byte-string array."""
    return np.asarray(values, dtype=np.bytes_) if len(values) else np.zeros(0, "S1")


def with_null(lookup: np.ndarray) -> np.ndarray:
    """``lookup`` plus a trailing NULL, so index -1 selects NULL."""
    return np.append(lookup, np.array([NULL], dtype=lookup.dtype if lookup.itemsize > 1 else "S2"))


def null_unless(mask: np.ndarray, col: np.ndarray) -> np.ndarray:
    return np.where(mask, col, NULL)


def ints(a: np.ndarray) -> np.ndarray:
    """Non-negative integers as decimal text (``S<w>``); a negative value is an error."""
    a = np.asarray(a, dtype=np.int64)
    if len(a) == 0:
        return np.zeros(0, "S1")
    if a.min() < 0:
        raise ValueError("ints() formats non-negative integers only")
    width = len(str(int(a.max())))
    digits = np.strings.lstrip(_fill(b"0" * width, [(0, a, width)]), b"0")
    return np.where(digits == b"", b"0", digits)  # a zero keeps its last digit


def cents(c: np.ndarray) -> np.ndarray:
    """Whole cents as a decimal amount with two places (``1234`` -> ``12.34``)."""
    c = np.asarray(c, dtype=np.int64)
    return concat(ints(c // 100), _fill(b".00", [(1, c % 100, 2)]))


def timestamps(t: np.ndarray) -> np.ndarray:
    """Unix seconds as ISO-8601 UTC text, ``YYYY-MM-DDTHH:MM:SSZ`` (years 1970-9999)."""
    days, secs = np.divmod(np.asarray(t, dtype=np.int64), 86_400)
    hms = [(11, secs // 3600, 2), (14, secs // 60 % 60, 2), (17, secs % 60, 2)]
    return _fill(b"0000-00-00T00:00:00Z", _ymd(days) + hms)


def dates(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 as ``YYYY-MM-DD``."""
    return _fill(b"0000-00-00", _ymd(np.asarray(days, dtype=np.int64)))


def hex_digits(values: np.ndarray, width: int) -> np.ndarray:
    """Unsigned 64-bit values as ``width`` lower-case hex digits (a ``uint8`` matrix)."""
    v = np.asarray(values, dtype=np.uint64)
    out = np.empty((len(v), width), np.uint8)
    for k in range(width):  # one digit at a time: temporaries stay one column wide
        nibble = (v >> np.uint64(4 * (width - 1 - k))) & np.uint64(0xF)
        out[:, k] = _HEX[nibble.astype(np.intp)]
    return out


def concat(*parts: np.ndarray | bytes) -> np.ndarray:
    """Element-wise concatenation of byte-string columns and constants."""
    return np.asarray(functools.reduce(np.strings.add, parts))


def _fill(template: bytes, fields: list[tuple[int, np.ndarray, int]]) -> np.ndarray:
    """``template`` per row, each field's values written over it as ``width`` decimal digits."""
    m = np.empty((len(fields[0][1]), len(template)), np.uint8)
    m[:] = np.frombuffer(template, np.uint8)
    for pos, v, width in fields:
        for k in range(pos + width - 1, pos - 1, -1):
            v, r = np.divmod(v, 10)
            m[:, k] = r + ord("0")
    return m.view(f"S{len(template)}").reshape(len(m))  # each row's bytes as one string


def _ymd(days: np.ndarray) -> list[tuple[int, np.ndarray, int]]:
    """The ``_fill`` fields of ``YYYY-MM-DD`` (proleptic Gregorian, H. Hinnant's algorithm)."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    mo = np.where(mp < 10, mp + 3, mp - 9)
    return [(0, yoe + era * 400 + (mo <= 2), 4), (5, mo, 2), (8, doy - (153 * mp + 2) // 5 + 1, 2)]
