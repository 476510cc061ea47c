#!/usr/bin/env python3
"""Numbers in README.md and docs/ that a command measures live between markers

    <!-- sg:begin NAME -->...<!-- sg:end NAME -->        (on one line, or around lines)

and are written there by this script from the command's JSON/text reports, never by hand.

  scripts/docs_sync.py write [GROUP...]   rewrite the blocks (of GROUPs, default all) whose
                                          reports exist; list the ones skipped; problems are
                                          printed, not an exit status (make bench, make area
                                          and make synth succeed; `check` fails on them)
  scripts/docs_sync.py check [--since EPOCH] [--require GROUP]...
                                          exit 1 when a block differs from what `write` would
                                          put there (or a marker is broken, unknown, missing);
                                          --since: compare only blocks whose reports were
                                          written at or after EPOCH (make verify passes its
                                          start time); --require: a block of GROUP without a
                                          report fails instead of being skipped; relative
                                          links of the pages must point at files
  scripts/docs_sync.py list               every block: group, page, report it is made from

Groups and the command that refreshes them (and calls `write GROUP`):
  verify   reports make verify itself produces: iCE40 UP5K place and route of ice40-tiny,
           7-series mapping of artix7, generic synthesis of the default variant, port lists
           of the presets (make verify re-runs these and checks the pages)
  synth    other synthesis reports (make synth, e.g. the HX8K part)
  area     make area (build/area)
  bench    make bench (build/bench)
  run      volatile facts of the last make verify (seed, time): written by `make docs`,
           checked for presence only
A block is "volatile" when its numbers change from run to run (wall times): only a full
`write` (make docs) rewrites it, and `check` only requires it to be present. Standard library only.
"""
import glob
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in scripts/synth
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "synth"))
import sgsynth  # noqa: E402  (synth_name: where a variant's synthesis reports live)

PAGES = ["README.md"] + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))
MARK = re.compile(r"<!-- sg:begin ([a-z0-9_.-]+) -->(.*?)<!-- sg:end ([a-z0-9_.-]+) -->", re.S)
REFRESH = {"verify": "make verify, then make docs", "synth": "make synth ... (see the block), or make docs",
           "area": "make area", "bench": "make bench", "run": "make docs (after make verify)"}


class Missing(Exception):
    """A report a block is made from does not exist (yet)."""


def rel(p):
    return os.path.relpath(p, ROOT)


def load(path):
    full = os.path.join(ROOT, path)
    if not os.path.exists(full):
        raise Missing(path)
    with open(full) as f:
        return json.load(f) if path.endswith(".json") else f.read()


# ------------------------------------------------------------------ where the reports are
def preset_report(preset, fname):
    """Newest synthesis report FNAME of a variant generated from PRESET, in any report folder
    under build/synth (make verify writes build/variants/<v>/out's, make synth any folder's)."""
    best = None
    for p in glob.glob(os.path.join(ROOT, "build", "synth", "*", fname)):
        try:
            r = json.load(open(p))
        except ValueError:
            continue
        if r.get("preset") == preset and (best is None or os.path.getmtime(p) > os.path.getmtime(best)):
            best = p
    if best is None:
        raise Missing("build/synth/*/%s of a --preset %s folder" % (fname, preset))
    return rel(best)


def variant_report(vdir, fname):
    return "build/synth/%s/%s" % (sgsynth.synth_name(os.path.join(ROOT, vdir)), fname)


UP5K = lambda: preset_report("ice40-tiny", "ice40_up5k_sg48.json")
HX8K = lambda: preset_report("ice40-tiny", "ice40_hx8k_ct256.json")
XC7 = lambda: preset_report("artix7", "xc7.json")
GENERIC_DEFAULT = lambda: preset_report("default", "generic.json")
PORT_PRESETS = ["ice40-tiny", "artix7", "asic16"]


