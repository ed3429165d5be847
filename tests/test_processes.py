import os
import socket
import subprocess
import sys
import time

import requests
import websocket

from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import config


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestEveryOdooProcessStarts(BaseCase):
    """With ``--workers``, Odoo serves live notifications (the bus) from a separate
    process, ``odoo-bin gevent``, started with the same interpreter and virtual
    environment. It imports gevent's monkey patching, which needs ``pkg_resources``: in a
    virtual environment without it (setuptools 81 and later) that process dies at start and
    is restarted in a loop. This starts it exactly as Odoo does and opens a websocket."""

    def test_gevent_websocket_process(self):
        port = free_port()
        odoo_bin = os.path.join(os.path.dirname(config.root_path), "odoo-bin")
        args = [
            sys.executable,
            odoo_bin,
            "gevent",
            f"--addons-path={','.join(config['addons_path'])}",
            f"--data-dir={config['data_dir']}",
            f"--gevent-port={port}",
            "--http-interface=127.0.0.1",
            "-d",
            get_db_name(),
            f"--db-filter=^{get_db_name()}$",
            "--max-cron-threads=0",
            "--log-level=warn",
        ]
        for option in ("db_host", "db_port", "db_user", "db_password"):
            if config.get(option):
                args.append(f"--{option}={config[option]}")
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.addCleanup(proc.wait, 10)
        self.addCleanup(proc.kill)
        health = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/websocket/health", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        if health is None:
            proc.kill()
            output = proc.stdout.read().decode(errors="replace")[-3000:]
            self.fail(f"odoo-bin gevent did not start (exit {proc.poll()}):\n{output}")
        self.assertEqual(health.status_code, 200)
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/websocket?version=19.0-2",
            origin=f"http://127.0.0.1:{port}",
            timeout=10,
        )
        try:
            self.assertTrue(ws.connected, "the websocket handshake failed")
        finally:
            ws.close()
        self.assertIsNone(proc.poll(), "the gevent process exited")
