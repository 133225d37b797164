"""Alembic environment bound to the OLTP models' metadata.

The same revisions run against two kinds of database, chosen by ``-x target=…`` or by
``config.attributes["target"]`` when `audifi migrate` drives Alembic:

* ``primary`` (default): the full schema, plus the publication that feeds the replica;
* ``replica``: the analytics replica's copy of the schema, without what
  ``oltp.classification`` keeps off analytics (see ``migrations/ddl.py``).

The URL comes from ``config.attributes["url"]``, else ``-x url=…``, else the running
configuration (``AUDIFI_DATABASE_URL`` or the local servers).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import oltp

config = context.config
target_metadata = oltp.metadata


def _x(name: str) -> str | None:
    return context.get_x_argument(as_dictionary=True).get(name)


def migration_target() -> str:
    target = config.attributes.get("target") or _x("target") or "primary"
    if target not in ("primary", "replica"):
        raise SystemExit(f"unknown migration target {target!r}: use primary or replica")
    return target


def _url() -> str:
    url = config.attributes.get("url") or _x("url")
    if url:
        return str(url)
    from audifi.cluster import resolve_cluster
    from audifi.settings import load_settings

    cluster = resolve_cluster(load_settings())
    node = cluster.replica if migration_target() == "replica" else cluster.primary
    if node is None:
        raise SystemExit("no replica is configured (AUDIFI_DATABASE_REPLICA_URL)")
    return node.url.render_as_string(hide_password=False)


def include_object(obj, name, type_, reflected, compare_to):
    # Only the oltp schema is Alembic's; the replica's other schemas belong to dbt.
    if type_ == "table":
        return obj.schema == oltp.OLTP_SCHEMA
    return True


def include_name(name, type_, parent_names):
    if type_ == "schema":
        return name == oltp.OLTP_SCHEMA
    return True


# Shared by offline (SQL script) and online runs: only the oltp schema is compared.
SCOPE = {
    "target_metadata": target_metadata,
    "include_schemas": True,
    "include_object": include_object,
    "include_name": include_name,
}


def run_migrations_offline() -> None:
    context.configure(url=_url(), literal_binds=True, **SCOPE)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection, compare_type=True, transaction_per_migration=True, **SCOPE
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