def preset_manifest(preset):
    """Generate PRESET afresh (milliseconds) into build/docs/presets/PRESET; its manifest.json."""
    import shutil
    import subprocess
    gen = os.path.join(ROOT, "build", "bin", "sparsegen")
    if not os.access(gen, os.X_OK):
        raise Missing("build/bin/sparsegen (run make)")
    out = os.path.join(ROOT, "build", "docs", "presets", preset)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    r = subprocess.run([gen, "--preset", preset, "--out", out], capture_output=True, text=True)
    if r.returncode != 0:
        raise Missing("generated --preset %s: %s" % (preset, r.stderr.strip()[-200:]))
    return rel(os.path.join(out, "manifest.json"))


# ------------------------------------------------------------------ renderers
def pct(u, a):
    return "%d%%" % round(100.0 * u / a) if a else "-"


def ice40_row(r):
    """| fits | LCs | RAM | DSP | fmax (nextpnr / icetime) |, the cells after the part's."""
    u = r.get("utilization", {})
    lc, ram, dsp = (u.get(k, {}) for k in ("ICESTORM_LC", "ICESTORM_RAM", "ICESTORM_DSP"))
    fm = lambda x: "%.1f" % x if x is not None else "n/a"
    return "%s | %s/%s (%s) | %s/%s | %s | %s / %s MHz" % (
        "yes" if r.get("fits") else "no", lc.get("used"), lc.get("available"),
        pct(lc.get("used") or 0, lc.get("available") or 0), ram.get("used"), ram.get("available"),
        "%s/%s" % (dsp.get("used"), dsp.get("available")) if dsp.get("available") else "0 (no DSP)",
        fm(r.get("fmax_mhz")), fm(r.get("fmax_icetime_mhz")))


def fmax_text(r):
    t = "%.1f MHz" % r["fmax_mhz"] if r.get("fmax_mhz") is not None else "no fmax (see the report's notes)"
    if r.get("fmax_icetime_mhz") is not None:
        t += " (icetime %.1f MHz)" % r["fmax_icetime_mhz"]
    return t


def ice40_core(r):
    return ("%d LUT4, %d DFF, %d SB_CARRY, %d SB_RAM40_4K, %d SB_MAC16"
            % (r["core_luts"], r["core_ffs"], r["core_carry"], r["core_brams"], r["core_dsps"]))


def ice40_left(r):
    u = r.get("utilization", {})
    left = lambda k: (u.get(k, {}).get("available") or 0) - (u.get(k, {}).get("used") or 0)
    return "%d LCs, %d block RAMs, %d DSPs, %d SPRAMs" % (
        left("ICESTORM_LC"), left("ICESTORM_RAM"), left("ICESTORM_DSP"), left("ICESTORM_SPRAM"))


def xc7_line(r):
    return ("%d LUT, %d FF, %d CARRY4, %d DSP48E1, %d RAMB18E1 + %d RAMB36E1, %d LUT-RAM cells, "
            "%.1f LUT per PE" % (r["luts"], r["ffs"], r["carry4"], r["dsps"], r["ramb18"], r["ramb36"],
                                 r["lutram_cells"], r["area_per_pe_luts"]))


def dsp_text(up5k, xc7):
    return ("ice40-tiny (2x2) uses %d SB_MAC16, artix7 (8x8) %d DSP48E1"
            % (up5k["core_dsps"], xc7["dsps"]))


def stored_bits(g):
    return ("%s memory bits + %s flip-flops = %s stored bits"
            % (format(g["memory_bits_rtl"], ","), format(g["ffs"], ","),
               format(g["memory_bits_rtl"] + g["ffs"], ",")))


def port_bits(m):
    groups = {"axil": 0, "s_axis": 0, "m_axis": 0, "other": 0}
    for p in m["ports"]:
        n = p["name"]
        k = "axil" if n.startswith("s_axil_") else "s_axis" if n.startswith("s_axis_") else \
            "m_axis" if n.startswith("m_axis_") else "other"
        groups[k] += int(p["width"])
    return groups


