"""Read a database's ``oltp`` catalog, and build the expectation from the spec's catalog.

Both sides produce the same plain structure so that a test can compare them with ``==`` and
pytest shows exactly which table, column, index or key differs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import psycopg

from oltp.classification import is_column_published, is_published

SPEC_CATALOG = Path(__file__).parent / "expected" / "oltp_catalog.json"
_CAST = re.compile(r"::[\w.]+(?: [\w ]+?)?(?:\(\d+(?:,\d+)?\))?(?=$|\))")


def normalize_default(expr: str | None) -> str | None:
    """``'active'::oltp.account_status`` and ``'active'`` are the same default."""
    if expr is None:
        return None
    return _CAST.sub("", expr).strip()


def load_spec() -> dict:
    return json.loads(SPEC_CATALOG.read_text())


def expected_catalog(replica: bool = False) -> dict:
    spec = load_spec()
    tables = {}
    for name, t in spec["tables"].items():
        if replica and not is_published(name):
            continue
        keep = (lambda c, n=name: is_column_published(n, c)) if replica else (lambda c: True)
        tables[name] = {
            "columns": {
                c["name"]: (
                    c["type"],
                    c["nullable"],
                    normalize_default(c["default"]),
                    bool(c.get("identity")),
                )
                for c in t["columns"]
                if keep(c["name"])
            },
            "foreign_keys": sorted(
                (f["column"], f["references"], f["on_delete"])
                for f in t["foreign_keys"]
                if keep(f["column"])
                and (not replica or is_published(f["references"].split(".")[0]))
            ),
            "indexes": {
                i["name"]: (i["unique"], tuple(i["columns"]))
                for i in t["indexes"]
                if all(keep(c) for c in i["columns"])
            },
        }
    enums = {name: e["values"] for name, e in spec["enums"].items()}
    return {"enums": enums, "tables": tables}


def actual_catalog(dsn: str, schema: str = "oltp") -> dict:
    with psycopg.connect(dsn) as conn:
        enums = dict(
            conn.execute(
                """
                SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
                FROM pg_type t
                JOIN pg_namespace n ON n.oid = t.typnamespace
                JOIN pg_enum e ON e.enumtypid = t.oid
                WHERE n.nspname = %s GROUP BY t.typname
                """,
                (schema,),
            ).fetchall()
        )
        tables: dict[str, dict] = {}
        for table, column, typ, nullable, default, identity in conn.execute(
            """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                   NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity <> ''
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE n.nspname = %s AND c.relkind = 'r'
            ORDER BY c.relname, a.attnum
            """,
            (schema,),
        ):
            t = tables.setdefault(table, {"columns": {}, "foreign_keys": [], "indexes": {}})
            typ = typ.removeprefix(f"{schema}.")
            t["columns"][column] = (typ, nullable, normalize_default(default), identity)
        for table, column, ref_table, ref_column, deltype in conn.execute(
            """
            SELECT c.relname, a.attname, rc.relname, ra.attname, k.confdeltype
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class rc ON rc.oid = k.confrelid
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
            JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
            WHERE n.nspname = %s AND k.contype = 'f'
            """,
            (schema,),
        ):
            on_delete = {"a": "NO ACTION", "c": "CASCADE", "r": "RESTRICT", "n": "SET NULL"}[
                deltype
            ]
            tables[table]["foreign_keys"].append((column, f"{ref_table}.{ref_column}", on_delete))
        for table, index, unique, columns in conn.execute(
            """
            SELECT t.relname, i.relname, x.indisunique,
                   array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                         ORDER BY k.ord)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = %s AND NOT x.indisprimary
            """,
            (schema,),
        ):
            tables[table]["indexes"][index] = (unique, tuple(columns))
        for t in tables.values():
            t["foreign_keys"].sort()
    return {"enums": enums, "tables": tables}


def check_constraints(dsn: str, schema: str = "oltp") -> dict[str, str]:
    with psycopg.connect(dsn) as conn:
        return dict(
            conn.execute(
                """
                SELECT k.conname, pg_get_constraintdef(k.oid)
                FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
                WHERE n.nspname = %s AND k.contype = 'c'
                """,
                (schema,),
            ).fetchall()
        )
