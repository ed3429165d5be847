"""Book Me against OCA resource_booking 19.0, side by side (not a test).

Downloads OCA ``resource_booking`` 19.0 and its dependency ``web_calendar_slot_duration``
from PyPI into .local/oca (never committed), installs both beside Book Me in one fresh
database, and builds, for N = 0, 500, 2,000 and 8,000: one host with the calendar
Mon-Fri 08:00-12:00 and 13:00-17:00 (Europe/Oslo) and N busy calendar events (30-90
minutes on the half-hour grid, random, seeded) over 90 days; in Book Me a 30-minute
type, in resource_booking a 30-minute booking type on that host's resource. Then, in
one Odoo process, times a 31-day slot computation in the middle of the 90 days in both
addons, alternately, with the ORM's record cache cleared before every run
(``env.invalidate_all()``); prints both medians and the ratio per N, whether both found
the same slots, and the growth from 2,000 to 8,000 events.

Then, on Odoo with 2 workers behind nginx (tools/serve-production), the latency (median,
p95) of ``GET /book/api/v1/<host>/<type>/slots`` for 31 days at N = 2,000 and 8,000
against trivial Odoo routes measured in the same run, interleaved: ``/web/health`` (no
database) and ``/web/webclient/version_info`` (a JSON-RPC route through the database
dispatch). About 5 minutes here.

Run: .venv/bin/python bench/bench_vs_oca.py  [--runs 15] [--keep-db]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

DB = "bookme_bench_oca"
OCA = common.LOCAL / "oca"
SIZES = (0, 500, 2000, 8000)
PACKAGES = ("odoo-addon-resource-booking==19.0.*", "odoo-addon-web_calendar_slot_duration==19.0.*")

BUILD = r"""
import json, random
from datetime import datetime, timedelta, timezone
from odoo import Command
UTC = timezone.utc
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
cal = env["resource.calendar"].create({
    "name": "Bench hours", "tz": "Europe/Oslo",
    "attendance_ids": [Command.create({"name": f"d{d}{p}", "dayofweek": str(d), "hour_from": a,
                                       "hour_to": b, "day_period": p})
                       for d in range(5) for a, b, p in ((8.0, 12.0, "morning"), (13.0, 17.0, "afternoon"))],
})
today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
day0 = today + timedelta(days=1)
out = {"day0": day0.isoformat(), "hosts": {}}
for n in SIZES:
    user = env["res.users"].create({
        "name": f"Bench Host {n}", "login": f"bench-{n}", "email": f"bench{n}@example.com",
        "tz": "Europe/Oslo",
        "group_ids": [Command.link(env.ref("crm_bookme.group_bookme_user").id)],
    })
    user.write({"bookme_enabled": True, "bookme_slug": f"bench-{n}"})
    user.resource_calendar_id = cal
    etype = env["bookme.event.type"].create({
        "name": "Call", "slug": "call", "user_id": user.id, "duration": 30, "increment": 30,
        "min_notice": 0,
    })
    resource = user.resource_ids[:1]
    resource.write({"calendar_id": cal.id, "tz": "Europe/Oslo"})
    combination = env["resource.booking.combination"].create({"resource_ids": [Command.set(resource.ids)]})
    rbt = env["resource.booking.type"].create({
        "name": f"Call {n}", "resource_calendar_id": cal.id, "duration": 0.5,
        "slot_duration": 0.5, "modifications_deadline": 0,
        "combination_rel_ids": [Command.create({"combination_id": combination.id})],
    })
    guest = env["res.partner"].create({"name": f"Guest {n}", "email": f"guest{n}@example.com"})
    booking = env["resource.booking"].create({"type_id": rbt.id, "partner_ids": [Command.set(guest.ids)]})
    rng = random.Random(19 + n)
    starts, stops = [], []
    for _ in range(n):
        # On the half-hour grid: resource_booking starts slots where free time starts,
        # Book Me on the clock's grid; aligned events let both find the same slots.
        start = day0 + timedelta(minutes=30 * rng.randrange(90 * 48))
        starts.append(start)
        stops.append(start + timedelta(minutes=rng.choice((30, 60, 90))))
    if n:
        env.cr.execute('''
            INSERT INTO calendar_event (name, start, stop, allday, duration, user_id, show_as, active,
                                        create_uid, write_uid, create_date, write_date)
            SELECT 'Busy', s, e, false, extract(epoch FROM e - s) / 3600, %s, 'busy', true,
                   1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM unnest(%s::timestamp[], %s::timestamp[]) AS t(s, e)
            RETURNING id''', [user.id, starts, stops])
        ids = [r[0] for r in env.cr.fetchall()]
        env.cr.execute('''
            INSERT INTO calendar_attendee (event_id, partner_id, state, common_name, bookme_organizer_id)
            SELECT id, %s, 'accepted', %s, %s FROM unnest(%s::int[]) AS id''',
            [user.partner_id.id, user.name, user.id, ids])
        env.cr.execute('''
            INSERT INTO calendar_event_res_partner_rel (calendar_event_id, res_partner_id)
            SELECT id, %s FROM unnest(%s::int[]) AS id''', [user.partner_id.id, ids])
    out["hosts"][n] = {"user": user.id, "type": etype.id, "booking": booking.id}
