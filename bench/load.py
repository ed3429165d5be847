"""Load: many guests at once at one slot, on the production-shaped setup (not a test).

A fresh database with Book Me; Odoo with 4 HTTP workers in --proxy-mode behind nginx
(tools/serve-production); a real SMTP sink on loopback. Then, through the public JSON API:

1. 200 concurrent booking requests at one slot of an individual type,
2. 200 concurrent booking requests at one slot of a group type with 5 seats,
3. 100 concurrent reschedules of 100 existing bookings to one free slot,
4. (when the product has approvals) 100 concurrent approvals of pending requests for one
   slot, by the host.

Each prints the requests sent, the count of every answer's status, the bookings in the
database and the attendees on the slot's calendar event, and checks: exactly 1 (or 5)
winners, every other answer a clean 409 (429 where the per-address throttle answers:
it is raised for the run, since every request comes from 127.0.0.1), no 5xx, no connection
error. Exit status 1 if any check fails. Takes about 5 minutes here.

Run: .venv/bin/python bench/load.py  [--workers 4] [--keep-db]
"""

import argparse
import collections
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

DB = "bookme_bench_load"
API = "/book/api/v1"

SETUP = r"""
import json
from datetime import datetime, timedelta, timezone
from odoo import Command
UTC = timezone.utc
env = env(context=dict(env.context, tracking_disable=True))
env["ir.config_parameter"].set_param("crm_bookme.booking_rate_limit", "1000000")
cal = env["resource.calendar"].create({
    "name": "Load hours", "tz": "UTC",
    "attendance_ids": [Command.create({"name": f"d{d}{p}", "dayofweek": str(d), "hour_from": a,
                                       "hour_to": b, "day_period": p})
                       for d in range(5) for a, b, p in ((8.0, 12.0, "morning"), (13.0, 17.0, "afternoon"))],
})
group = env.ref("crm_bookme.group_bookme_user")
def host(login, name):
    user = env["res.users"].create({
        "name": name, "login": login, "email": f"{login}@example.com", "tz": "UTC",
        "group_ids": [Command.link(group.id)],
    })
    user.write({"bookme_enabled": True, "bookme_slug": login})
    user.resource_calendar_id = cal  # after enabling: that creates the user's resource
    return user
a, b = host("load-a", "Load Host A"), host("load-b", "Load Host B")
Type = env["bookme.event.type"]
solo = Type.create({"name": "Solo", "slug": "solo", "user_id": a.id, "duration": 30,
                    "increment": 30, "min_notice": 0})
grp = Type.create({"name": "Group", "slug": "group", "user_id": a.id, "duration": 60,
                   "increment": 60, "min_notice": 0, "kind": "group", "capacity": 5})
move = Type.create({"name": "Move", "slug": "move", "user_id": b.id, "duration": 30,
                    "increment": 30, "min_notice": 0})
day = datetime.now(UTC).date() + timedelta(days=7)
while day.weekday() > 4:
    day += timedelta(days=1)
def at(d, h, m=0):
    return datetime(d.year, d.month, d.day, h, m, tzinfo=UTC)
# 100 bookings of host B on the following weekdays, each in its own slot.
Sched = env["bookme.scheduler"]
starts = []
d = day + timedelta(days=1)
while len(starts) < 100:
    if d.weekday() < 5:
        starts += [s.start for s in Sched._slots(move, at(d, 0), at(d, 23))]
    d += timedelta(days=1)
Booking = env["bookme.booking"].sudo()
tokens = []
for i, start in enumerate(starts[:100]):
    bk = Booking._bookme_create(move, start, f"Mover {i}", f"mover{i}@example.com")
    tokens.append(bk.access_token)
env.cr.commit()
print("RESULT " + json.dumps({
    "solo_start": at(day, 9).isoformat(), "group_start": at(day, 14).isoformat(),
    "move_start": at(day, 10).isoformat(), "tokens": tokens,
    "types": {"solo": solo.id, "group": grp.id, "move": move.id},
    "approve": hasattr(Booking, "action_bookme_approve"),
}))
"""