def ports_table(mans):
    lines = ["| preset | AXI4-Lite | operand stream | result stream | irq, clk, rst | total |",
             "|---|---|---|---|---|---|"]
    for preset, m in mans:
        g = port_bits(m)
        pr = m["parameters"]
        desc = "%dx%d, stream %s, ACC %s" % (pr["rows"], pr["cols"], pr["stream_width"], pr["acc_width"])
        lines.append("| %s (%s) | %d | %d | %d | %d | %d |" % (preset, desc, g["axil"], g["s_axis"], g["m_axis"],
                                                              g["other"], sum(g.values())))
    return "\n" + "\n".join(lines) + "\n"


def times_table(reps):
    lines = ["| run | wall time | of which Yosys |", "|---|---|---|"]
    for what, r in reps:
        lines.append("| %s | %.0f s | %.0f s |" % (what, r["seconds"], r["yosys_seconds"]))
    return "\n" + "\n".join(lines) + "\n"


def verbatim_code(txt):
    return "\n```\n" + txt.rstrip("\n") + "\n```\n"


def area_logic(area):
    recs = [x for x in area["records"] if x["target"] == "asic"]
    lines = ["| size | sparsity | logic per PE (whole design / PEs) | one PE module, logic | vs plain int8 PE (%s um2) |"
             % format(sgsynth.PE_BASELINE_UM2, ","), "|---|---|---|---|---|"]
    for x in recs:
        raw = x["raw"]
        if raw.get("logic_area_per_pe_um2") is None:
            continue
        pl = raw.get("pe_logic_area_um2")
        lines.append("| %dx%d | %s | %.0f um2 | %s | %s |" % (
            x["rows"], x["cols"], x["sparsity"], raw["logic_area_per_pe_um2"],
            "%.0f um2" % pl if pl is not None else "-",
            "%.2fx" % (pl / sgsynth.PE_BASELINE_UM2) if pl is not None else "-"))
    return "\n" + "\n".join(lines) + "\n"


def energy_nj(r):
    e = r.get("energy_pj")
    e = e.get("total") if isinstance(e, dict) else e
    return "%.1f" % (e / 1000.0) if isinstance(e, (int, float)) else "-"


def bench_end_to_end(recs):
    """DENSE against SPARSE per workload, compute and end to end: the density sweeps at
    d = 0.1 and 0.5 and the first record pair of every other label."""
    recs = recs if isinstance(recs, list) else recs.get("records", [])
    groups = {}
    for r in recs:
        d = r.get("target_density_a")
        if r["label"].startswith("sweep-") and d not in (0.1, 0.5):
            continue
        if r["label"] == "dense-peak":
            continue
        key = (r["label"], d, r.get("m"), r.get("n"), r.get("k"))
        groups.setdefault(key, {}).setdefault(r["mode"], r)
    lines = ["| record | m x n x k | d(A) | DENSE compute / total | SPARSE compute / total | "
             "speedup compute / total | energy DENSE / SPARSE (nJ) |", "|---|---|---|---|---|---|---|"]
    seen = set()
    for key, g in groups.items():
        dn, sp = g.get("dense"), g.get("sparse")
        if not dn or not sp or (key[0] in seen and not key[0].startswith("sweep-")):
            continue
        seen.add(key[0])
        lines.append("| %s | %sx%sx%s | %.3f | %d / %d | %d / %d | %.2fx / %.2fx | %s / %s |" % (
            key[0], key[2], key[3], key[4], sp["density_a"], dn["compute_cycles"], dn["total_cycles"],
            sp["compute_cycles"], sp["total_cycles"], dn["compute_cycles"] / sp["compute_cycles"],
            dn["total_cycles"] / sp["total_cycles"], energy_nj(dn), energy_nj(sp)))
    return "\n" + "\n".join(lines) + "\n"


