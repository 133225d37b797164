"""``audifi``: run the AudiFi warehouse's databases, migrations and data from one command.

Every failure the user can act on is one line on stderr and exit code 1; ``main`` is the one
error boundary that makes it so (see ``audifi.errors.describe``).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import psycopg
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from audifi import __version__, replication
from audifi.cluster import Cluster, local_servers, resolve_cluster
from audifi.credentials import ROLE_SPECS
from audifi.dbt import PROJECT_DIR, check_ready, dbt_env, run_dbt
from audifi.errors import AudifiError, describe
from audifi.migrate import current_revision, head_revision, migrate_and_connect
from audifi.pgserver import default_bindir
from audifi.seed.scales import SCALE_TABLE
from audifi.settings import Settings, load_settings

# Every variable audifi reads, for `audifi --help` (the README has the full table).
ENV_VARS = {
    "AUDIFI_DATABASE_URL": "use this PostgreSQL as the primary (no local servers)",
    "AUDIFI_DATABASE_REPLICA_URL": "with the above: the analytics replica",
    "AUDIFI_HOME": "where local servers keep data, logs and credentials.json (.audifi/)",
    "AUDIFI_PRIMARY_PORT / AUDIFI_REPLICA_PORT": "local servers' ports (54321 / 54322)",
    "AUDIFI_PG_BINDIR": "PostgreSQL 15+ binaries (default: the bundled PostgreSQL 18)",
    "AUDIFI_PG_OS_USER": "as root: the OS user that runs the servers (audifi, created)",
    "AUDIFI_PG_PASSWORD": "local superuser password at creation (default: random)",
    "AUDIFI_{REPLICATION,DBT,ANALYST,FINANCE}_USER / _PASSWORD": (
        "role names; passwords (external servers: required to create a role)"
    ),
    "AUDIFI_REPLICA_REVOKE_PUBLIC_CREATE": "1: revoke PUBLIC's CREATE on an external replica",
    "AUDIFI_DB_POOL_MIN / AUDIFI_DB_POOL_MAX": "connection pool size (2 / 10)",
    "AUDIFI_DEBUG": "1: show tracebacks (as --debug)",
}

app = typer.Typer(
    help=(
        "AudiFi analytics warehouse.\n\n"
        "Start here: `audifi up` starts a local PostgreSQL primary and analytics replica, "
        "migrates both and connects them by logical replication; `audifi status` shows "
        "them; `audifi down` stops them.  Set AUDIFI_DATABASE_URL (and optionally "
        "AUDIFI_DATABASE_REPLICA_URL) to work with servers of your own instead."
    ),
    epilog="Environment variables:\n\n"
    + "\n\n".join(f"{name}: {meaning}" for name, meaning in ENV_VARS.items()),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
replica_app = typer.Typer(help="The analytics replica: wait for it, or copy everything again.")
app.add_typer(replica_app, name="replica")

out = Console()
err = Console(stderr=True)
_debug = {"on": os.environ.get("AUDIFI_DEBUG", "") not in ("", "0")}


def _version(value: bool) -> None:
    if value:
        out.print(f"audifi {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of a failure (or AUDIFI_DEBUG=1).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    if debug:
        _debug["on"] = True


def _context() -> tuple[Settings, Cluster]:
    settings = load_settings()
    return settings, resolve_cluster(settings)


def _migrate_and_connect(cluster: Cluster) -> None:
    migrate_and_connect(cluster, say=lambda m: out.print(f"  {m}"))


@app.command()
def up() -> None:
    """Start the primary and the replica, migrate both and connect them (idempotent)."""
    settings, cluster = _context()
    if settings.external:
        out.print("AUDIFI_DATABASE_URL is set: using those servers, starting none")
    else:
        for server in local_servers(settings):
            pid = server.pid()
            if pid:
                out.print(f"{server.name}: already running (pid {pid}, port {server.port})")
                continue
            server.check_port()  # before creating anything
            if not server.initialized:
                out.print(f"{server.name}: creating a new cluster in {server.datadir}")
                server.initdb()
            server.start()
            out.print(f"{server.name}: started on 127.0.0.1:{server.port} (pid {server.pid()})")
    _migrate_and_connect(cluster)
    out.print("ready: `audifi status` shows both servers")


@app.command()
def down(
    purge: Annotated[
        bool, typer.Option("--purge", help="Also delete the servers' data folders.")
    ] = False,
) -> None:
    """Stop the local servers (their data is kept unless --purge)."""
    settings = load_settings()
    if settings.external:
        raise AudifiError(
            "AUDIFI_DATABASE_URL is set: audifi does not stop servers it did not start"
        )
    stopped = 0
    for server in reversed(local_servers(settings)):  # replica first: it subscribes to the primary
        if server.stop():
            stopped += 1
            out.print(f"{server.name}: stopped")
        if purge and server.datadir.parent.exists():
            server.purge()
            out.print(f"{server.name}: data removed")
    if not stopped:
        out.print("nothing was running")


def _server_rows(settings: Settings, cluster: Cluster) -> list[list[str]]:
    rows = []
    locals_ = {} if settings.external else {s.name: s for s in local_servers(settings)}
    for target in (cluster.primary, cluster.replica):
        if target is None:
            continue
        address = f"{target.url.host}:{target.url.port or 5432}/{target.url.database}"
        server = locals_.get(target.role)
        if server is not None and server.pid() is None:
            rows.append([target.role, "stopped", server.version(), address, "-"])
            continue
        try:
            with target.connect() as conn:
                version = conn.execute("SHOW server_version").fetchone()[0]
            revision = current_revision(target) or "not migrated"
            state = f"running (pid {server.pid()})" if server else "reachable"
        except AudifiError as exc:
            version, revision, state = "?", "?", f"unreachable: {exc}"
        rows.append([target.role, state, version, address, revision])
    return rows


@app.command()
def status() -> None:
    """Show each server, its version, address and migration revision, and replication health."""
    settings, cluster = _context()
    table = Table(title="AudiFi databases")
    for col in ("server", "state", "version", "address", "revision"):
        table.add_column(col)
    rows = _server_rows(settings, cluster)
    for row in rows:
        table.add_row(*row)
    out.print(table)
    out.print(f"migration head: {head_revision()}")
    down = [r[0] for r in rows if r[1].startswith("unreachable")]
    if down:
        raise AudifiError(f"the {' and the '.join(down)} cannot be reached (see above)")
    if cluster.single_server:
        out.print(
            "single-server mode: no replica is configured, so dbt and notebooks read the "
            "primary's oltp schema"
        )
        return
    if any(r[1] == "stopped" for r in rows):
        return
    rs = replication.replication_status(cluster)
    if rs is None or rs.subscription is None:
        out.print("replication: no subscription yet (run `audifi up` or `audifi migrate`)")
        return
    lag_b = "?" if rs.lag_bytes is None else f"{rs.lag_bytes:,} bytes"
    lag_s = "?" if rs.lag_seconds is None else f"{rs.lag_seconds:.2f} s"
    out.print(
        f"replication: subscription {rs.subscription}, worker "
        f"{'running' if rs.worker_running else 'not running'}, "
        f"{rs.tables_ready}/{rs.tables_total} tables ready, lag {lag_b} / {lag_s}, "
        f"errors: {rs.apply_errors} apply, {rs.sync_errors} sync, "
        f"slot {rs.slot_wal_status} at {rs.slot_confirmed_flush_lsn}"
    )
    if rs.slot_lost:
        out.print(
            "[bold red]warning:[/] the replication slot was lost (the replica fell more than "
            "max_slot_wal_keep_size behind); run `audifi replica resync` to copy everything again"
        )


@app.command()
def env() -> None:
    """Print `export` lines for the running servers (eval "$(audifi env)")."""
    settings, cluster = _context()
    primary = cluster.primary.url.set(drivername="postgresql")
    lines = {"AUDIFI_DATABASE_URL": primary.render_as_string(hide_password=False)}
    if cluster.replica:
        lines["AUDIFI_DATABASE_REPLICA_URL"] = cluster.replica.url.set(
            drivername="postgresql"
        ).render_as_string(hide_password=False)
    lines.update(dbt_env(cluster))
    if not settings.external:  # the local roles' generated passwords (AUDIFI_HOME keeps them)
        roles = replication.roles_from_env(cluster)
        for spec in ROLE_SPECS:
            lines[spec.user_var] = getattr(roles, f"{spec.key}_user")
            lines[spec.password_var] = roles.need(spec.key)
    for key, value in lines.items():
        out.print(f"export {key}={shlex.quote(value)}", highlight=False, soft_wrap=True)


class PsqlRole(StrEnum):
    analyst = "analyst"
    dbt = "dbt"
    owner = "owner"


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def psql(
    ctx: typer.Context,
    role: Annotated[
        PsqlRole | None,
        typer.Option(
            help="Log in as: analyst (the replica's default), dbt, or owner (the URL's user; "
            "the primary's default)."
        ),
    ] = None,
) -> None:
    """`audifi psql [primary|replica] [PSQL ARGS]`: psql on the replica as the analyst role.

    The first argument may name the server (the replica by default); the rest go to psql.
    """
    args = list(ctx.args)
    which = args.pop(0) if args and not args[0].startswith("-") else None
    if which not in (None, "primary", "replica"):
        raise AudifiError(f"unknown server {which!r}: `audifi psql` takes primary or replica")
    settings, cluster = _context()
    which = which or ("primary" if cluster.single_server else "replica")
    target = cluster.primary if which == "primary" else cluster.replica
    if target is None:
        raise AudifiError("single-server mode has no replica: use `audifi psql primary`")
    role = role or (PsqlRole.analyst if which == "replica" else PsqlRole.owner)
    if role is not PsqlRole.owner and which == "primary":
        raise AudifiError(f"the {role.value} role exists on the replica only: use --role owner")
    roles = replication.roles_from_env(cluster)
    if role is PsqlRole.owner:
        user, password = target.url.username or "", target.url.password or ""
    else:
        user, password = getattr(roles, f"{role.value}_user"), roles.need(role.value)
    bindir = settings.pg_bindir or default_bindir()
    env_vars = {**os.environ, "PGPASSWORD": password}
    conninfo = psycopg.conninfo.make_conninfo(
        host=target.url.host,
        port=str(target.url.port or 5432),
        dbname=target.url.database,
        user=user,
    )
    raise typer.Exit(subprocess.call([str(bindir / "psql"), conninfo, *args], env=env_vars))


@app.command(name="migrate")
def migrate_cmd() -> None:
    """Apply the Alembic migrations: replica first for additive changes, then the primary."""
    _, cluster = _context()
    _migrate_and_connect(cluster)


# The scales are the generator's; an enum makes Typer offer and check exactly those.
Scale = StrEnum("Scale", [(name, name) for name in SCALE_TABLE])


@app.command()
def seed(
    scale: Annotated[
        Scale | None,
        typer.Option(
            help="tiny (tests), small (the demo), medium or large (benchmarks).  [default: small]",
            show_default=False,
        ),
    ] = None,
    seed_value: Annotated[
        int,
        typer.Option(
            "--seed",
            min=0,
            help="Random seed: the same seed and scale give the same data.",
        ),
    ] = 42,
    append_days: Annotated[
        int | None,
        typer.Option(
            "--append-days",
            min=1,
            help="Instead of a full seed, add N more days of activity after the latest loaded.",
        ),
    ] = None,
    if_empty: Annotated[
        bool,
        typer.Option("--if-empty", help="Skip (exit 0) when the primary already holds data."),
    ] = False,
    reorg: Annotated[
        int | None,
        typer.Option(
            "--reorg",
            min=1,
            metavar="BLOCKS",
            help="Instead of loading, reorganise the newest BLOCKS blocks of --chain: delete "
            "their chain events, roll back what they fed, re-add a different history (INV-40).",
        ),
    ] = None,
    chain: Annotated[
        str | None,
        typer.Option("--chain", metavar="ID", help="The chain of --reorg: 1, 137 or 42161."),
    ] = None,
) -> None:
    """Load synthetic AudiFi data into the primary (one transaction: all or nothing)."""
    if reorg is not None or chain is not None:
        if reorg is None or chain is None:
            raise AudifiError("--reorg BLOCKS and --chain ID go together")
        if scale is not None or append_days is not None or if_empty:
            raise AudifiError("--reorg does not combine with --scale, --append-days or --if-empty")
    if append_days is not None and scale is not None:
        raise AudifiError("--scale does not apply to --append-days (it extends the loaded data)")
    if append_days is not None and if_empty:
        raise AudifiError("--if-empty does not apply to --append-days (it needs loaded data)")
    from audifi import seed as seeding

    _, cluster = _context()
    url = cluster.primary.url.render_as_string(hide_password=False)
    if if_empty:
        with cluster.primary.connect() as conn:
            migrated = conn.execute("SELECT to_regclass('oltp.users') IS NOT NULL").fetchone()[0]
            loaded = (
                migrated and conn.execute("SELECT EXISTS (SELECT 1 FROM oltp.users)").fetchone()[0]
            )
        if loaded:
            out.print("the primary already holds data: seeding skipped (--if-empty)")
            return
    if reorg is not None and chain is not None:
        changed = seeding.reorg(url, reorg, chain, seed=seed_value)
        gone = sum(n for k, n in changed.items() if k.startswith("-"))
        added = sum(n for k, n in changed.items() if k.startswith("+"))
        out.print(
            f"reorganised the newest {reorg:,} blocks of chain {chain}: deleted {gone:,} chain "
            f"events, re-added {added:,}, rolled back and rebuilt what they fed"
        )
        return
    if append_days is not None:
        rows = seeding.append_days(url, append_days, seed=seed_value)
    else:
        rows = seeding.seed_database(url, scale.value if scale else "small", seed=seed_value)
    out.print(f"loaded {sum(rows.values()):,} rows into {len(rows)} tables")


@replica_app.command("wait")
def replica_wait(
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds.")] = 300.0,
) -> None:
    """Block until the replica has everything the primary had committed when called."""
    if not 0 < timeout < float("inf"):
        raise AudifiError("--timeout must be a positive number of seconds")
    _, cluster = _context()
    if cluster.replica is None:
        out.print("single-server mode: there is no replica to wait for")
        return
    waited = replication.wait_for_replica(cluster, timeout=timeout)
    out.print(f"replica in sync (waited {waited:.2f} s)")


@replica_app.command("resync")
def replica_resync() -> None:
    """Empty the replica's oltp tables and subscribe again (after a lost slot)."""
    _, cluster = _context()
    replication.resync(cluster, replication.roles_from_env(cluster))
    out.print("subscription recreated: the replica is copying everything again")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def dbt(ctx: typer.Context) -> None:
    """Run dbt on the analytics project against the replica, e.g. `audifi dbt test`."""
    _, cluster = _context()
    raise typer.Exit(run_dbt(cluster, list(ctx.args)).returncode)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def build(ctx: typer.Context) -> None:
    """Build and test the warehouse: `dbt build` on the replica (extra arguments go to dbt).

    Refuses, with what to run, when the servers are down, the replica is not migrated or is
    behind the primary.  A failing model or test exits non-zero after dbt's own report.
    """
    _, cluster = _context()
    check_ready(cluster)
    code = run_dbt(cluster, ["build", *ctx.args]).returncode
    if code:
        raise AudifiError(f"dbt build failed (exit {code}): its report above names the node")


