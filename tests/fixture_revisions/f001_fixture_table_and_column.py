"""Fixture revision (tests only): add a table and a column while rows are being written.

Applied by the real `audifi migrate` with AUDIFI_EXTRA_VERSION_LOCATIONS pointing here.  It
revises the current head; when a new revision lands in migrations/versions, update
``down_revision`` (the single-head test will say so).

Revision ID: f001
Revises: 0001
"""

import sqlalchemy as sa

from migrations import ddl

revision = "f001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    ddl.create_table(
        "fixture_tips",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("master_id", sa.Uuid(), sa.ForeignKey("oltp.masters.id"), nullable=False),
        sa.Column("amount", sa.Numeric(28, 8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    ddl.add_column("masters", sa.Column("fixture_mood", sa.String(50)))


def downgrade() -> None:
    ddl.drop_column("masters", "fixture_mood")
    ddl.drop_table("fixture_tips")
