"""Real PostgreSQL and Redis servers on 127.0.0.1 for the tests and benchmarks that need them.

Each server runs from the system's binaries in a temporary folder, on a free port, and is
stopped (its folder removed) when its ``with`` block ends: no test depends on a server left
running by CI or by hand. ``WIRETRACE_TEST_POSTGRES`` / ``WIRETRACE_TEST_REDIS`` name
servers to use instead (each test then gets a fresh database or Redis db of its own).

PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user (the Debian
package creates it) via ``runuser``; the data folder is made theirs.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

POSTGRES_BIN = Path(os.environ.get("WIRETRACE_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class Unavailable(RuntimeError):
    """The server cannot be had here (binaries missing, cannot start); the message says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"{what} exited at start: {_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise Unavailable(f"{what} did not listen on 127.0.0.1:{port} within 30 s: {_tail(log)}")


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-3:])
    except OSError:
        return "(no log)"


def _as_postgres_user() -> list[str]:
    """The command prefix that runs PostgreSQL's binaries as a user it accepts."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise Unavailable("running as root without runuser: cannot start PostgreSQL as postgres")
    return [runuser, "-u", "postgres", "--"]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (trust auth, 127.0.0.1 only); yields its base URL
    ``postgresql://postgres@127.0.0.1:PORT`` (add ``/dbname``)."""
    initdb = POSTGRES_BIN / "initdb"
    if not initdb.is_file():
        raise Unavailable(f"no PostgreSQL binaries in {POSTGRES_BIN} (install postgresql-15)")
    prefix = _as_postgres_user()
    folder = Path(tempfile.mkdtemp(prefix="wiretrace-pg-"))
    data, log = folder / "data", folder / "server.log"
    if prefix:
        shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o700)
    port = free_port()
    process: subprocess.Popen[bytes] | None = None
    try:
        done = subprocess.run(
            [*prefix, str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust",
             "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise Unavailable(f"initdb failed: {done.stderr.strip()[-300:]}")
        process = subprocess.Popen(
            [*prefix, str(POSTGRES_BIN / "postgres"), "-D", str(data), "-p", str(port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={folder}",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=200"],
            stdout=subprocess.DEVNULL, stderr=log.open("wb"),
        )  # fmt: skip
        _wait_for_port(port, process, "PostgreSQL", log)
        _wait_for_postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres", process, log)
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        if process is not None:
            process.terminate()  # SIGTERM: smart shutdown is fine, clients are gone
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for_postgres(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """The port opens before the server accepts logins; wait for a real connection."""
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError as error:
            if process.poll() is not None or time.monotonic() > deadline:
                raise Unavailable(f"PostgreSQL does not accept connections: {error}") from error
            time.sleep(0.1)


_database_names = (f"wt_{uuid.uuid4().hex[:8]}_{n}" for n in itertools.count())


def fresh_database(base_url: str) -> str:
    """A new empty database on the server at ``base_url``; returns its URL."""
    import psycopg

    name = next(_database_names)
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"


def drop_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_base(url: str) -> str:
    """``WIRETRACE_TEST_POSTGRES`` may name a database; databases are made beside it."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway Redis (no persistence, 127.0.0.1 only); yields ``redis://127.0.0.1:PORT``."""
    if not Path(REDIS_SERVER).is_file():
        raise Unavailable("no redis-server (apt-get install -y redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="wiretrace-redis-"))
    log = folder / "server.log"
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--logfile", str(log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for_port(port, process, "Redis", log)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


# -- a test's database, whichever backend ------------------------------------------------


class Database(str):
    """One test's database, whichever backend: the string is what ``open_store`` takes (a
    file path or a URL), and ``query`` reads its rows through a separate connection, so a
    check also proves what was committed."""

    kind: str

    def __new__(cls, kind: str, target: str) -> Database:
        database = super().__new__(cls, target)
        database.kind = kind
        return database

    @property
    def target(self) -> str:
        return str.__str__(self)

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows as tuples; SQL is written for SQLite and rewritten as the store does."""
        if self.kind == "sqlite":
            with sqlite3.connect(self.target) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        from crawler.storage.sql import to_postgres

        with psycopg.connect(self.target, autocommit=True) as conn:
            return [tuple(row) for row in conn.execute(to_postgres(sql), params).fetchall()]


def as_database(target: Database | str | os.PathLike[str]) -> Database:
    """A test's own SQLite file (a path) as a ``Database``; a ``Database`` as it is."""
    return target if isinstance(target, Database) else Database("sqlite", os.fspath(target))