@app.command()
def summary() -> None:
    """Print a short summary of the warehouse from the marts (after `audifi build`)."""
    from audifi.summary import print_summary

    _, cluster = _context()
    print_summary(cluster, out)


# -- named dashboard queries and the dashboard (self-contained: own one-line error handling) --


@app.command(name="query")
def query_cmd(
    name: Annotated[str, typer.Argument(help="Query name; `audifi query list` shows them.")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Run a named dashboard query on the marts, e.g. `audifi query top_masters -p days=28`."""
    from audifi import query_output

    raise typer.Exit(query_output.run(name, param or [], fmt, out, err))


@app.command()
def dashboard(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8501,
    role: Annotated[
        str, typer.Option(help="analyst, or finance to add the finance page (marts_finance).")
    ] = "analyst",
) -> None:
    """Start the Streamlit dashboard on 127.0.0.1 (headless, no usage statistics)."""
    from audifi.dashboard import launch

    raise typer.Exit(launch.main(port, role, err))


# -- the same dbt project on Apache Spark (audifi/spark.py, docs/scale-out.md) --------------

spark_app = typer.Typer(
    help="Build the dbt project on Apache Spark and compare it with PostgreSQL."
)
app.add_typer(spark_app, name="spark")


def _target_path() -> Path:
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_DIR / "target")


@spark_app.command("export")
def spark_export(
    full: Annotated[
        bool,
        typer.Option("--full", help="Copy append-only tables in full too (default: new rows)."),
    ] = False,
) -> None:
    """Write the replica's published tables to Parquet under AUDIFI_HOME/lake/."""
    from audifi.lake import export_lake, lake_dir

    settings, cluster = _context()
    check_ready(cluster)
    root = lake_dir(settings.home)
    tables = export_lake(cluster.analytics, root, say=lambda m: out.print(f"  {m}"), full=full)
    total = sum(t.rows for t in tables)
    out.print(f"exported {total:,} rows of {len(tables)} tables to {root}")


@spark_app.command(
    "build", context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
)
def spark_build(ctx: typer.Context) -> None:
    """`dbt build --target spark` on the exported lake (extra arguments go to dbt)."""
    from audifi.spark import run_dbt_spark

    settings, cluster = _context()
    code = run_dbt_spark(cluster, settings.home, ["build", *ctx.args]).returncode
    if code:
        raise AudifiError(
            f"dbt build on Spark failed (exit {code}): its report above names the node"
        )


@spark_app.command("compare")
def spark_compare() -> None:
    """Read every mart of the spec from both engines; report differences row by row."""
    from audifi.spark import compare_marts

    settings, cluster = _context()
    manifest = _target_path() / "manifest.json"
    if not manifest.exists():
        raise AudifiError(f"{manifest} not found: run `audifi spark build` first")
    results = compare_marts(cluster, settings.home, manifest, say=out.print)
    differing = [r.mart for r in results if r.differences]
    if differing:
        raise AudifiError(
            f"{len(differing)} of {len(results)} marts differ: {', '.join(differing)}"
        )
    out.print(f"all {len(results)} marts equal on PostgreSQL and Spark")


def main(argv: list[str] | None = None) -> int:
    """The error boundary: every expected failure becomes one line on stderr and exit 1.

    A bug (an exception ``describe`` does not know) says so in one line; its traceback is
    shown with ``--debug`` or ``AUDIFI_DEBUG=1``.
    """
    try:
        result = app(args=argv, prog_name="audifi", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # a usage error: Typer's click raises these
        if type(exc).__name__ == "NoArgsIsHelpError":
            out.print(exc.ctx.get_help(), highlight=False)  # type: ignore[attr-defined]
            return 0
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "audifi"
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        _fail(f"{message} (see `{where} --help`)")
        return exc.exit_code or 2
    except (typer.Abort, KeyboardInterrupt):
        _fail("interrupted")
        return 130
    except Exception as exc:
        message = describe(exc)
        if _debug["on"]:
            traceback.print_exc()
        if message is None:
            message = (
                f"internal error ({type(exc).__name__}: {exc}): this is a bug in audifi; "
                "rerun with --debug (or AUDIFI_DEBUG=1) to see the traceback"
            )
            _fail(message)
            return 70
        _fail(message)
        return 1


def _fail(message: str) -> None:
    # One physical line, whatever the terminal's width: no wrapping, no markup parsing.
    one_line = " ".join(message.split())
    err.print(f"[bold red]error:[/] {escape(one_line)}", highlight=False, soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
