"""Screenshot a page in headless Chromium, waiting until a CSS selector is shown.

Used to make the README's pictures from a running `tools/run`:

    .venv/bin/python tools/screenshot.py URL OUT.png [--wait SELECTOR] [--click SELECTOR]...
        [--login LOGIN:PASSWORD]

Prints the browser's console errors, so a broken page does not go unnoticed.
"""

import argparse
import base64
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import requests
import websocket


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, width, height):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="bookme_chrome_")
        binary = shutil.which("chromium") or shutil.which("chromium-browser") or "google-chrome"
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                f"--remote-debugging-port={self.port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=2) as res:
                    pages = [t for t in json.load(res) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.errors = []
        self.call("Runtime.enable")
        self.call("Page.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == "Runtime.exceptionThrown":
                self.errors.append(msg["params"]["exceptionDetails"].get("text"))
            if msg.get("method") == "Runtime.consoleAPICalled" and msg["params"]["type"] == "error":
                self.errors.append(" ".join(str(a.get("value")) for a in msg["params"]["args"]))
            if msg.get("id") == self.next_id:
                return msg.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                return True
            time.sleep(0.2)
        return False

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def odoo_session(url, credentials):
    """Log in to the Odoo serving ``url``; returns (base URL, session id)."""
    parts = urllib.parse.urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    login, password = credentials.split(":", 1)
    http = requests.Session()
    page = http.get(f"{base}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    http.post(
        f"{base}/web/login", data={"login": login, "password": password, "csrf_token": token}, timeout=30
    )
    return base, http.cookies.get("session_id")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--wait", default="body")
    parser.add_argument(
        "--click",
        action="append",
        default=[],
        help="selector to click, then wait for the next --wait (repeatable)",
    )
    parser.add_argument("--login", help="LOGIN:PASSWORD to open back-office pages")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    browser = Browser(args.width, args.height)
    try:
        if args.login:
            base, session_id = odoo_session(args.url, args.login)
            browser.call("Network.setCookie", name="session_id", value=session_id, url=base)
        browser.call("Page.navigate", url=args.url)
        ok = browser.wait_for(args.wait)
        for selector in args.click:
            ok = browser.wait_for(selector) and ok
            browser.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
            time.sleep(0.8)
        time.sleep(0.5)
        shot = browser.call("Page.captureScreenshot", format="png")
        with open(args.out, "wb") as fh:
            fh.write(base64.b64decode(shot["data"]))
        for error in browser.errors:
            print(f"console error: {error}", file=sys.stderr)
        if not ok:
            print(f"selector not found: {args.wait}", file=sys.stderr)
            return 1
        return 0
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
