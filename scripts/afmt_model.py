#!/usr/bin/env python3
"""Compressed-A stream formats on the GraphChallenge layer-1 tiles (issue 8, energy goal):
beats of the A section per job for stream format 1 and for the candidate formats, and the
energy ratio each would give.  Not part of the build: it evaluated the formats before one was
built (docs/benchmarks.md, "Energy"); stream format 2, built, is the gap format with the
contract's gap width (sg_stream_fmt: max(1, min(KW, KW // 2 + 1)) = 6 bits at KMAX 1024),
the counts in their own header beats and the entries packed across the entry beats.

A = W^T of n1024-l1.mtx, 128 tiles of 8 rows, K = 1024, int8, 64-bit input stream.
Energy: format 1's SPARSE and DENSE totals of `make bench` (arguments), changing only the A
beats, each priced 64 bits x 20.3 pJ per job over the 1024 jobs (docs/benchmarks.md).

Usage: scripts/afmt_model.py [--data ../shared/data] [--sparse-uj 183.0] [--dense-uj 1471.2]
"""
import argparse
import collections
import os
import sys

R, K, W, SW, DW, CW = 8, 1024, 32, 64, 8, 11  # CW: a per-row count 0..K
KW = 10
GW2 = max(1, min(KW, KW // 2 + 1))  # stream format 2's gap width (contract/sg_contract.c)
JOBS, PJ_BIT = 1024, 20.3


def gc_tiles(data):
    path = os.path.join(data, "graphchallenge", "n1024-l1.mtx")
    rows = collections.defaultdict(list)
    try:
        with open(path) as fh:
            for line in fh:
                if not line.startswith("%"):
                    break  # the size line
            for n, line in enumerate(fh, 1):
                f = line.split()
                if len(f) < 2:
                    raise ValueError("line %d after the size line: no row and column" % n)
                i, j = int(f[0]), int(f[1])
                rows[j - 1].append(i - 1)  # A = W^T: row j of A holds column j of W
    except (OSError, ValueError) as ex:
        print("afmt_model: %s: %s" % (path, ex), file=sys.stderr)
        sys.exit(2)
    return [[sorted(rows[t * R + r]) for r in range(R)] for t in range(K // R)]


def cdiv(a, b):
    return -(-a // b)


def gap_entries(row, gw):
    """Entries of one row as {gap, value}: k = previous k + 1 + gap; a longer gap than
    2^gw - 1 takes zero-valued entries of gap 2^gw - 1."""
    n, prev = 0, -1
    for k in row:
        g = k - prev - 1
        while g >= (1 << gw):
            n, g = n + 1, g - (1 << gw)
        n, prev = n + 1, k
    return n


def formats():
    return [
        ("format 1: 21-bit {row, k, value}, 3 per beat, header beat",
         lambda t: 1 + cdiv(sum(map(len, t)), SW // 21)),
        ("per-row counts + 18-bit {k, value} across beats",
         lambda t: cdiv(R * CW + 18 * sum(map(len, t)), SW)),
        ("occupancy bitmap + 13-bit {offset, value} across beats (ambiguous, see docs)",
         lambda t: cdiv(R * (K // W) + 13 * sum(map(len, t)), SW)),
        ("occupancy bitmap + 14-bit {first-in-window, offset, value} across beats",
         lambda t: cdiv(R * (K // W) + 14 * sum(map(len, t)), SW)),
    ] + [("per-row counts + %d-bit {gap %d bits, value} across beats" % (g + DW, g),
          (lambda gw: lambda t: cdiv(R * CW + (gw + DW) * sum(gap_entries(r, gw) for r in t), SW))(g))
         for g in (5, 6, 7)] + [
        ("format 2 (built): counts in %d header beats + %d-bit {gap, value} entries across beats"
         % (cdiv(R * CW, SW), GW2 + DW),
         lambda t: cdiv(R * CW, SW) + cdiv((GW2 + DW) * sum(gap_entries(r, GW2) for r in t), SW))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--sparse-uj", type=float, default=183.0)
    ap.add_argument("--dense-uj", type=float, default=1471.2)
    a = ap.parse_args()
    tiles = gc_tiles(a.data)
    base = None
    uj_beat = SW * PJ_BIT * JOBS * 1e-6
    print("%-80s %8s %9s %7s" % ("A section format", "beats", "SPARSE uJ", "ratio"))
    for name, f in formats():
        beats = sum(f(t) for t in tiles) / len(tiles)
        base = beats if base is None else base
        uj = a.sparse_uj + (beats - base) * uj_beat
        print("%-80s %8.2f %9.1f %7.4f" % (name, beats, uj, uj / a.dense_uj))
    return 0


if __name__ == "__main__":
    sys.exit(main())