def bench_phases(recs):
    """LOAD / COMPUTE / DRAIN / TOTAL and the MAC counters of the K = 512, d = 0.1 records of
    the default variant, one row per mode (the worked example of a job's timing)."""
    recs = recs if isinstance(recs, list) else recs.get("records", [])
    rows = [r for r in recs if r["label"] == "sweep-k512" and r.get("target_density_a") == 0.1]
    if not rows:
        raise KeyError("no sweep-k512 record at target density 0.1")
    lines = ["| mode (used) | jobs | LOAD | COMPUTE | DRAIN | TOTAL | MACS_ISSUED | MACS_GATED | MACS_SKIPPED |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| %s (%s) | %s | %d | %d | %d | %d | %d | %d | %d |" % (
            r["mode"].upper(), r["mode_used"], r.get("jobs"), r["load_cycles"], r["compute_cycles"],
            r["drain_cycles"], r["total_cycles"], r["macs_issued"], r["macs_gated"], r["macs_skipped"]))
    return "\n" + "\n".join(lines) + "\n"


def bench_headline(recs):
    """One line per GraphChallenge record pair: compute and end-to-end speedup, energy."""
    recs = recs if isinstance(recs, list) else recs.get("records", [])
    pairs = {}
    for r in recs:
        if "graphchallenge" in r["label"]:
            pairs.setdefault((r["label"], r.get("m"), r.get("n"), r.get("k")), {}).setdefault(r["mode"], r)
    out = []
    for (label, m, n, k), g in pairs.items():
        dn, sp = g.get("dense"), g.get("sparse")
        if dn and sp:
            out.append("- `%s` (%sx%sx%s): SPARSE takes %.2fx fewer compute cycles than DENSE, %.2fx "
                       "fewer end to end (%d against %d cycles); energy %s against %s nJ"
                       % (label, m, n, k, dn["compute_cycles"] / sp["compute_cycles"],
                          dn["total_cycles"] / sp["total_cycles"], sp["total_cycles"], dn["total_cycles"],
                          energy_nj(sp), energy_nj(dn)))
    if not out:
        raise KeyError("no graphchallenge record in DENSE and SPARSE")
    return "\n" + "\n".join(out) + "\n"


def verify_run(v):
    steps = v.get("steps", [])
    return ("`make verify` (PROFILE=%s, seed %s, %s; `build/reports/verify.json`): %d steps, "
            "**%d passed, %d failed**, %d s on the shared 2-core machine"
            % (v["profile"], v["seed"], "; ".join(("gcc " + t) if k == "gcc" else t for k, t in v.get("tools", {}).items()),
               len(steps), v["passed"], v["failed"], v["seconds"]))


# NAME: (group, [report getters], render(*reports), volatile)
BLOCKS = {
    "ice40-up5k-row": ("verify", [UP5K], ice40_row, False),
    "ice40-up5k-fmax": ("verify", [UP5K], fmax_text, False),
    "ice40-up5k-core": ("verify", [UP5K], ice40_core, False),
    "ice40-up5k-left": ("verify", [UP5K], ice40_left, False),
    "xc7-artix7": ("verify", [XC7], xc7_line, False),
    "dsp-count": ("verify", [UP5K, XC7], dsp_text, False),
    "stored-bits-default": ("verify", [GENERIC_DEFAULT], stored_bits, False),
    "ports-table": ("verify", [lambda p=p: preset_manifest(p) for p in PORT_PRESETS],
                    lambda *ms: ports_table(list(zip(PORT_PRESETS, ms))), False),
    "ice40-hx8k-row": ("synth", [HX8K], ice40_row, False),
    "ice40-hx8k-fmax": ("synth", [HX8K], fmax_text, False),
    "synth-times": ("verify", [UP5K, XC7, GENERIC_DEFAULT],
                    lambda a, b, c: times_table([("`scripts/synth.sh <ice40-tiny> ice40` (up5k/sg48)", a),
                                                 ("`scripts/synth.sh <artix7> xc7`", b),
                                                 ("`scripts/synth.sh <default> generic`", c)]), True),
    "area-table": ("area", [lambda: "build/area/area.txt"], verbatim_code, False),
    "area-logic": ("area", [lambda: "build/area/area.json"], area_logic, False),
    "bench-summary": ("bench", [lambda: "build/bench/summary.txt"], verbatim_code, False),
    "bench-table": ("bench", [lambda: "build/bench/bench.txt"], verbatim_code, False),
    "bench-end-to-end": ("bench", [lambda: "build/bench/bench.json"], bench_end_to_end, False),
    "bench-headline": ("bench", [lambda: "build/bench/bench.json"], bench_headline, False),
    "bench-phases": ("bench", [lambda: "build/bench/bench.json"], bench_phases, False),
    "verify-run": ("run", [lambda: "build/reports/verify.json"], verify_run, True),
}


