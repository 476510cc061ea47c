#!/usr/bin/env bash
# Build one variant end to end: generate it, verilate it once, and link the test bench
# (tb_rtl) and the simulation runner (sim_run) against that one model.
#   scripts/variant.sh NAME [sparsegen options...]
# Result: build/variants/NAME/{out/ (generated), obj/ (Verilator), tb_rtl, sim_run}.
# Rebuilds only what changed, and never less: the model and everything linked against it are
# rebuilt when any generated file changed since the last successful build (the checksums of
# every file in out/ are kept in built.md5), and tb_rtl/sim_run are relinked when a test-bench,
# host, golden or generator header, a test-bench source or a library they link is newer.
# SG_GEN_BIN: the generator to run (default build/bin/sparsegen).
set -euo pipefail
usage="usage: scripts/variant.sh NAME [sparsegen options...]   (e.g. scripts/variant.sh v3x5 --rows 3 --cols 5)"
if [ $# -lt 1 ] || [ -z "$1" ] || [ "${1#-}" != "$1" ]; then
  echo "$usage" >&2
  exit 2
fi
name=$1
shift
case "$name" in
  */* | . | ..) echo "variant.sh: NAME '$name' must be a plain folder name; $usage" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
vd=build/variants/$name
mkdir -p "$vd"
jobs=${SG_JOBS_MAKE:-2}
gen=${SG_GEN_BIN:-build/bin/sparsegen}

make -s build/bin/sparsegen build/lib/libsg_sw.a >/dev/null

# 1. generate (sparsegen replaces the folder atomically); everything built from an earlier
#    generated folder goes when any of its files changed (or no build ever completed)
"$gen" "$@" --out "$vd/out" >/dev/null
sums() { (cd "$vd/out" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum); }
sums >"$vd/gen.md5"
if ! cmp -s "$vd/gen.md5" "$vd/built.md5"; then
  if [ -f "$vd/built.md5" ]; then
    changed=$( (diff "$vd/built.md5" "$vd/gen.md5" || true) | sed -n 's|^[<>] [0-9a-f]*  \./||p' | sort -u | tr '\n' ' ')
    echo "variant.sh: $name: generated files changed ($changed): rebuilding the model, tb_rtl and sim_run" >&2
  fi
  rm -rf "$vd/obj" "$vd/obj_trace" "$vd/tb_rtl" "$vd/tb_rtl_trace" "$vd/sim_run" "$vd"/*.o "$vd/built.md5"
fi
top=$(sed -n 's/.*"top": "\([^"]*\)".*/\1/p' "$vd/out/manifest.json")
files=$(grep -v '^//' "$vd/out/files.f" | sed "s|^|$vd/out/|" | tr '\n' ' ')

# 2. verilate and compile the model once (scripts/model_lib.sh, shared with scripts/model.sh)
. scripts/model_lib.sh
sg_verilate "$vd/obj" ""

# 2b. optional tracing model (SG_TRACE_BUILD=1): a separate build, used only to get a waveform
# of a failing case (tb_rtl_trace with SG_TRACE=/path/prefix)
if [ "${SG_TRACE_BUILD:-0}" = 1 ]; then sg_verilate "$vd/obj_trace" verilated_fst_c.o --trace-fst; fi

# 3. link the test bench and the runner
cflags="$(sg_cflags "$vd/out") $(pkg-config --cflags check)"
tbsrc="tb/bus.c tb/test_rtl.c tb/rtl_main.c"
runsrc="tb/bus.c tb/sim_run.c"
deps="$vd/obj/V${top}__ALL.a build/lib/libsg_sw.a tb/dut_shim.cpp $(ls tb/*.h contract/*.h contract/*.def golden/*.h host/*.h gen/*.h 2>/dev/null)"
sg_shim "$vd/obj" "$vd/dut_shim.o"
link() { # link OUT SOURCES...
  local out=$1
  shift
  local objs=()
  for s in "$@"; do
    o="$vd/$(basename "${s%.c}").o"
    gcc $cflags -DSG_TB_BIN="\"$vd/tb_rtl\"" -c "$s" -o "$o"
    objs+=("$o")
  done
  g++ -o "$out" "${objs[@]}" "$vd/dut_shim.o" "$vd/obj/V${top}__ALL.a" "$vd/obj/verilated.o" \
    "$vd/obj/verilated_threads.o" build/lib/libsg_sw.a $(pkg-config --libs check) -pthread
}
if sg_need "$vd/tb_rtl" $tbsrc $deps "$vd/dut_shim.o"; then link "$vd/tb_rtl" $tbsrc; fi
if [ -f tb/sim_run.c ] && sg_need "$vd/sim_run" $runsrc $deps "$vd/dut_shim.o"; then link "$vd/sim_run" $runsrc; fi
if [ -f "$vd/obj_trace/V${top}__ALL.a" ]; then
  sg_shim "$vd/obj_trace" "$vd/dut_shim_trace.o" -DDUT_TRACE
  g++ -o "$vd/tb_rtl_trace" "$vd/bus.o" "$vd/test_rtl.o" "$vd/rtl_main.o" "$vd/dut_shim_trace.o" \
    "$vd/obj_trace/V${top}__ALL.a" "$vd/obj_trace/verilated.o" "$vd/obj_trace/verilated_threads.o" \
    "$vd/obj_trace/verilated_fst_c.o" build/lib/libsg_sw.a $(pkg-config --libs check) -pthread -lz
fi
cp "$vd/gen.md5" "$vd/built.md5" # the model and its binaries now match these generated files
echo "$vd"