env.cr.commit()
print("RESULT " + json.dumps(out))
"""

TIME = r"""
import json, statistics, time
from datetime import datetime, timedelta, timezone
UTC = timezone.utc
data = json.loads(DATA)
day0 = datetime.fromisoformat(data["day0"]).replace(tzinfo=UTC)
start, end = day0 + timedelta(days=30), day0 + timedelta(days=61)
Sched = env["bookme.scheduler"]
result = {}
for n, ids in data["hosts"].items():
    etype = env["bookme.event.type"].browse(ids["type"])
    booking = env["resource.booking"].browse(ids["booking"])
    oca_start = start.astimezone(__import__("pytz").timezone("Europe/Oslo"))
    oca_end = end.astimezone(__import__("pytz").timezone("Europe/Oslo"))
    def run_oca():
        return booking._get_available_slots(oca_start, oca_end)
    def run_ours():
        return Sched._slots(etype, start, end)
    times = {"oca": [], "bookme": []}
    for _ in range(2):  # warm-up: registry caches, zone data, code paths
        run_oca(); run_ours()
    for _ in range(RUNS):
        for name, fn in (("oca", run_oca), ("bookme", run_ours)):
            env.invalidate_all()
            t0 = time.perf_counter()
            out = fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    oca = sorted(s.astimezone(UTC).isoformat() for day in run_oca().values() for s in day
                 if start <= s.astimezone(UTC) < end)
    ours = sorted(s.start.isoformat() for s in run_ours())
    env.invalidate_all()
    t0 = time.perf_counter()
    inputs = Sched._engine_inputs(etype, start, end)
    gather = (time.perf_counter() - t0) * 1000
    result[n] = {"oca": statistics.median(times["oca"]), "bookme": statistics.median(times["bookme"]),
                 "same": oca == ours, "slots": len(ours), "oca_slots": len(oca),
                 "busy": len(inputs["busy"]) + len(inputs["busy_spans"]), "gather": gather}