APPROVAL_SETUP = r"""
import json
from datetime import datetime
from odoo import Command
env = env(context=dict(env.context, tracking_disable=True))
a = env["res.users"].search([("login", "=", "load-a")])
etype = env["bookme.event.type"].create({
    "name": "Request", "slug": "request", "user_id": a.id, "duration": 30, "increment": 30,
    "min_notice": 0, "requires_approval": True, "multiple_requests": True,
})
a.write({"password": "load-a-password"})
start = datetime.fromisoformat(START)
ids = []
for i in range(100):
    bk = env["bookme.booking"].sudo()._bookme_create(etype, start, f"Asker {i}", f"asker{i}@example.com")
    ids.append(bk.id)
env.cr.commit()
states = sorted(set(env["bookme.booking"].browse(ids).mapped("state")))
print("RESULT " + json.dumps({"ids": ids, "states": states, "type": etype.id}))
"""


def post_json(url, payload):
    resp = requests.post(url, json=payload, timeout=600)
    return resp.status_code, resp.text[:300]


def summarize(title, results, winners_status, expect_winners, db_rows, attendees):
    statuses = collections.Counter(r[0] if isinstance(r, tuple) else r for r in results)
    print(f"\n{title}")
    print(f"  requests sent: {len(results)}")
    print("  answers: " + ", ".join(f"{k} x {v}" for k, v in sorted(statuses.items(), key=str)))
    print(f"  bookings in the database at the slot: {db_rows}")
    print(f"  guests on the slot's calendar event: {attendees}")
    bad = []
    if statuses.get(winners_status, 0) != expect_winners:
        bad.append(f"{statuses.get(winners_status, 0)} x {winners_status}, expected {expect_winners}")
    if db_rows != expect_winners:
        bad.append(f"{db_rows} bookings in the database, expected {expect_winners}")
    if attendees != expect_winners:
        bad.append(f"{attendees} guests on the event, expected {expect_winners}")
    others = {k: v for k, v in statuses.items() if k not in (winners_status, 409, 429)}
    if others:
        bad.append(f"unexpected answers: {others}")
    for r in results:
        if isinstance(r, tuple) and r[0] == 409 and '"code"' not in r[1]:
            bad.append(f"a 409 without the contract's error object: {r[1]}")
            break
    sample = next((r[1] for r in results if isinstance(r, tuple) and r[0] == 409), None)
    if sample:
        print(f"  a 409 answer: {sample[:160]}")
    print("  " + ("OK" if not bad else "FAILED: " + "; ".join(bad)))
    return not bad


