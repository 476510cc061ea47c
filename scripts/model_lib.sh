# shellcheck shell=bash
# Shared by scripts/variant.sh and scripts/model.sh (sourced, not run): how a generated folder
# becomes a Verilator model and how the test-bench programs are compiled against it, in one
# place. The caller sets `top` (the top module), `files` (the RTL files), `jobs` (make -j).

sg_vinc=$(verilator --getenv VERILATOR_ROOT)/include
sg_objcache=""
command -v ccache >/dev/null 2>&1 && sg_objcache="OBJCACHE=ccache"

# sg_cflags INCDIR: C flags of the test-bench sources against the variant folder INCDIR.
sg_cflags() {
  echo "-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2 -g -I$1 -Icontract -Igolden -Ihost -Igen -Itb"
}

# sg_need TARGET DEPS... : true when TARGET is missing or older than a dependency.
sg_need() {
  local t=$1
  shift
  [ ! -f "$t" ] && return 0
  for d in "$@"; do [ "$d" -nt "$t" ] && return 0; done
  return 1
}

# sg_verilate OBJDIR "EXTRA_OBJS" [verilator flags...]: verilate and compile the model once
# (logs OBJDIR.verilate.log, OBJDIR.build.log); nothing to do when OBJDIR holds a built model.
sg_verilate() {
  local od=$1 extra=$2
  shift 2
  [ -f "$od/V${top}__ALL.a" ] && return 0
  rm -rf "$od"
  mkdir -p "$od"
  # shellcheck disable=SC2086
  verilator --cc --Mdir "$od" --top-module "$top" --x-assign unique --x-initial unique -O3 "$@" \
    $files >"$od.verilate.log" 2>&1 || { cat "$od.verilate.log" >&2; exit 1; }
  # shellcheck disable=SC2086
  make -s -C "$od" -f "V${top}.mk" -j"$jobs" $sg_objcache OPT_FAST="-O1" OPT_SLOW="-O1" \
    "V${top}__ALL.a" verilated.o verilated_threads.o $extra >"$od.build.log" 2>&1 ||
    { tail -50 "$od.build.log" >&2; exit 1; }
}

# sg_shim OBJDIR OUT.o [-DDUT_TRACE]: the C++ shim over the model in OBJDIR.
sg_shim() {
  local od=$1 out=$2
  shift 2
  sg_need "$out" tb/dut_shim.cpp tb/dut_shim.h "$od/V${top}__ALL.a" || return 0
  g++ -std=c++17 -O2 -g -Wall -Wextra -Werror -faligned-new -isystem "$od" -isystem "$sg_vinc" \
    -isystem "$sg_vinc/vltstd" "$@" -DVTOP="V${top}" -DVTOP_H="\"V${top}.h\"" -c tb/dut_shim.cpp -o "$out"
}
