"""Benchmark of engine.compute_slots (not a test).

A host in Europe/Oslo with a weekly plan (Mon-Fri 08:00-12:00 and 13:00-17:00) and N busy
events (N = 500, 2,000, 8,000) spread over 90 days; 30-minute slots every 15 minutes,
buffers 10/10, "windows" mode; a 31-day window in the middle.  Prints the median of 15
runs per N, the growth ratio 8,000 / 2,000, and a naive O(slots x busy) reference measured
in the same run for N = 2,000 (it must return the same slots).

Run: .venv/bin/python bench/bench_slots.py
"""

import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import Availability, Busy, Rules, WeeklyInterval, compute_slots

UTC = timezone.utc
TZ = "Europe/Oslo"
PLAN = tuple(WeeklyInterval(d, a, b) for d in range(5) for a, b in ((8.0, 12.0), (13.0, 17.0)))
AVAILABILITY = Availability(TZ, PLAN)
RULES = Rules(duration=30, increment=15, buffer_before=10, buffer_after=10)
DAY0 = datetime(2026, 2, 2, tzinfo=UTC)
WINDOW = (DAY0 + timedelta(days=30), DAY0 + timedelta(days=61))
NOW = DAY0
RUNS = 15


def make_busy(n: int, seed: int = 19) -> list[Busy]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        start = DAY0 + timedelta(minutes=5 * rng.randrange(90 * 288))
        length = timedelta(minutes=rng.choice((15, 30, 45, 60, 90)))
        buf = rng.choice((0, 0, 5, 15))
        out.append(Busy(start, start + length, buf, buf))
    rng.shuffle(out)
    return out


def ours(busy):
    return compute_slots(
        availability=AVAILABILITY,
        rules=RULES,
        window_start=WINDOW[0],
        window_end=WINDOW[1],
        now=NOW,
        busy=busy,
    )


def naive(busy):
    """Reference: every candidate start tested against every busy item."""
    zone = ZoneInfo(TZ)
    dur = timedelta(minutes=RULES.duration)
    out = []
    day = WINDOW[0].astimezone(zone).date() - timedelta(days=1)
    while day <= WINDOW[1].astimezone(zone).date():
        for w in PLAN:
            if w.weekday != day.weekday():
                continue
            minute = round(w.hour_from * 60)
            while minute + RULES.duration <= round(w.hour_to * 60):
                local = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=minute)
                start = local.astimezone(UTC)
                end = start + dur
                minute += RULES.increment
                if not (WINDOW[0] <= start < WINDOW[1]) or start < NOW:
                    continue
                ok = True
                for b in busy:
                    after = timedelta(minutes=max(RULES.buffer_after, b.buffer_before))
                    before = timedelta(minutes=max(b.buffer_after, RULES.buffer_before))
                    if not (end + after <= b.start or start >= b.end + before):
                        ok = False
                        break
                if ok:
                    out.append((start, end))
        day += timedelta(days=1)
    return out


def median_ms(fn, arg, runs):
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn(arg)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main():
    ours(make_busy(10))  # warm the zone caches once, as a long-running server would be
    medians = {}
    for n in (500, 2000, 8000):
        busy = make_busy(n)
        ms, slots = median_ms(ours, busy, RUNS)
        medians[n] = ms
        print(f"N={n} busy events: median {ms:.2f} ms ({RUNS} runs), {len(slots)} slots")
    print(f"ratio N=8000 / N=2000: {medians[8000] / medians[2000]:.1f}x")
    busy = make_busy(2000)
    ms, ref = median_ms(naive, busy, 5)
    mine = [(s.start, s.end) for s in ours(busy)]
    assert ref == mine, "naive reference and engine disagree"
    print(
        f"baseline naive O(slots x busy) N=2000: median {ms:.2f} ms (5 runs), {len(ref)} slots; "
        f"engine is {ms / medians[2000]:.0f}x faster"
    )


if __name__ == "__main__":
    main()
