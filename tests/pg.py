"""A throwaway PostgreSQL server for the test session, run as an unprivileged user (initdb refuses root)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PG_USER = "cnapg"


def find_pg_bin() -> Path | None:
    """PostgreSQL server binaries: $CNA_PG_BIN, else the newest /usr/lib/postgresql/*/bin, else PATH."""
    env = os.environ.get("CNA_PG_BIN")
    candidates = [Path(env)] if env else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    which = shutil.which("initdb")
    if which:
        candidates.append(Path(which).parent)
    for c in candidates:
        if (c / "initdb").exists() and (c / "pg_ctl").exists():
            return c
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user(cmd: list[str], user: str | None) -> list[str]:
    if user is None:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", user, "--", *cmd]
    return ["su", user, "-s", "/bin/sh", "-c", " ".join(cmd)]


def _ensure_user() -> str | None:
    """None when we are not root; otherwise an unprivileged account to own the cluster."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
                       check=True, capture_output=True)
    return PG_USER


@dataclass
class PgServer:
    bin: Path
    datadir: Path
    port: int
    user: str | None

    @property
    def base_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def url(self, dbname: str) -> str:
        return f"{self.base_url}/{dbname}"

    def psql(self, sql: str, dbname: str = "postgres") -> None:
        subprocess.run([str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-d", dbname, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, capture_output=True)

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(_as_user([str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"],
                                self.user), capture_output=True)
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_server() -> PgServer:
    pg_bin = find_pg_bin()
    if pg_bin is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    user = _ensure_user()
    root = Path(tempfile.mkdtemp(prefix="cna-pg-"))
    datadir = root / "data"
    os.chmod(root, 0o755)
    if user:
        shutil.chown(root, user)
    subprocess.run(_as_user([str(pg_bin / "initdb"), "-D", str(datadir), "-U", "postgres", "-A", "trust",
                             "-E", "UTF8", "--locale=C", "--no-sync"], user), check=True, capture_output=True)
    port = _free_port()
    opts = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200")
    subprocess.run(_as_user([str(pg_bin / "pg_ctl"), "-D", str(datadir), "-o", opts, "-l", str(root / "log"),
                             "-w", "-t", "60", "start"], user), check=True, capture_output=True)
    server = PgServer(pg_bin, datadir, port, user)
    deadline = time.monotonic() + 30
    while True:
        try:
            server.psql("SELECT 1")
            return server
        except subprocess.CalledProcessError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
