"""Mail faults: 100 bookings while the mail server is down (not a test).

A fresh database with Book Me on the production-shaped setup (tools/serve-production: nginx,
Odoo workers and a cron worker), whose outgoing mail server is a real SMTP server (aiosmtpd)
on loopback that is stopped. Then:

1. 100 guests book through the JSON API (10 at a time): every booking must be saved, and
   answered 201 with "email_sent": false;
2. Odoo's mail queue runs while the server is still down (as its hourly run would);
3. the SMTP server starts and the queue runs again (and once more).

Prints the bookings saved, the emails queued, and what the SMTP server received: every
guest exactly one confirmation and the host exactly one email per booking, nothing lost,
nothing twice. Exit status 1 if any check fails. About 4 minutes here.

Run: .venv/bin/python bench/mail_faults.py  [--keep-db]
"""

import argparse
import collections
import email
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from email import policy
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

DB = "bookme_bench_mail"
N = 100

SETUP = r"""
import json
from odoo import Command
env = env(context=dict(env.context, tracking_disable=True))
env["ir.config_parameter"].set_param("crm_bookme.booking_rate_limit", "1000000")
cal = env["resource.calendar"].create({
    "name": "Mail hours", "tz": "UTC",
    "attendance_ids": [Command.create({"name": f"d{d}", "dayofweek": str(d), "hour_from": 8.0,
                                       "hour_to": 17.0, "day_period": "morning"}) for d in range(5)],
})
host = env["res.users"].create({
    "name": "Mail Host", "login": "mail-host", "email": "mail-host@example.com", "tz": "UTC",
    "group_ids": [Command.link(env.ref("crm_bookme.group_bookme_user").id)],
})
host.write({"bookme_enabled": True, "bookme_slug": "mail-host"})
host.resource_calendar_id = cal
env["bookme.event.type"].create({"name": "Call", "slug": "call", "user_id": host.id,
                                 "duration": 30, "increment": 30, "min_notice": 0})
env.cr.commit()
print("RESULT " + json.dumps({"host": host.id}))
"""

RUN_QUEUE = r"""
import json
env["mail.mail"].process_email_queue()
env.cr.commit()
rows = env["mail.mail"].search_read([("model", "=", "bookme.booking")], ["state"])
print("RESULT " + json.dumps(dict(__import__("collections").Counter(r["state"] for r in rows))))
"""


def mail_states():
    return dict(
        common.sql(
            DB,
            """
        SELECT mm.state, count(*) FROM mail_mail mm JOIN mail_message m ON m.id = mm.mail_message_id
         WHERE m.model = 'bookme.booking' GROUP BY mm.state""",
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    t_start = time.monotonic()
    common.setup()
    common.create_db(DB)
    common.shell(DB, SETUP, log_name="bench-mail-setup.log")
    port = common.free_port()
    smtp = common.SmtpSink(port)  # not started: the mail server is down
    ok = True
    with common.ProductionServer(DB, workers=2, smtp_port=port) as server:
        base = f"{server.url}/book/api/v1/mail-host/call"
        days = requests.get(f"{base}/slots", params={"to": None}, timeout=120).json()["days"]
        starts = [s["start"] for d in days for s in d["slots"]][:N]
        assert len(starts) == N, f"only {len(starts)} slots offered"

        def book(i):
            resp = requests.post(
                f"{base}/bookings",
                json={"start": starts[i], "name": f"Guest {i}", "email": f"guest{i}@example.com"},
                timeout=300,
            )
            try:
                sent = resp.json().get("booking", {}).get("email_sent")
            except ValueError:  # not the API's JSON: an error page
                sent = None
            return resp.status_code, sent

        t0 = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(book, range(N)))
        statuses = collections.Counter(a[0] for a in answers)
        unsent = sum(1 for a in answers if a[1] is False)
        saved = common.sql(DB, "SELECT count(*) FROM bookme_booking WHERE state = 'confirmed'", fetch="one")[
            0
        ]
        print(f"\n1. {N} bookings with the mail server down ({time.monotonic() - t0:.1f} s)")
        print("  answers: " + ", ".join(f"{k} x {v}" for k, v in sorted(statuses.items())))
        print(f"  answered email_sent=false: {unsent}")
        print(f"  bookings saved: {saved}")
        print(f"  Book Me emails in the queue: {mail_states()}")
        ok &= statuses == {201: N} and unsent == N and saved == N

        smtp_args = ["--smtp=127.0.0.1", f"--smtp-port={port}"]
        states = common.shell(DB, RUN_QUEUE, log_name="bench-mail-queue1.log", args=smtp_args)
        print(f"\n2. the mail queue runs, server still down: {states}")

        smtp.start()
        for run in (1, 2):
            states = common.shell(DB, RUN_QUEUE, log_name=f"bench-mail-queue{run + 1}.log", args=smtp_args)
        print(f"\n3. the server is back; the queue runs twice: {states}")
        time.sleep(2)
        # A late cron run of the worker, if any, must not send anything again.

    received = collections.Counter()
    message_ids = collections.Counter()
    for rcpts, content in smtp.messages:
        msg = email.message_from_bytes(content, policy=policy.default)
        message_ids[msg["Message-Id"]] += 1
        for rcpt in rcpts:
            received[rcpt.lower()] += 1
    guests = {f"guest{i}@example.com" for i in range(N)}
    guest_counts = collections.Counter(received[g] for g in guests)
    host_count = received["mail-host@example.com"]
    duplicates = sum(c - 1 for c in message_ids.values() if c > 1)
    others = {r: c for r, c in received.items() if r not in guests and r != "mail-host@example.com"}
    left = {k: v for k, v in mail_states().items() if k in ("outgoing", "exception")}
    print(f"\nthe SMTP server received {len(smtp.messages)} messages")
    print(
        "  guests by emails received: "
        + ", ".join(f"{c} email(s): {n} guests" for c, n in sorted(guest_counts.items()))
    )
    print(f"  host: {host_count} emails (one per booking expected: {N})")
    print(f"  same Message-Id received twice: {duplicates}")
    print(f"  other recipients: {others or 'none'}")
    print(f"  Book Me emails left unsent in the queue: {left or 'none'}")
    ok &= guest_counts == {1: N} and host_count == N and not duplicates and not left
    smtp.stop()
    if not args.keep_db:
        common.sql("postgres", f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    print(
        f"\ntotal time {time.monotonic() - t_start:.0f} s; "
        f"{'ALL CHECKS HOLD: nothing lost, nothing sent twice' if ok else 'SOME CHECKS FAILED'}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
