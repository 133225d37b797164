"""DDL helpers for revisions: one migration, two databases, one classification.

Every revision runs twice: on the analytics replica (``target=replica``) and on the primary
(``target=primary``).  These wrappers around ``alembic.op`` make the difference:

* on the replica they skip every table, column, index and constraint that
  ``oltp.classification`` keeps off analytics, so PII never has a place to land;
* on the primary they keep the publication's table and column lists equal to the
  classification whenever a table or a published column is added or removed.

Plain ``op`` calls remain fine for anything that does not touch published structure.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from oltp.base import OLTP_SCHEMA
from oltp.classification import (
    PUBLICATION,
    is_column_published,
    is_published,
    published_columns,
)


def target() -> str:
    """``primary`` or ``replica``: which database this migration run is changing."""
    attrs = context.config.attributes
    return attrs.get("target") or context.get_x_argument(as_dictionary=True).get(
        "target", "primary"
    )


def on_replica() -> bool:
    return target() == "replica"


def _quoted_columns(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _publish(table: str, columns: list[str]) -> None:
    op.execute(
        f'ALTER PUBLICATION {PUBLICATION} ADD TABLE {OLTP_SCHEMA}."{table}" '
        f"({_quoted_columns(columns)})"
    )


def _republish(table: str, columns: list[str]) -> None:
    # One transaction: the decoder sees the new column list atomically.
    op.execute(f'ALTER PUBLICATION {PUBLICATION} DROP TABLE {OLTP_SCHEMA}."{table}"')
    _publish(table, columns)


def _current_columns(table: str) -> list[str]:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:t) "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        ),
        {"t": f'{OLTP_SCHEMA}."{table}"'},
    )
    return [r[0] for r in rows]


def create_publication() -> None:
    """The (initially empty) publication the replica subscribes to; primary only."""
    if not on_replica():
        op.execute(f"CREATE PUBLICATION {PUBLICATION}")


def drop_publication() -> None:
    if not on_replica():
        op.execute(f"DROP PUBLICATION IF EXISTS {PUBLICATION}")


def _mentions_excluded(table: str, element: sa.schema.SchemaItem) -> bool:
    if isinstance(element, sa.Column):
        return not is_column_published(table, element.name)
    if isinstance(element, sa.ForeignKeyConstraint):
        cols = [c if isinstance(c, str) else c.name for c in element._col_description]
        referred = element.elements[0].target_fullname.split(".")[-2]
        return not is_published(referred) or any(not is_column_published(table, c) for c in cols)
    if isinstance(element, sa.CheckConstraint):
        text = str(element.sqltext)
        return any(
            not is_column_published(table, word)
            for word in text.replace("(", " ").replace(")", " ").split()
            if word.isidentifier()
            and word.upper() not in {"AND", "OR", "NOT", "BETWEEN", "NULL", "IS"}
        )
    return False


def create_table(name: str, *elements: sa.schema.SchemaItem, **kw) -> None:
    if on_replica():
        if not is_published(name):
            return
        elements = tuple(e for e in elements if not _mentions_excluded(name, e))
    op.create_table(name, *elements, schema=OLTP_SCHEMA, **kw)
    if not on_replica() and is_published(name):
        columns = [e.name for e in elements if isinstance(e, sa.Column)]
        _publish(name, published_columns(name, columns))


def drop_table(name: str) -> None:
    if on_replica() and not is_published(name):
        return
    op.drop_table(name, schema=OLTP_SCHEMA)  # also leaves the publication


def create_index(name: str, table: str, columns: list[str], **kw) -> None:
    if on_replica() and (
        not is_published(table) or any(not is_column_published(table, c) for c in columns)
    ):
        return
    op.create_index(name, table, columns, schema=OLTP_SCHEMA, **kw)


def drop_index(name: str, table: str, columns: list[str]) -> None:
    if on_replica() and (
        not is_published(table) or any(not is_column_published(table, c) for c in columns)
    ):
        return
    op.drop_index(name, table_name=table, schema=OLTP_SCHEMA)


def add_column(table: str, column: sa.Column) -> None:
    if on_replica():
        if is_column_published(table, column.name):
            op.add_column(table, column, schema=OLTP_SCHEMA)
        return
    op.add_column(table, column, schema=OLTP_SCHEMA)
    if is_column_published(table, column.name):
        _republish(table, published_columns(table, _current_columns(table)))


def drop_column(table: str, column: str) -> None:
    if on_replica():
        if is_column_published(table, column):
            op.drop_column(table, column, schema=OLTP_SCHEMA)
        return
    if is_column_published(table, column):
        remaining = [c for c in _current_columns(table) if c != column]
        _republish(table, published_columns(table, remaining))
    op.drop_column(table, column, schema=OLTP_SCHEMA)


def create_enum(name: str, values: list[str]) -> None:
    sa.Enum(*values, name=name, schema=OLTP_SCHEMA).create(op.get_bind(), checkfirst=False)


def drop_enum(name: str) -> None:
    sa.Enum(name=name, schema=OLTP_SCHEMA).drop(op.get_bind(), checkfirst=False)
