"""Vectorised COPY text: numpy ``S<w>`` columns (NUL-padded) side by side in one ``uint8``
matrix with a tab or newline after each; dropping the NUL bytes leaves the chunk's COPY text,
with no per-row Python.  Values must need no COPY escaping (free text: ``copy_loader._ESCAPES``)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

import numpy as np

NULL = b"\\N"
Column = np.ndarray | bytes  # a bytes value is a constant column
CHUNK = 100_000  # rows per frame of a fact table: ~10-20 MB of COPY text
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)
_ZERO = ord("0")


def chunks(n: int) -> Iterator[slice]:
    """The slices of ``n`` rows that are formatted one frame at a time, in order."""
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
    m = np.empty((len(a), width), np.uint8)
    _put_digits(m, 0, a, width)
    # drop the leading zeros (NUL-padding on the right), except the last digit of a zero
    digits = np.strings.lstrip(_rows_as_bytes(m), b"0")
    return np.where(digits == b"", b"0", digits)


def cents(c: np.ndarray) -> np.ndarray:
    """Whole cents as a decimal amount with two places (``1234`` -> ``12.34``)."""
    c = np.asarray(c, dtype=np.int64)
    frac = np.empty((len(c), 2), np.uint8)
    _put_digits(frac, 0, c % 100, 2)
    return np.strings.add(np.strings.add(ints(c // 100), b"."), _rows_as_bytes(frac))


def timestamps(t: np.ndarray) -> np.ndarray:
    """Unix seconds as ISO-8601 UTC text, ``YYYY-MM-DDTHH:MM:SSZ`` (years 1970-9999)."""
    days, secs = np.divmod(np.asarray(t, dtype=np.int64), 86_400)
    m = _date_matrix(days, 20)
    for pos, v in ((11, secs // 3600), (14, secs // 60 % 60), (17, secs % 60)):
        _put_digits(m, pos, v, 2)
    m[:, 10] = ord("T")
    m[:, [13, 16]] = ord(":")
    m[:, 19] = ord("Z")
    return _rows_as_bytes(m)


def dates(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 as ``YYYY-MM-DD``."""
    return _rows_as_bytes(_date_matrix(np.asarray(days, dtype=np.int64), 10))


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


def _rows_as_bytes(m: np.ndarray) -> np.ndarray:
    m = np.ascontiguousarray(m)
    return m.view(f"S{m.shape[1]}").reshape(len(m))


def _put_digits(m: np.ndarray, pos: int, v: np.ndarray, width: int) -> None:
    for k in range(width - 1, -1, -1):
        v, r = np.divmod(v, 10)
        m[:, pos + k] = r + _ZERO


def _date_matrix(days: np.ndarray, width: int) -> np.ndarray:
    """A ``width``-column matrix whose first ten hold ``YYYY-MM-DD`` of the day numbers."""
    y, mo, d = _civil_from_days(days)
    m = np.empty((len(days), width), np.uint8)
    _put_digits(m, 0, y, 4)
    _put_digits(m, 5, mo, 2)
    _put_digits(m, 8, d, 2)
    m[:, [4, 7]] = ord("-")
    return m


def _civil_from_days(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Proleptic Gregorian (year, month, day) of day numbers since 1970-01-01 (H. Hinnant)."""
    z = z + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    mo = np.where(mp < 10, mp + 3, mp - 9)
    y = yoe + era * 400 + (mo <= 2)
    return y, mo, d
