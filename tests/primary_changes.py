"""Reversible changes to the primary's `oltp` data, for tests that break a rule on purpose.

Every change remembers how to undo itself: an UPDATE keeps the rows' images, an INSERT its
id, a lifted constraint or index its definition (on the primary and, where it exists, on
the replica, whose apply worker would otherwise refuse the replicated row).  ``undo()``
reverts everything in reverse order and then restores the lifted definitions.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.types.json import Jsonb


def _one(conn: psycopg.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    row = conn.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"no row for: {sql.strip()[:200]}")
    return row[0]


@dataclass
class Lift:
    """A CHECK constraint or unique index that enforces a rule on our primary."""

    table: str
    name: str
    definitions: dict[str, str] = field(default_factory=dict)  # database -> DDL to restore


@dataclass
class PrimaryChanges:
    """Reversible writes on the primary; lifted constraints are dropped on both databases."""

    primary: psycopg.Connection
    replica: psycopg.Connection
    _undo: list[tuple[str, Any]] = field(default_factory=list)
    _lifted: list[Lift] = field(default_factory=list)

    # -- reads -----------------------------------------------------------------------------

    def pick(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row of ``sql`` on the primary (a target row's id)."""
        return _one(self.primary, sql, params)

    # -- writes ----------------------------------------------------------------------------

    def update(self, table: str, row_id: Any, assignments: str, params: Sequence[Any] = ()) -> Any:
        """``UPDATE oltp.table SET assignments WHERE id = row_id``; returns row_id."""
        image = _one(
            self.primary, f"SELECT to_jsonb(t) FROM oltp.{table} t WHERE id = %s", (row_id,)
        )
        self._undo.append(("restore", (table, row_id, image)))
        count = self.primary.execute(
            f"UPDATE oltp.{table} SET {assignments} WHERE id = %s", (*params, row_id)
        ).rowcount
        assert count == 1, f"update of {table} {row_id} touched {count} rows"
        return row_id

    def insert_copy(self, table: str, source_id: Any, overrides: dict[str, Any]) -> Any:
        """Insert a copy of a uuid-keyed row with ``overrides`` and a new id; returns the id."""
        new_id = overrides.get("id") or str(uuid.uuid4())
        self.primary.execute(
            f"""INSERT INTO oltp.{table}
                SELECT (jsonb_populate_record(NULL::oltp.{table}, to_jsonb(t) || %s)).*
                FROM oltp.{table} t WHERE id = %s""",
            (Jsonb({**overrides, "id": new_id}), source_id),
        )
        self._undo.append(("delete", (table, new_id)))
        return new_id

    def insert(self, table: str, values: dict[str, Any]) -> Any:
        """Insert one row given as column -> value; returns its id."""
        columns = ", ".join(values)
        marks = ", ".join(["%s"] * len(values))
        new_id = _one(
            self.primary,
            f"INSERT INTO oltp.{table} ({columns}) VALUES ({marks}) RETURNING id",
            list(values.values()),
        )
        self._undo.append(("delete", (table, new_id)))
        return new_id

    def lift(self, table: str, name: str) -> None:
        """Drop a CHECK constraint or unique index on both databases until ``undo``."""
        lift = Lift(table, name)
        self._lifted.append(lift)  # first, so a failure below still restores what was dropped
        for label, conn in (("primary", self.primary), ("replica", self.replica)):
            if not conn.execute("SELECT to_regclass(%s)", (f"oltp.{table}",)).fetchone()[0]:
                continue  # a table kept off the replica
            check = conn.execute(
                """SELECT pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE conrelid = %s::regclass AND conname = %s""",
                (f"oltp.{table}", name),
            ).fetchone()
            index = (
                conn.execute("SELECT pg_get_indexdef(%s::regclass)", (f"oltp.{name}",)).fetchone()
                if conn.execute("SELECT to_regclass(%s)", (f"oltp.{name}",)).fetchone()[0]
                else None
            )
            if check:
                lift.definitions[label] = (
                    f"ALTER TABLE oltp.{table} ADD CONSTRAINT {name} {check[0]}"
                )
                conn.execute(f"ALTER TABLE oltp.{table} DROP CONSTRAINT {name}")
            elif index:
                lift.definitions[label] = index[0]
                conn.execute(f"DROP INDEX oltp.{name}")
        assert lift.definitions, f"nothing named {name} on oltp.{table}"

    # -- undo ------------------------------------------------------------------------------

    def undo(self) -> None:
        """Revert every write (newest first); the caller then restores the lifted rules."""
        while self._undo:
            kind, args = self._undo.pop()
            if kind == "delete":
                table, row_id = args
                self.primary.execute(f"DELETE FROM oltp.{table} WHERE id = %s", (row_id,))
            else:
                table, row_id, image = args
                columns = [c for c in image if c != "id"]
                targets = ", ".join(f'"{c}"' for c in columns)
                self.primary.execute(
                    f"""UPDATE oltp.{table} t SET ({targets}) =
                        (SELECT {targets} FROM jsonb_populate_record(NULL::oltp.{table}, %s))
                        WHERE t.id = %s""",
                    (Jsonb(image), row_id),
                )

    def restore_lifted(self) -> None:
        """Put the lifted constraints and indexes back (after the data is valid again)."""
        while self._lifted:
            lift = self._lifted.pop()
            for label, ddl in lift.definitions.items():
                (self.primary if label == "primary" else self.replica).execute(ddl)
