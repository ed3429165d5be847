"""Half-open integer intervals ``(start, end)`` in epoch seconds.

Lists are *normalised* when sorted by start, non-overlapping and non-touching.  All
operations are sweeps over sorted lists (``O(n log n)`` at most), never pairwise.

Zero-length intervals matter as **cuts**: subtracting ``(p, p)`` splits a piece at ``p``
without removing time, so that nothing can straddle a zero-length busy event.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

Interval = tuple[int, int]


def normalize(intervals: Iterable[Interval], keep_empty: bool = False) -> list[Interval]:
    """Sort and merge overlapping or touching intervals.

    Empty intervals are dropped unless ``keep_empty`` (then they survive as points, or are
    absorbed by an interval that contains or touches them).
    """
    items = sorted(iv for iv in intervals if iv[1] > iv[0] or (keep_empty and iv[1] == iv[0]))
    out: list[Interval] = []
    for a, b in items:
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def subtract(base: Iterable[Interval], cuts: list[Interval]) -> list[Interval]:
    """``base`` minus ``cuts``.

    ``cuts`` must be normalised (may contain zero-length points, see module docstring).
    ``base`` need not be normalised: each of its intervals is cut independently, so
    pieces of different base intervals are never merged.  Pieces come out in the order of
    ``base``.
    """
    ends = [c[1] for c in cuts]
    n = len(cuts)
    out: list[Interval] = []
    for a, b in base:
        if b <= a:
            continue
        cur = a
        j = bisect.bisect_left(ends, a)  # first cut ending at or after a
        while j < n and cuts[j][0] < b:
            c, d = cuts[j]
            if c > cur:
                out.append((cur, c))
            if d > cur:
                cur = d
            j += 1
        if cur < b:
            out.append((cur, b))
    return out


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Intersection of two normalised lists."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def total(intervals: Iterable[Interval]) -> int:
    """Summed length."""
    return sum(b - a for a, b in intervals)


def grid(first: int, last: int, anchor: int, step: int) -> list[int]:
    """Points ``anchor + k*step`` (k integer) in ``[first, last]``."""
    if last < first:
        return []
    k = -((anchor - first) // step)  # ceil((first - anchor) / step)
    start = anchor + k * step
    return list(range(start, last + 1, step))