# ------------------------------------------------------------------ engine
class Unrenderable(Exception):
    """A report exists but does not have what the block needs (a renamed field, ...)."""


def render(name):
    """(text, [report paths]); raises Missing (no report) or Unrenderable."""
    group, getters, fn, _ = BLOCKS[name]
    paths = [g() for g in getters]
    data = [load(p) for p in paths]
    try:
        return fn(*data), paths
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, AttributeError) as ex:
        raise Unrenderable("block %s cannot be made from %s: %s: %s (fix its renderer in "
                           "scripts/docs_sync.py)" % (name, ", ".join(paths), type(ex).__name__, ex))


def scan(page):
    txt = open(os.path.join(ROOT, page)).read()
    found, errs = [], []
    for m in MARK.finditer(txt):
        line = txt.count("\n", 0, m.start()) + 1
        if m.group(1) != m.group(3):
            errs.append("%s:%d: sg:begin %s closed by sg:end %s" % (page, line, m.group(1), m.group(3)))
        elif m.group(1) not in BLOCKS:
            errs.append("%s:%d: unknown block '%s' (known: scripts/docs_sync.py list)" % (page, line, m.group(1)))
        else:
            found.append((m.group(1), m.start(2), m.end(2), line))
    nb = len(re.findall(r"<!-- sg:begin ", txt))
    if nb != len(re.findall(r"<!-- sg:end ", txt)) or nb != len(list(MARK.finditer(txt))):
        errs.append("%s: unbalanced sg:begin/sg:end markers" % page)
    return txt, found, errs


def all_blocks():
    pages, errs, where = {}, [], {}
    for pg in PAGES:
        txt, found, e = scan(pg)
        pages[pg] = (txt, found)
        errs += e
        for name, _, _, line in found:
            where.setdefault(name, []).append("%s:%d" % (pg, line))
    for name in BLOCKS:
        if name not in where:
            errs.append("block '%s' is in no page (README.md, docs/*.md)" % name)
    return pages, errs


def cmd_write(groups):
    pages, errs = all_blocks()
    for e in errs:
        print("docs_sync: " + e, file=sys.stderr)
    wrote, skipped = 0, []
    for pg, (txt, found) in pages.items():
        out, pos, changed = [], 0, False
        for name, s, e, line in found:
            out.append(txt[pos:s])
            new = txt[s:e]
            # volatile blocks (wall times) only on a full `write`, so that make synth and
            # make bench do not churn the pages with new timings on every run
            if not groups or (BLOCKS[name][0] in groups and not BLOCKS[name][3]):
                try:
                    new, _ = render(name)
                except Missing as ex:
                    skipped.append("%s (%s:%d): no %s" % (name, pg, line, ex))
                except Unrenderable as ex:
                    errs.append("%s:%d: %s" % (pg, line, ex))
                    print("docs_sync: " + errs[-1], file=sys.stderr)
            changed |= new != txt[s:e]
            out.append(new)
            pos = e
        out.append(txt[pos:])
        if changed:
            with open(os.path.join(ROOT, pg), "w") as f:
                f.write("".join(out))
            wrote += 1
            print("docs_sync: updated %s" % pg)
    for s in skipped:
        print("docs_sync: not refreshed: " + s)
    print("docs_sync: %d page(s) changed" % wrote)
    if errs:  # the measuring command itself succeeded: its run is not failed for the pages
        print("docs_sync: %d problem(s) above: `make docs-check` and the docs step of make verify "
              "fail until they are fixed" % len(errs), file=sys.stderr)
    return 0


