#!/usr/bin/env bash
# Structural synthesis check of a generated variant: Yosys elaborates every module, then
# asserts no combinational loops (check -assert) and no latches of any kind.
# usage: scripts/yosys_check.sh VARIANT_DIR [LOG]
set -euo pipefail
dir=${1:?usage: yosys_check.sh VARIANT_DIR [LOG]}
log=${2:-}
top=$(sed -n 's/.*"top": "\([^"]*\)".*/\1/p' "$dir/manifest.json")
files=$(grep -v '^//' "$dir/files.f" | sed "s|^|$dir/|" | tr '\n' ' ')
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
yosys -q -l "$tmp" -p "
  read_verilog -DSYNTHESIS $files
  hierarchy -check -top $top
  proc
  flatten
  opt_clean
  select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr
  memory -nomap
  opt -fast
  check -assert
  stat
" >/dev/null || { cat "$tmp"; exit 1; }
if [ -n "$log" ]; then cp "$tmp" "$log"; else cat "$tmp"; fi
