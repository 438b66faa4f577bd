"""Throw-away PostgreSQL clusters on loopback, made with Debian's server tools.

The slow operations tests need a PostgreSQL they may stop, start and replicate: a
primary made with ``initdb`` and a hot standby cloned from it with
``pg_basebackup --write-recovery-conf`` (streaming replication). Both live under a
temporary directory and listen on free ports of 127.0.0.1 only. Durability is
switched off (``fsync=off``): these clusters hold test data for a minute.

PostgreSQL refuses to run as root, so when the tests run as root the server tools
run as the ``postgres`` system user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SERVER_TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def server_bindir() -> Path | None:
    """Directory holding PostgreSQL's server programs, or None when they are not installed."""
    candidates = []
    if pg_config := shutil.which("pg_config"):
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(Path(found.stdout.strip()))
    candidates.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    for path in candidates:
        if all((path / tool).is_file() for tool in SERVER_TOOLS):
            return path
    return None


def missing_reason() -> str | None:
    """Why throw-away clusters cannot be made here, or None when they can."""
    if server_bindir() is None:
        return (
            "PostgreSQL server tools (initdb, pg_ctl, pg_basebackup) not found: "
            "apt-get install postgresql"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _chown_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass
class Cluster:
    """One running (or stopped) PostgreSQL server in ``datadir`` on 127.0.0.1:``port``."""

    bindir: Path
    datadir: Path
    port: int

    def _tool(self, name: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = _as_server_user([str(self.bindir / name), *args])
        return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._tool(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.datadir / "log"), "-w", "start"
        )

    def stop(self) -> None:
        self._tool("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    def psql(self, sql: str, database: str = "postgres") -> str:
        psql = shutil.which("psql") or str(self.bindir / "psql")
        done = subprocess.run(
            [psql, "-X", "-At", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", database, "-c", sql],
            capture_output=True, text=True, check=True, timeout=30,
        )  # fmt: skip
        return done.stdout.strip()


def primary_create(root: Path) -> Cluster:
    """initdb a primary under ``root`` that accepts replication from loopback, and start it."""
    bindir = server_bindir()
    assert bindir is not None, missing_reason()
    _chown_to_server_user(root)
    cluster = Cluster(bindir=bindir, datadir=root / "primary", port=free_port())
    cluster._tool(
        "initdb", "-D", str(cluster.datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--locale=C.UTF-8",
    )  # fmt: skip
    settings = {
        "listen_addresses": "'127.0.0.1'",
        "port": str(cluster.port),
        "unix_socket_directories": f"'{root}'",
        "wal_level": "replica",
        "max_wal_senders": "4",
        "hot_standby": "on",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "shared_buffers": "32MB",
    }
    with open(cluster.datadir / "postgresql.conf", "a") as conf:
        conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
    with open(cluster.datadir / "pg_hba.conf", "w") as hba:
        hba.write("host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n")
    cluster.start()
    return cluster


def standby_create(primary: Cluster, root: Path) -> Cluster:
    """Clone ``primary`` with pg_basebackup into a streaming hot standby, and start it."""
    standby = Cluster(bindir=primary.bindir, datadir=root / "standby", port=free_port())
    primary._tool(
        "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
        "-D", str(standby.datadir), "--write-recovery-conf", "--checkpoint=fast",
        "--wal-method=stream",
    )  # fmt: skip
    with open(standby.datadir / "postgresql.conf", "a") as conf:
        conf.write(f"port = {standby.port}\n")
    standby.start()
    return standby


def wait_until(condition: object, *, timeout: float, interval: float = 0.1) -> bool:
    """Call ``condition`` until it returns true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(interval)
    return False


def copy_database(source_url: str, target_url: str, workdir: Path) -> None:
    """Copy a database (schema and data) with pg_dump's custom format and pg_restore."""
    dump = workdir / "copy.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source_url],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target_url}", str(dump)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
