"""What the bench commands share: the checkout's PostgreSQL and Odoo (through tools/lib.sh),
fresh databases, Odoo shell scripts, the production-shaped server and a local SMTP sink.

Nothing here is imported by the addon. Every command cleans up what it started (Odoo,
nginx, the PostgreSQL cluster if it was not running, the SMTP server).
"""

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ROOT / ".local"
_ENV = {}


def log(*args):
    print("[bench]", *args, flush=True)


def _lib(script):
    """Run ``script`` after sourcing tools/lib.sh; returns its stdout."""
    return subprocess.run(
        ["bash", "-c", f". '{ROOT}/tools/lib.sh'; {script}"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout


def setup():
    """Find Odoo, start (or reuse) the checkout's PostgreSQL, read Odoo's arguments."""
    if _ENV:
        return _ENV
    out = _lib(
        'find_odoo || die "$ODOO_MISSING_REASON"; ensure_postgres >&2; odoo_args; '
        'printf "%s\\0" "$BOOKME_PG_STARTED" "$ODOO_SRC_FOUND" "$BOOKME_PY" "${ODOO_ARGS[@]}"'
    )
    started, src, py, *args = out.split("\0")[:-1]
    _ENV.update(src=src, py=py, args=args, pg_started=started == "1")
    opts = {a: args[i + 1] for i, a in enumerate(args[:-1]) if a.startswith("--db_")}
    _ENV["dsn"] = {"host": opts["--db_host"], "port": opts["--db_port"], "user": opts["--db_user"]}
    if _ENV["pg_started"]:
        atexit.register(_lib, "ensure_postgres >/dev/null; BOOKME_PG_STARTED=1; stop_postgres")
    return _ENV


def sql(db, query, params=None, fetch="all"):
    conn = psycopg2.connect(dbname=db, **setup()["dsn"])
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            if fetch == "one":
                return cr.fetchone()
            return cr.fetchall() if cr.description else None
    finally:
        conn.close()


def odoo_bin(*args, log_name, check=True, **kw):
    env = setup()
    path = LOCAL / "log" / log_name
    with open(path, "w") as logfile:
        proc = subprocess.run(
            [env["py"], f"{env['src']}/odoo-bin", *env["args"], *args],
            stdout=logfile,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            **kw,
        )
    if check and proc.returncode:
        sys.exit(f"odoo-bin failed (exit {proc.returncode}): see {path}")
    return proc


def create_db(db, modules="crm_bookme", extra_addons=()):
    """A fresh database with ``modules`` (no demo data). Takes a minute or two here."""
    sql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    log(f"creating the database {db} with {modules} (a minute or two)...")
    t0 = time.monotonic()
    odoo_bin(
        "-d",
        db,
        "-i",
        modules,
        "--stop-after-init",
        "--max-cron-threads=0",
        *addons_path_args(extra_addons),
        log_name=f"bench-init-{db}.log",
    )
    log(f"database ready in {time.monotonic() - t0:.0f} s")


def addons_path_args(extra):
    if not extra:
        return []
    env = setup()
    base = next(a for a in env["args"] if a.startswith("--addons-path="))
    return [f"{base},{','.join(str(p) for p in extra)}"]


def shell(db, code, extra_addons=(), log_name="bench-shell.log", env_extra=None, args=()):
    """Run Python ``code`` in ``odoo-bin shell`` (``env`` is there); the code's last line
    printed as ``RESULT <json>`` is decoded and returned."""
    env = setup()
    path = LOCAL / "log" / log_name
    cmd = [
        env["py"],
        f"{env['src']}/odoo-bin",
        "shell",
        *env["args"],
        "-d",
        db,
        "--no-http",
        "--log-level=warn",
        *addons_path_args(extra_addons),
        *args,
    ]
    # addons-path given twice: the last one wins.
    proc = subprocess.run(
        cmd,
        input=code,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env_extra or {})},
    )
    path.write_text(proc.stdout)
    results = [line[7:] for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not results:
        sys.exit(f"odoo-bin shell failed (exit {proc.returncode}): see {path}")
    return json.loads(results[-1])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ProductionServer:
    """tools/serve-production on ``db`` (already created): nginx in front of Odoo workers."""

    def __init__(self, db, workers=4, smtp_port=None, port=None):
        self.db, self.workers, self.smtp_port = db, workers, smtp_port
        self.port = port or 18300 + (os.getpid() % 300) * 3
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self):
        env = {
            **os.environ,
            "BOOKME_DB": self.db,
            "BOOKME_PORT": str(self.port),
            "BOOKME_WORKERS": str(self.workers),
            "BOOKME_NO_UPDATE": "1",
        }
        if self.smtp_port:
            env["BOOKME_SMTP_PORT"] = str(self.smtp_port)
        self.logpath = LOCAL / "log" / f"bench-serve-{self.db}.log"
        odoo_log = LOCAL / "log" / "odoo-production.log"
        self.log_offset = odoo_log.stat().st_size if odoo_log.exists() else 0
        self.proc = subprocess.Popen(
            [str(ROOT / "tools" / "serve-production")],
            env=env,
            cwd=ROOT,
            stdout=open(self.logpath, "w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        atexit.register(self.stop)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"tools/serve-production stopped: see {self.logpath}")
            if "is running on" in self.logpath.read_text():
                break
            time.sleep(0.5)
        else:
            sys.exit(f"tools/serve-production did not start in 4 minutes: see {self.logpath}")
        log(f"production-shaped server up: nginx {self.url} -> Odoo with {self.workers} workers")
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __exit__(self, *exc):
        self.stop()

    def odoo_log(self):
        path = LOCAL / "log" / "odoo-production.log"
        if not path.exists():
            return ""
        with open(path, "rb") as f:
            f.seek(self.log_offset)
            return f.read().decode(errors="replace")


class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback that keeps every message it receives."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self.lock = threading.Lock()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    sink.messages.append((envelope.rcpt_tos, envelope.content))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        atexit.register(self.stop)
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


def race(n, fn, timeout=300):
    """Run ``fn(i)`` in ``n`` threads released together; returns their results (an
    exception's class name stands for a failed request)."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = fn(i)
        except requests.RequestException as exc:
            results[i] = type(exc).__name__

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results
