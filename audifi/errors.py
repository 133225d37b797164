"""The failures a user can act on, and the one line that tells them what to do.

``AudifiError`` is raised by our own code with its message ready.  ``describe`` turns the
other expected failures (a refused connection, an SQL error, a missing file, an Alembic
error) into one such line; the CLI's error boundary prints it and exits non-zero.  Anything
``describe`` does not know is a bug and keeps its traceback (with ``--debug``).
"""

from __future__ import annotations


class AudifiError(Exception):
    """A failure with a message that tells the user what to do."""


def first_line(text: object, fallback: str = "no details") -> str:
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return lines[0] if lines else fallback


def _describe_psycopg(exc: Exception) -> str:
    import psycopg

    text = first_line(exc)
    if isinstance(exc, psycopg.OperationalError) and "password authentication failed" in text:
        return (
            f"{text}: the password in the environment does not match the role's on the server "
            "(see `audifi --help` for the variables; local servers keep theirs in AUDIFI_HOME)"
        )
    if isinstance(exc, psycopg.OperationalError):
        return f"{text}: is the server running? (`audifi status`)"
    state = getattr(exc, "sqlstate", None)
    code = f" [SQLSTATE {state}]" if state else ""
    return f"the database refused: {text}{code}; the transaction was rolled back"


def describe(exc: BaseException) -> str | None:
    """One line for an expected failure, or None for a bug."""
    import alembic.script.revision
    import alembic.util
    import psycopg
    import sqlalchemy.exc

    if isinstance(exc, AudifiError):
        return str(exc)
    if isinstance(exc, psycopg.Error):
        return _describe_psycopg(exc)
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and isinstance(exc.orig, psycopg.Error):
        return _describe_psycopg(exc.orig)
    if isinstance(exc, sqlalchemy.exc.SQLAlchemyError):
        return f"database error: {first_line(exc)}"
    if isinstance(exc, alembic.util.CommandError):
        text = first_line(exc)
        if text.startswith("Can't locate revision"):
            return (
                f"migrations: {text}: the database was migrated by a newer or different "
                "version of this code; check out that version (or a later one) and retry"
            )
        return f"migrations: {text}"
    if isinstance(exc, alembic.script.revision.RevisionError):
        return f"migrations: {first_line(exc)}: run `audifi migrate` from the matching version"
    if isinstance(exc, FileNotFoundError):
        return f"not found: {exc.filename or first_line(exc)}"
    if isinstance(exc, PermissionError):
        return f"permission denied: {exc.filename or first_line(exc)}"
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or first_line(exc)}{where}"
    return None
