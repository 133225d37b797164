"""Comparing a mart with its independent recomputation from the primary's OLTP tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import psycopg

from tests.conftest import Warehouse


def primary_rows(warehouse: Warehouse, sql: str) -> list[tuple]:
    """Rows of ``sql`` on the primary, in a UTC session (marts' days and months are UTC)."""
    with psycopg.connect(warehouse.primary_dsn) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def assert_same_rows(mart: str, actual: Iterable[tuple], expected: Iterable[tuple]) -> None:
    """The same multiset of rows, whatever their order; the message shows a few differences."""
    got, want = Counter(actual), Counter(expected)
    missing, extra = want - got, got - want
    assert not missing and not extra, (
        f"{mart}: {sum(missing.values())} expected rows missing, {sum(extra.values())} "
        f"unexpected; missing e.g. {list(missing)[:3]}, unexpected e.g. {list(extra)[:3]}"
    )
