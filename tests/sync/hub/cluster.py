"""A throwaway PostgreSQL cluster for the hub tests: its own data folder, loopback only, a random port.

The server binaries come from the machine (Debian's `postgresql` package; `.ci/run` installs it). initdb
refuses to run as root, so as root the cluster runs as the unprivileged `postgres` user, in a folder it
owns. Roles log in with passwords found through a pgpass file, as an agency's laptops would.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ADMIN = "hub_admin"
PASSWORD = "not-a-secret"


def server_bindir() -> Path | None:
    """Where initdb and pg_ctl are: Debian's versioned folders, then pg_config, then the PATH."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        folder = Path(found.stdout.strip())
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    pgpass: Path
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _as_server_user(self, *command: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def start(self) -> None:
        pwfile = self.folder / "pw"
        pwfile.write_text(PASSWORD + "\n")
        (self.folder / "sock").mkdir()
        if os.geteuid() == 0:
            server = pwd.getpwnam("postgres")
            for path in (self.folder, pwfile, self.folder / "sock"):
                os.chown(path, server.pw_uid, server.pw_gid)
        subprocess.run(
            self._as_server_user(
                str(self.bindir / "initdb"),
                "-D", str(self.data),
                "--username", ADMIN,
                "--pwfile", str(pwfile),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--no-sync",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder / 'sock'} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=60"
        )
        subprocess.run(
            self._as_server_user(
                str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "30",
                "-l", str(self.folder / "server.log"), "start",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        self.add_password(ADMIN)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            subprocess.run(
                self._as_server_user(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                ),
                check=True, capture_output=True,
            )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)

    def add_password(self, role: str) -> None:
        with self.pgpass.open("a") as lines:
            lines.write(f"127.0.0.1:{self.port}:*:{role}:{PASSWORD}\n")
        self.pgpass.chmod(0o600)

    def dsn(self, database: str, role: str = ADMIN) -> str:
        return f"host=127.0.0.1 port={self.port} dbname={database} user={role}"

    def admin(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.dsn(database), autocommit=True, passfile=str(self.pgpass))

    def new_database(self) -> str:
        name = f"hub_{next(self._numbers)}"
        with self.admin() as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return name

    def new_role(self, name: str) -> str:
        """A login role with a password, as an agency makes one for each facilitator."""
        role = f"{name}_{next(self._numbers)}"
        with self.admin() as connection:
            connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
        self.add_password(role)
        return role


def start_cluster() -> Cluster | None:
    bindir = server_bindir()
    if bindir is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="facilitator-hub-"))
    cluster = Cluster(
        bindir, folder, free_port(), Path(tempfile.mkdtemp(prefix="facilitator-pgpass-")) / "pgpass"
    )
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