LINK = re.compile(r"\]\(([^)\s]+)\)")


def broken_links(pages):
    """Relative links of the pages whose file does not exist (anchors not checked)."""
    errs = []
    for pg, (txt, _) in pages.items():
        for m in LINK.finditer(txt):
            target = m.group(1).split("#")[0]
            if not target or re.match(r"^[a-z]+:", target):
                continue
            if not os.path.exists(os.path.join(ROOT, os.path.dirname(pg), target)):
                errs.append("%s:%d: link to %s: no such file" % (pg, txt.count("\n", 0, m.start()) + 1, target))
    return errs


def cmd_check(since, require):
    pages, errs = all_blocks()
    errs += broken_links(pages)
    checked, skipped = 0, []
    for pg, (txt, found) in pages.items():
        for name, s, e, line in found:
            group, _, _, volatile = BLOCKS[name]
            if volatile:
                continue
            try:
                want, paths = render(name)
            except Missing as ex:
                (errs if group in require else skipped).append(
                    "%s:%d: block %s: no %s (refresh: %s)" % (pg, line, name, ex, REFRESH[group]))
                continue
            except Unrenderable as ex:
                errs.append("%s:%d: %s" % (pg, line, ex))
                continue
            old = [p for p in paths if since is not None and os.path.getmtime(os.path.join(ROOT, p)) < since]
            if old:
                (errs if group in require else skipped).append(
                    "%s:%d: block %s: %s is older than this run" % (pg, line, name, old[0]))
                continue
            checked += 1
            if txt[s:e] != want:
                errs.append("%s:%d: block %s is stale: the page says %r, %s gives %r; refresh with: %s "
                            "(or scripts/docs_sync.py write %s) and commit the page"
                            % (pg, line, name, txt[s:e].strip()[:300], ", ".join(paths), want.strip()[:300],
                               REFRESH[group], group))
    for e in errs:
        print("docs_sync: FAIL " + e)
    for s in skipped:
        print("docs_sync: not checked: " + s)
    print("docs_sync: %d blocks checked, %d stale or broken, %d not checked" % (checked, len(errs), len(skipped)))
    return 1 if errs else 0


def cmd_list():
    pages, errs = all_blocks()
    for name, (group, getters, _, volatile) in BLOCKS.items():
        where = ["%s:%d" % (pg, line) for pg, (_, f) in pages.items() for n, _, _, line in f if n == name]
        try:
            src = ", ".join(g() for g in getters)
        except Missing as ex:
            src = "missing: %s" % ex
        print("%-22s %-7s %s%s  <- %s" % (name, group, " ".join(where) or "(no page)",
                                         " (volatile)" if volatile else "", src))
    for e in errs:
        print("docs_sync: " + e)
    return 1 if errs else 0


def main(argv):
    if not argv or argv[0] not in ("write", "check", "list"):
        sys.stderr.write(__doc__)
        return 2
    if argv[0] == "write":
        bad = [g for g in argv[1:] if g not in REFRESH]
        if bad:
            sys.stderr.write("docs_sync: unknown group %s (%s)\n" % (bad[0], ", ".join(REFRESH)))
            return 2
        return cmd_write(set(argv[1:]))
    if argv[0] == "list":
        return cmd_list()
    since, require, i = None, set(), 1
    while i < len(argv):
        if argv[i] == "--since" and i + 1 < len(argv):
            since = float(argv[i + 1])
        elif argv[i] == "--require" and i + 1 < len(argv) and argv[i + 1] in REFRESH:
            require.add(argv[i + 1])
        else:
            sys.stderr.write("docs_sync: bad argument %r\n%s" % (argv[i], __doc__))
            return 2
        i += 2
    return cmd_check(since, require)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
