"""Turn the Markdown schema spec into the declarative catalog the tests compare against.

The spec (``../shared/spec/oltp-schema.md`` and ``streaming.md``) is prose with tables; the
catalog test needs it as data.  This script is run by hand when the spec changes and its
output, ``tests/expected/oltp_catalog.json``, is committed and reviewed like code, so that the
tests never depend on the spec folder being present.

    python scripts/extract_spec_catalog.py ../shared/spec > tests/expected/oltp_catalog.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TYPE_MAP = {
    "uuid": "uuid",
    "text": "text",
    "boolean": "boolean",
    "timestamptz": "timestamp with time zone",
    "integer": "integer",
    "bigint": "bigint",
    "jsonb": "jsonb",
    "inet": "inet",
    "date": "date",
}

MODULE_RE = re.compile(r"^## Module `(\w+)`")
TABLE_RE = re.compile(r"^### `(\w+)` \((\d+) columns\)")
ENUM_RE = re.compile(r"^- `(\w+)`: (.+)$")
COLUMN_RE = re.compile(r"^\| `(\w+)` \| (.+?) \| (NO|yes) \| (.+?) \| (.*)\|\s*$")
INDEX_RE = re.compile(r"(\*\*UNIQUE\*\* )?`(\w+)` \(([\w, ]+)\)")
FK_RE = re.compile(r"FK → `(\w+)\.(\w+)`( ON DELETE CASCADE)?")
MARKER_RE = re.compile(r"\[(PII|PII-linkable|PII-ish|PII-derived|secret)\]")


def pg_type(raw: str) -> str:
    raw = raw.strip().strip("`")
    if raw.startswith("enum"):
        return raw.split("`")[1] if "`" in raw else raw.split()[1]
    if m := re.fullmatch(r"varchar\((\d+)\)", raw):
        return f"character varying({m[1]})"
    if m := re.fullmatch(r"char\((\d+)\)", raw):
        return f"character({m[1]})"
    if m := re.fullmatch(r"numeric\((\d+),(\d+)\)", raw):
        return f"numeric({m[1]},{m[2]})"
    return TYPE_MAP[raw]


def parse_default(raw: str) -> str | None:
    raw = raw.strip()
    return None if raw in {"—", "-", ""} else raw.strip("`")


def parse_schema(text: str) -> tuple[dict, dict]:
    enums: dict[str, dict] = {}
    tables: dict[str, dict] = {}
    module = None
    table = None
    in_enums = False
    for line in text.splitlines():
        if m := MODULE_RE.match(line):
            module, table, in_enums = m[1], None, False
            continue
        if line.startswith("## "):
            module, table, in_enums = None, None, False  # appendix and other sections
            continue
        if module is None:
            continue
        if line.startswith("**Enums**"):
            in_enums = True
            continue
        if in_enums and (m := ENUM_RE.match(line)):
            values = re.findall(r"`(\w+)`", m[2])
            enums[m[1]] = {"module": module, "values": values}
            continue
        if m := TABLE_RE.match(line):
            in_enums = False
            table = m[1]
            tables[table] = {
                "module": module,
                "column_count": int(m[2]),
                "columns": [],
                "foreign_keys": [],
                "indexes": [],
            }
            continue
        if table is None:
            continue
        if m := COLUMN_RE.match(line):
            name, typ, null, default, notes = m.groups()
            col = {
                "name": name,
                "type": pg_type(typ),
                "nullable": null == "yes",
                "default": parse_default(default),
                "markers": MARKER_RE.findall(notes),
            }
            tables[table]["columns"].append(col)
            if fk := FK_RE.search(notes):
                tables[table]["foreign_keys"].append(
                    {
                        "column": name,
                        "references": f"{fk[1]}.{fk[2]}",
                        "on_delete": "CASCADE" if fk[3] else "NO ACTION",
                    }
                )
            continue
        if line.startswith("Indexes:"):
            for unique, idx, cols in INDEX_RE.findall(line):
                tables[table]["indexes"].append(
                    {
                        "name": idx,
                        "unique": bool(unique),
                        "columns": [c.strip() for c in cols.split(",")],
                    }
                )
    return enums, tables


# streaming.md gives columns and index columns but no index names; these are ours,
# following the design's `<table>_<what>_idx` convention.
STREAMING_INDEX_NAMES = {
    ("play_events", ("master_id", "started_at")): "play_events_master_started_idx",
    ("play_events", ("started_at",)): "play_events_started_at_idx",
    ("play_events", ("user_id", "started_at")): "play_events_user_started_idx",
    ("play_events", ("created_at",)): "play_events_created_at_idx",
    (
        "dsp_stream_reports",
        ("statement_id", "master_id", "platform", "country_code", "report_date"),
    ): "dsp_stream_reports_statement_line_idx",
    ("dsp_stream_reports", ("master_id", "report_date")): "dsp_stream_reports_master_date_idx",
    ("dsp_stream_reports", ("revenue_event_id",)): "dsp_stream_reports_revenue_event_idx",
}

STREAMING_DEFAULTS = {
    ("dsp_stream_reports", "id"): "gen_random_uuid()",
    ("dsp_stream_reports", "ingested_at"): "now()",
    ("play_events", "created_at"): "now()",
}


def parse_streaming(text: str) -> tuple[dict, dict]:
    enums: dict[str, dict] = {}
    tables: dict[str, dict] = {}
    table = None
    for line in text.splitlines():
        if m := ENUM_RE.match(line):
            enums[m[1]] = {"module": "streaming", "values": re.findall(r"`(\w+)`", m[2])}
            continue
        if m := re.match(r"^## `(\w+)`", line):
            table = m[1]
            tables[table] = {
                "module": "streaming",
                "columns": [],
                "foreign_keys": [],
                "indexes": [],
            }
            continue
        if line.startswith("## "):
            table = None
            continue
        if table is None:
            continue
        if m := re.match(r"^\| `(\w+)` \| (.+?) \| (NO|yes) \| (.*)\|\s*$", line):
            name, typ, null, notes = m.groups()
            identity = "identity" in typ
            typ = typ.replace("identity", "").strip()
            tables[table]["columns"].append(
                {
                    "name": name,
                    "type": pg_type(typ),
                    "nullable": null == "yes",
                    "default": STREAMING_DEFAULTS.get((table, name)),
                    "identity": identity,
                    "markers": [],
                }
            )
            if fk := FK_RE.search(notes):
                tables[table]["foreign_keys"].append(
                    {"column": name, "references": f"{fk[1]}.{fk[2]}", "on_delete": "NO ACTION"}
                )
            continue
        if line.startswith("Indexes:"):
            # the list may wrap onto the following lines of the paragraph
            rest = text.split(line, 1)[1].split("\n\n", 1)[0]
            body = line + " " + rest.replace("\n", " ")
            for unique, cols in re.findall(r"(\*\*UNIQUE\*\* )?\(([`\w, ]+)\)", body):
                columns = tuple(c.strip().strip("`") for c in cols.split(","))
                tables[table]["indexes"].append(
                    {
                        "name": STREAMING_INDEX_NAMES[(table, columns)],
                        "unique": bool(unique),
                        "columns": list(columns),
                    }
                )
    return enums, tables


def main(spec_dir: Path) -> dict:
    enums, tables = parse_schema((spec_dir / "oltp-schema.md").read_text())
    s_enums, s_tables = parse_streaming((spec_dir / "streaming.md").read_text())
    for name, t in tables.items():
        assert len(t["columns"]) == t.pop("column_count"), name
    catalog = {
        "schema": "oltp",
        "enums": {**enums, **s_enums},
        "tables": {**tables, **s_tables},
    }
    return catalog


if __name__ == "__main__":
    spec = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/spec")
    json.dump(main(spec), sys.stdout, indent=1)
    sys.stdout.write("\n")
