"""Minimal hand-made OLTP rows for tests and benchmarks (not the synthetic data set)."""

from __future__ import annotations

import uuid

import psycopg


def make_master(primary_dsn: str) -> uuid.UUID:
    """A user, their artist and one live master; returns the master's id."""
    user, artist, master = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(primary_dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO oltp.users (id, email, display_name) VALUES (%s, %s, 'u')",
            (user, f"{user}@example.test"),
        )
        conn.execute(
            "INSERT INTO oltp.artists (id, user_id, artist_name, slug) VALUES (%s, %s, 'a', %s)",
            (artist, user, str(artist)),
        )
        conn.execute(
            "INSERT INTO oltp.masters (id, artist_id, title, status) VALUES (%s, %s, 't', 'live')",
            (master, artist),
        )
    return master
