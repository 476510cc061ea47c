#!/usr/bin/env python3
"""Design-space model of "one copy of B" (issue 8, stage 3): SPARSE issue cycles of one job
when B lives once in a wide memory read one window (W rows of B) per cycle and broadcast to
per-row window buffers D windows deep.  Not part of the build: it evaluates the schedule
before it is built (docs/architecture.md, "One copy of B: evaluated design").

Schedule modelled, cycle by cycle, t = 0 being the first issue cycle of the run:
- fetcher: window f is fetched at cycle t when every running row that needs it has room
  (policy "occ": a row captures only windows it has non-zeros in, at most D live ones; the
  fetcher skips windows no row needs) or when every running row's head window h_r satisfies
  f < h_r + D (policy "seq": every window is fetched in order and kept by every row); the
  rows' state it looks at is the previous cycle's (registered).  A fetched window is usable
  LAT cycles later (LAT = 2: memory read register + row buffer write; LAT = 0: the first
  fetches overlap the two DECIDE cycles).
- row r issues its head entry (one per cycle) when the head's window is usable in its buffer.
Output: issue cycles n (first issue cycle to last, inclusive; the job's COMPUTE would be
n + C + 4) against the bound MAX_ROW_NNZ + C, on random A (8 rows) and on the GraphChallenge
layer-1 tiles (A = W^T, 128 tiles of 8 rows, K = 1024).

Usage: scripts/bwin_model.py [--data ../shared/data] [--seeds 6]
"""
import argparse
import collections
import os
import random
import sys

INF = 1 << 30


def issue_cycles(rows, k_len, w, d, lat, policy):
    """Issue cycles of one job: rows = per-row sorted lists of the k of A's non-zeros."""
    nw = (k_len + w - 1) // w
    nr = len(rows)
    occ = [set(k // w for k in r) for r in rows]
    union = set().union(*occ) if rows else set()
    ptr = [0] * nr
    cap = [[] for _ in range(nr)]  # (window, first usable cycle) per row
    hw_prev = [0] * nr

    def next_f(f):
        if policy == "seq":
            return f + 1
        g = f + 1
        while g < nw and g not in union:
            g += 1
        return g

    f = 0 if (policy == "seq" or 0 in union) else next_f(0)
    t, last = 0, -1
    while any(ptr[i] < len(rows[i]) for i in range(nr)):
        if f < nw:
            if policy == "seq":
                ok = all(f < h + d for h in hw_prev)
                takers = [i for i in range(nr)]
            else:
                takers = [i for i in range(nr) if f in occ[i]]
                ok = all(sum(1 for (wi, _) in cap[i] if wi >= hw_prev[i]) < d for i in takers)
            if ok:
                for i in takers:
                    cap[i].append((f, t + lat))
                f = next_f(f)
        for i in range(nr):
            if ptr[i] < len(rows[i]):
                hw = rows[i][ptr[i]] // w
                hw_prev[i] = hw
                if any(wi == hw and u <= t for (wi, u) in cap[i]):
                    ptr[i] += 1
                    last = t
            else:
                hw_prev[i] = INF
        t += 1
    return last + 1


def gc_tiles(data):
    path = os.path.join(data, "graphchallenge", "n1024-l1.mtx")
    rows = collections.defaultdict(list)
    with open(path) as fh:
        for line in fh:
            if not line.startswith("%"):
                break  # the size line
        for line in fh:
            i, j = line.split()[:2]
            rows[int(j) - 1].append(int(i) - 1)  # A = W^T: row j of A holds column j of W
    return [[sorted(rows[t * 8 + r]) for r in range(8)] for t in range(128)]


def rand_rows(k_len, dens, seed):
    rng = random.Random(seed)
    return [[k for k in range(k_len) if rng.random() < dens] for _ in range(8)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--seeds", type=int, default=6)
    a = ap.parse_args()
    tiles = gc_tiles(a.data)
    cols = 8
    print("policy W D LAT | GC issue cycles/job (MAX_ROW_NNZ 32) | worst (n+C+4)/(MAX+C) at K=512, "
          "d=0.05 0.1 0.2 0.5 | K=4096 d=0.1 | window-buffer bits (8 rows, 8x8-bit columns)")
    for policy, w, d, lat in (("seq", 16, 2, 2), ("seq", 16, 4, 2), ("occ", 16, 4, 2), ("occ", 32, 4, 2),
                              ("occ", 32, 8, 2), ("occ", 32, 4, 0), ("occ", 32, 6, 0), ("occ", 16, 8, 0)):
        g = sum(issue_cycles(tl, 1024, w, d, lat, policy) for tl in tiles) / len(tiles)
        worst = []
        for dens in (0.05, 0.1, 0.2, 0.5):
            r = 0.0
            for s in range(1, a.seeds + 1):
                rows = rand_rows(512, dens, s)
                m = max(len(x) for x in rows)
                r = max(r, (issue_cycles(rows, 512, w, d, lat, policy) + cols + 4) / (m + cols))
            worst.append(round(r, 3))
        rows = rand_rows(4096, 0.1, 1)
        m = max(len(x) for x in rows)
        r4 = round((issue_cycles(rows, 4096, w, d, lat, policy) + cols + 4) / (m + cols), 3)
        print(f"{policy} {w} {d} {lat} | {g:.2f} | {worst} | {r4} | {8 * d * w * cols * 8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