def slot_counts(type_id, start):
    rows = common.sql(
        DB,
        """
        SELECT count(*), min(calendar_event_id), count(DISTINCT calendar_event_id)
          FROM bookme_booking
         WHERE event_type_id = %s AND start = %s::timestamptz AT TIME ZONE 'UTC'
           AND state IN ('requested', 'confirmed')""",
        (type_id, start),
        fetch="one",
    )
    count, event_id, _events = rows
    guests = 0
    if event_id:
        guests = common.sql(
            DB,
            """
            SELECT count(*) FROM calendar_event_res_partner_rel r
             WHERE r.calendar_event_id = %s AND r.res_partner_id NOT IN (
                   SELECT p.id FROM res_partner p JOIN res_users u ON u.partner_id = p.id)""",
            (event_id,),
            fetch="one",
        )[0]
    return count, guests


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    t_start = time.monotonic()
    common.setup()
    common.create_db(DB)
    smtp = common.SmtpSink(common.free_port()).start()
    data = common.shell(DB, SETUP, log_name="bench-load-setup.log")
    ok = True
    with common.ProductionServer(DB, workers=args.workers, smtp_port=smtp.port) as server:
        base = server.url + API
        # Warm every worker (first requests load the registry and assets).
        for _ in range(3 * args.workers):
            requests.get(f"{base}/load-a/solo/slots", timeout=120)

        t0 = time.monotonic()
        results = common.race(
            200,
            lambda i: post_json(
                f"{base}/load-a/solo/bookings",
                {
                    "start": data["solo_start"],
                    "name": f"Guest {i}",
                    "email": f"solo{i}@example.com",
                },
            ),
        )
        print(f"(200 requests answered in {time.monotonic() - t0:.1f} s)")
        ok &= summarize(
            "1. 200 guests book one individual slot",
            results,
            201,
            1,
            *slot_counts(data["types"]["solo"], data["solo_start"]),
        )

        t0 = time.monotonic()
        results = common.race(
            200,
            lambda i: post_json(
                f"{base}/load-a/group/bookings",
                {
                    "start": data["group_start"],
                    "name": f"Guest {i}",
                    "email": f"group{i}@example.com",
                },
            ),
        )
        print(f"(200 requests answered in {time.monotonic() - t0:.1f} s)")
        ok &= summarize(
            "2. 200 guests book one group slot with 5 seats",
            results,
            201,
            5,
            *slot_counts(data["types"]["group"], data["group_start"]),
        )

        tokens = data["tokens"]
        t0 = time.monotonic()
        results = common.race(
            len(tokens),
            lambda i: post_json(f"{base}/bookings/{tokens[i]}/reschedule", {"start": data["move_start"]}),
        )
        print(f"({len(tokens)} requests answered in {time.monotonic() - t0:.1f} s)")
        ok &= summarize(
            f"3. {len(tokens)} guests reschedule to one free slot",
            results,
            200,
            1,
            *slot_counts(data["types"]["move"], data["move_start"]),
        )

        if data["approve"]:
            ok &= approvals(server, data)
        else:
            print("\n4. approvals: not in this version of Book Me (no action_bookme_approve)")

        errors = [
            line
            for line in server.odoo_log().splitlines()
            if " ERROR " in line or " CRITICAL " in line or "Traceback" in line
        ]
        print(f"\nOdoo log: {len(errors)} ERROR/CRITICAL lines")
        for line in errors[:10]:
            print("   ", line[:300])
        ok &= not [line for line in errors if "bad query" not in line]
    print(f"\nmessages received by the SMTP sink: {len(smtp.messages)}")
    if not args.keep_db:
        common.sql("postgres", f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    print(
        f"total time {time.monotonic() - t_start:.0f} s; {'ALL CHECKS HOLD' if ok else 'SOME CHECKS FAILED'}"
    )
    sys.exit(0 if ok else 1)


def approvals(server, data):
    """The host approves 100 pending requests for one slot at once (JSON-RPC, one session
    per request, as 100 browser tabs would): exactly one is confirmed."""
    start = data["solo_start"].replace("T09:", "T11:")
    setup = common.shell(DB, f"START = {start!r}\n" + APPROVAL_SETUP, log_name="bench-load-approve.log")
    ids = setup["ids"]
    sessions = []
    for _ in ids:
        s = requests.Session()
        s.post(
            f"{server.url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": DB, "login": "load-a", "password": "load-a-password"}},
            timeout=120,
        )
        sessions.append(s)

    def approve(i):
        resp = sessions[i].post(
            f"{server.url}/web/dataset/call_kw/bookme.booking/action_bookme_approve",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": "bookme.booking",
                    "method": "action_bookme_approve",
                    "args": [[ids[i]]],
                    "kwargs": {},
                },
            },
            timeout=600,
        )
        body = resp.json() if resp.ok else {}
        if resp.status_code >= 500:
            return resp.status_code, resp.text[:300]
        if "error" in body:
            data = body["error"].get("data", {})
            if data.get("name") in ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError"):
                # The refusal a user sees (slot taken): counted as a clean "409".
                return 409, '"code" ' + str(data.get("message", ""))[:200]
            return 500, str(data.get("name")) + ": " + str(data.get("message", ""))[:200]
        return 200, ""

    results = common.race(len(ids), approve)
    confirmed = common.sql(
        DB,
        "SELECT count(*) FROM bookme_booking WHERE id IN %s AND state = 'confirmed'",
        (tuple(ids),),
        fetch="one",
    )[0]
    event = common.sql(
        DB,
        """SELECT min(calendar_event_id) FROM bookme_booking
                              WHERE id IN %s AND state = 'confirmed'""",
        (tuple(ids),),
        fetch="one",
    )[0]
    guests = 0
    if event:
        guests = common.sql(
            DB,
            """SELECT count(*) FROM calendar_event_res_partner_rel r
             WHERE r.calendar_event_id = %s AND r.res_partner_id NOT IN (
                   SELECT p.id FROM res_partner p JOIN res_users u ON u.partner_id = p.id)""",
            (event,),
            fetch="one",
        )[0]
    return summarize(
        f"4. the host approves {len(ids)} requests for one slot at once", results, 200, 1, confirmed, guests
    )


if __name__ == "__main__":
    main()
