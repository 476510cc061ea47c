#!/usr/bin/env bash
# Build (or reuse) the Verilator model and the runner of an already generated variant folder,
# for `sparsegen run` (docs/run.md). Nothing is written into the generated folder itself.
#   scripts/model.sh VARIANT_DIR [--trace]
# Result: build/models/<name>-<hash>/sim_run (and, with --trace, sim_run_trace and tb_rtl_trace
# over a separate model built with FST tracing), where <name> is the folder's name (its parent's for .../NAME/out,
# as scripts/variant.sh lays it out) and <hash> the first 8 hex digits of the md5 of the
# folder's absolute path (`scripts/synth/sgsynth.py synthname`, one rule for both). Prints the model folder on stdout (last line), progress on stderr.
# Staleness: the model is rebuilt when any file of the generated folder changes (md5 of every
# file name and content, kept in <model>/stamp); the runner is relinked when tb/, host/ or
# golden/ sources are newer. Concurrent runs on the same folder wait on <model>/lock.
set -euo pipefail
usage() { echo "usage: scripts/model.sh VARIANT_DIR [--trace]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
src=$1
trace=0
if [ $# -eq 2 ]; then [ "$2" = --trace ] && trace=1 || usage; fi
[ -d "$src" ] || { echo "model.sh: $src is not a folder" >&2; exit 2; }
src=$(cd "$src" && pwd)
[ -f "$src/manifest.json" ] && [ -f "$src/files.f" ] && [ -f "$src/sparsegen_params.h" ] ||
  { echo "model.sh: $src is not a generated sparsegen folder (no manifest.json / files.f / sparsegen_params.h)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# NAME-HASH: the one rule of scripts/synth/sgsynth.py (synth report folders use it too)
nh=$(python3 scripts/synth/sgsynth.py synthname "$src") || exit 1
name=${nh%-*}
md=build/models/$nh
mkdir -p "$md"
exec 9>"$md/lock"
flock 9
printf '%s\n' "$src" >"$md/source"
jobs=${SG_JOBS_MAKE:-2}

make -s build/lib/libsg_sw.a >/dev/null

# 1. stamp of every generated file (names and contents): any change rebuilds everything
stamp=$(cd "$src" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum | md5sum | cut -d' ' -f1)
if [ "$(cat "$md/stamp" 2>/dev/null || true)" != "$stamp" ]; then
  rm -rf "$md/obj" "$md/obj_trace" "$md"/*.o "$md/sim_run" "$md/sim_run_trace" "$md/tb_rtl_trace"
  printf '%s\n' "$stamp" >"$md/stamp"
fi
top=$(sed -n 's/.*"top": "\([^"]*\)".*/\1/p' "$src/manifest.json")
files=$(grep -v '^\s*//' "$src/files.f" | grep -v '^\s*$' | sed "s|^|$src/|" | tr '\n' ' ')
. scripts/model_lib.sh
verilate() { # verilate OBJDIR EXTRA_OBJ [verilator flags...]
  [ -f "$1/V${top}__ALL.a" ] && return 0
  echo "model: verilating $name into $1 (about 10-60 s, once)" >&2
  sg_verilate "$@"
}
cflags=$(sg_cflags "$src")
runsrc="tb/bus.c tb/sim_run.c"
tbsrc="tb/bus.c tb/test_rtl.c tb/rtl_main.c"
hdrs="$(ls tb/*.h contract/*.h contract/*.def golden/*.h host/*.h)"
link() { # link OUT OBJDIR SHIM.o "SOURCES" EXTRA_OBJ_OR_LIB...
  local out=$1 od=$2 so=$3 srcs=$4 tag=${1##*/}
  shift 4
  sg_need "$out" $srcs $hdrs build/lib/libsg_sw.a "$so" || return 0
  local objs=()
  for s in $srcs; do
    local o="$md/$tag.$(basename "${s%.c}").o"
    gcc $cflags $(pkg-config --cflags check) ${SG_MODEL_DEFS:-} -DSG_VARIANT_NAME="\"$name\"" -DSG_VARIANT_DIR="\"$src\"" \
      -DSG_TB_BIN="\"$md/$tag\"" -c "$s" -o "$o"
    objs+=("$o")
  done
  g++ -o "$out.tmp" "${objs[@]}" "$so" "$od/V${top}__ALL.a" "$od/verilated.o" "$od/verilated_threads.o" \
    "$@" build/lib/libsg_sw.a -pthread
  mv -f "$out.tmp" "$out"
}

verilate "$md/obj" ""
sg_shim "$md/obj" "$md/shim.o"
link "$md/sim_run" "$md/obj" "$md/shim.o" "$runsrc"
if [ "$trace" = 1 ]; then
  verilate "$md/obj_trace" verilated_fst_c.o --trace-fst
  sg_shim "$md/obj_trace" "$md/shim_trace.o" -DDUT_TRACE
  SG_MODEL_DEFS=-DSG_RUN_TRACE link "$md/sim_run_trace" "$md/obj_trace" "$md/shim_trace.o" "$runsrc" "$md/obj_trace/verilated_fst_c.o" -lz
  link "$md/tb_rtl_trace" "$md/obj_trace" "$md/shim_trace.o" "$tbsrc" "$md/obj_trace/verilated_fst_c.o" \
    $(pkg-config --libs check) -lz
fi
echo "$md"
