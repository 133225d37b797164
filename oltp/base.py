"""Declarative base shared by every OLTP module.

All tables live in the PostgreSQL schema ``oltp``: logical replication matches tables by their
schema-qualified name, and on the analytics replica every other schema belongs to dbt.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy import DateTime, MetaData, Uuid, func
from sqlalchemy.orm import DeclarativeBase, mapped_column

OLTP_SCHEMA = "oltp"

# The spec's index names are irregular (``accounts_provider_account_idx``,
# ``nft_snapshots_owner_wallet_idx``…), so every index is named explicitly where it is
# declared.  The convention covers the rest and reproduces PostgreSQL's own default names
# (``users_pkey``, ``accounts_user_id_fkey``); CHECK constraints get ``<table>_<rule>``.
NAMING_CONVENTION = {
    "ix": "%(table_name)s_%(column_0_N_name)s_idx",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s",
    "fk": "%(table_name)s_%(column_0_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}


class Base(DeclarativeBase):
    metadata = MetaData(schema=OLTP_SCHEMA, naming_convention=NAMING_CONVENTION)
    # Every timestamp of the spec is timestamptz.
    type_annotation_map = {datetime: DateTime(timezone=True), uuid.UUID: Uuid}  # noqa: RUF012


# The spec's conventions, shared by (almost) every table.
UUIDPk = Annotated[
    uuid.UUID, mapped_column(primary_key=True, server_default=func.gen_random_uuid())
]
CreatedAt = Annotated[datetime, mapped_column(server_default=func.now())]
# No ON UPDATE trigger in the design: whatever writes a row sets updated_at.
UpdatedAt = Annotated[datetime, mapped_column(server_default=func.now())]


def pg_enum(py_enum: type[enum.Enum], name: str) -> sa.Enum:
    """A native PostgreSQL enum type whose labels are the Python enum's *values*, in order."""
    return sa.Enum(
        py_enum,
        name=name,
        metadata=Base.metadata,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
