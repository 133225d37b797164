"""Alembic migrations of both databases, in the order that never breaks replication.

Additive revisions (the default: new tables, new columns, new indexes) run on the replica
first, so every column the primary is about to publish already exists where it lands; then
on the primary; then the subscription is refreshed so new tables start copying.
Revisions that set ``change_kind = "contract"`` (drops, the second half of an
expand/contract rename) run the other way round: primary first, then the replica.

A failure on the replica stops the run before the primary is touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import create_engine, pool
from sqlalchemy.exc import SQLAlchemyError

from audifi.cluster import Cluster, Target
from audifi.errors import AudifiError
from audifi.settings import REPO_ROOT

ALEMBIC_INI = REPO_ROOT / "alembic.ini"


def _config() -> Config:
    """alembic.ini, plus any folders of extra revisions in AUDIFI_EXTRA_VERSION_LOCATIONS.

    The tests use the latter to apply a fixture revision through the real `audifi migrate`.
    """
    cfg = Config(str(ALEMBIC_INI))
    extra = os.environ.get("AUDIFI_EXTRA_VERSION_LOCATIONS")
    if extra:
        base = str(REPO_ROOT / "migrations" / "versions")
        cfg.set_main_option("version_locations", os.pathsep.join([base, extra]))
    return cfg


def alembic_config(target: Target, mode: str) -> Config:
    cfg = _config()
    cfg.attributes["url"] = target.url.render_as_string(hide_password=False)
    cfg.attributes["target"] = mode
    return cfg


def current_revision(target: Target) -> str | None:
    target.connect().close()  # a server that is down becomes a one-line error naming it
    engine = create_engine(target.url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise AudifiError(
            f"cannot read the migration revision of the {target.role}: "
            f"{str(exc.orig or exc).strip().splitlines()[0]}"
        ) from None
    finally:
        engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def pending_revisions(current: str | None) -> list[Script]:
    script = ScriptDirectory.from_config(_config())
    revs = list(script.iterate_revisions("heads", current or "base"))
    return list(reversed(revs))


def change_kind(rev: Script) -> str:
    return getattr(rev.module, "change_kind", "additive")


def _upgrade(target: Target, mode: str, revision: str) -> None:
    try:
        command.upgrade(alembic_config(target, mode), revision)
    except SQLAlchemyError as exc:
        raise AudifiError(
            f"migration {revision} failed on the {target.role}: "
            f"{str(getattr(exc, 'orig', None) or exc).strip().splitlines()[0]}"
        ) from None


@dataclass
class MigrationStep:
    revision: str
    kind: str


def migrate(
    cluster: Cluster,
    refresh_subscription: Callable[[], None] | None = None,
    say: Callable[[str], None] = print,
) -> list[MigrationStep]:
    """Bring the primary (and the replica, if any) to head, one revision at a time."""
    replica = cluster.replica
    primary_rev = _known(cluster.primary, current_revision(cluster.primary))
    replica_rev = _known(replica, current_revision(replica)) if replica else primary_rev
    if replica and primary_rev != replica_rev:
        # A previous run stopped between the two sides; finish the lagging side's step.
        say(f"primary at {primary_rev}, replica at {replica_rev}: catching up first")
    steps: list[MigrationStep] = []
    for rev in pending_revisions(min_rev(primary_rev, replica_rev)):
        kind = change_kind(rev)
        order: list[tuple[Target, str]] = [(cluster.primary, "primary")]
        if replica:
            order = (
                [(replica, "replica"), (cluster.primary, "primary")]
                if kind == "additive"
                else [(cluster.primary, "primary"), (replica, "replica")]
            )
        for i, (target, mode) in enumerate(order):
            if rev.revision in _applied(target):
                continue
            say(f"applying {rev.revision} ({kind}) to the {target.role}")
            _upgrade(target, mode, rev.revision)
            if mode == "primary" and refresh_subscription and i < len(order) - 1:
                refresh_subscription()
        if replica and refresh_subscription and kind == "additive":
            refresh_subscription()
        steps.append(MigrationStep(rev.revision, kind))
    return steps


def _known(target: Target, revision: str | None) -> str | None:
    """The revision, if this code's migrations contain it; else a one-line error."""
    if revision is None:
        return None
    try:
        ScriptDirectory.from_config(_config()).get_revision(revision)
    except (RevisionError, CommandError):
        raise AudifiError(
            f"the {target.role} is at migration revision {revision!r}, which this code does not "
            "know: it was migrated by another version of the project; check out that version "
            "(or a newer one) and run `audifi migrate` again"
        ) from None
    return revision


def _applied(target: Target) -> set[str]:
    """Revisions at or below the target's current one."""
    current = current_revision(target)
    if current is None:
        return set()
    script = ScriptDirectory.from_config(_config())
    return {r.revision for r in script.iterate_revisions(current, "base")}


def min_rev(a: str | None, b: str | None) -> str | None:
    """The older of two revisions on the single line of history."""
    if a is None or b is None:
        return None
    script = ScriptDirectory.from_config(_config())
    below_a = {r.revision for r in script.iterate_revisions(a, "base")}
    return b if b in below_a else a


def migrate_and_connect(cluster: Cluster, say: Callable[[str], None] = print) -> None:
    """What `audifi up` and `audifi migrate` do: migrate both sides, set up roles, subscribe.

    Every password the roles and the subscription need is checked first, so a missing one
    stops the run before anything changed.
    """
    from audifi import replication
    from audifi.settings import load_settings

    settings = load_settings()
    roles = replication.roles_from_env(cluster)
    replication.check_credentials(cluster, roles)

    def refresh() -> None:
        replication.setup_primary_roles(cluster.primary, roles)
        replication.refresh_subscription(cluster)

    steps = migrate(cluster, refresh_subscription=refresh, say=say)
    if not steps:
        say(f"migrations: already at head ({head_revision()})")
    if cluster.replica is None:
        return
    revoke_public = cluster.replica.local is not None or settings.revoke_public_create
    replication.setup_primary_roles(cluster.primary, roles)
    replication.setup_replica_roles(cluster.replica, roles, revoke_public=revoke_public)
    if replication.ensure_subscription(cluster, roles):
        say("subscription created: the replica is copying the published tables")