print("RESULT " + json.dumps(result))
"""


def fetch_oca():
    """The two OCA addons, unpacked into .local/oca/addons; cssselect (their Python
    dependency) into .local/oca/pylib. Downloads only what is missing."""
    addons = OCA / "addons"
    if not (addons / "resource_booking").is_dir() or not (addons / "web_calendar_slot_duration").is_dir():
        OCA.mkdir(parents=True, exist_ok=True)
        common.log("downloading OCA resource_booking 19.0 from PyPI into .local/oca ...")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "-d",
                str(OCA / "wheels"),
                *PACKAGES,
            ],
            check=True,
        )
        for wheel in (OCA / "wheels").glob("odoo_addon_*.whl"):
            with zipfile.ZipFile(wheel) as zf:
                zf.extractall(OCA / "unpacked")
        addons.mkdir(exist_ok=True)
        for name in ("resource_booking", "web_calendar_slot_duration"):
            target = addons / name
            if not target.exists():
                target.symlink_to(OCA / "unpacked" / "odoo" / "addons" / name)
    pylib = OCA / "pylib"
    if not (pylib / "cssselect").is_dir():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(pylib), "cssselect"],
            check=True,
        )
    return addons, pylib


def latency(url, runs, method="get", **kw):
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = getattr(requests, method)(url, timeout=60, **kw)
        out.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, (url, resp.status_code, resp.text[:200])
    return out


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--http-runs", type=int, default=60)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    t_start = time.monotonic()
    addons, pylib = fetch_oca()
    # Every Odoo process of this run (install, shell, server) sees the OCA addons.
    os.environ["BOOKME_EXTRA_ADDONS"] = str(addons)
    os.environ["PYTHONPATH"] = f"{pylib}:{os.environ.get('PYTHONPATH', '')}"
    common.setup()
    common.create_db(DB, "crm_bookme,resource_booking")
    data = common.shell(DB, f"SIZES = {SIZES!r}\n" + BUILD, log_name="bench-oca-build.log")
    # What autovacuum does after a bulk insert, before anyone asks (both addons benefit).
    common.sql(DB, "VACUUM ANALYZE")
    res = common.shell(
        DB, f"DATA = {json.dumps(data)!r}\nRUNS = {args.runs}\n" + TIME, log_name="bench-oca-time.log"
    )
    print(f"\n31-day slot computation, ORM cache cleared before each run, median of {args.runs}:")
    print(
        f"{'busy events':>12} {'resource_booking':>17} {'Book Me':>9} {'ratio':>7}  same slots"
        f"   (Book Me gathering alone, busy spans left after merging)"
    )
    ok = True
    for n in SIZES:
        r = res[str(n)]
        ratio = r["oca"] / r["bookme"]
        print(
            f"{n:>12,} {r['oca']:>14.1f} ms {r['bookme']:>6.1f} ms {ratio:>6.1f}x  "
            f"{'yes' if r['same'] else 'NO'} ({r['slots']} slots)   ({r['gather']:.1f} ms, {r['busy']})"
        )
        ok &= r["same"]
        if n >= 2000:
            ok &= ratio >= 10
    for who in ("oca", "bookme"):
        growth = res["8000"][who] / res["2000"][who]
        print(
            f"growth from 2,000 to 8,000 events: {'resource_booking' if who == 'oca' else 'Book Me'} "
            f"{growth:.1f}x"
        )

    day0 = date.fromisoformat(data["day0"][:10])
    window = {
        "from": (day0 + timedelta(days=30)).isoformat(),
        "to": (day0 + timedelta(days=60)).isoformat(),
        "tz": "Europe/Oslo",
    }
    # Latency, not throughput: nginx must not meter these sequential requests.
    os.environ["BOOKME_API_RATE"] = "10000"
    with common.ProductionServer(DB, workers=2) as server:
        routes = {
            "/web/health (no database)": lambda: latency(f"{server.url}/web/health", 1),
            "/web/webclient/version_info (database dispatch)": lambda: latency(
                f"{server.url}/web/webclient/version_info",
                1,
                method="post",
                json={"jsonrpc": "2.0", "method": "call", "params": {}},
            ),
        }
        for n in (2000, 8000):
            routes[f"GET slots, 31 days, N={n:,}"] = lambda n=n: latency(
                f"{server.url}/book/api/v1/bench-{n}/call/slots", 1, params=window
            )
        for fn in routes.values():  # warm every worker
            for _ in range(6):
                fn()
        times = {name: [] for name in routes}
        for _ in range(args.http_runs):
            for name, fn in routes.items():
                times[name] += fn()
    print(f"\nHTTP latency through nginx, {args.http_runs} interleaved requests each:")
    for name, values in times.items():
        print(f"  {name:<52} median {statistics.median(values):6.1f} ms   p95 {p95(values):6.1f} ms")
    trivial = statistics.median(times["/web/webclient/version_info (database dispatch)"])
    health = statistics.median(times["/web/health (no database)"])
    for n in (2000, 8000):
        slots = statistics.median(times[f"GET slots, 31 days, N={n:,}"])
        print(f"  slots N={n:,} / version_info: {slots / trivial:.1f}x;  / health: {slots / health:.1f}x")
    growth = statistics.median(times["GET slots, 31 days, N=8,000"]) / statistics.median(
        times["GET slots, 31 days, N=2,000"]
    )
    print(f"  growth of the slots endpoint from 2,000 to 8,000 events: {growth:.2f}x")
    print(
        f"\ntotal time {time.monotonic() - t_start:.0f} s; "
        f"{'ALL CHECKS HOLD' if ok else 'SOME CHECKS FAILED'}"
    )
    if not args.keep_db:
        common.sql("postgres", f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
