#!/usr/bin/env bash
# Synthesize a generated sparsegen variant and write a machine-readable report.
#
#   scripts/synth.sh VARIANT_DIR TARGET [PART]
#
# TARGET:
#   generic  Yosys `synth` (memories left as $mem_v2), generic cell counts. Fast: meant for
#            `make verify` on every preset.
#   ice40    `synth_ice40 -dsp` (no -dsp on HX/LP parts: they have no SB_MAC16), then
#            nextpnr-ice40 place and route and icetime. PART is DEVICE/PACKAGE, default
#            up5k/sg48 (also hx8k/ct256, up5k/uwg30, hx8k/cb132, ...). Reports utilization,
#            fmax and `fits`; a variant that does not fit is reported, not an error.
#   xc7      `synth_xilinx -flatten -noiopad`: LUT, FF, CARRY4, DSP48E1, RAMB18E1/RAMB36E1.
#   asic     OSU 0.18 um standard cells (qflow-tech-osu018), hierarchical: total area and
#            area per PE. Memories become flip-flops (no SRAM macros).
#
# Output: build/synth/<NAME>-<HASH>/<TARGET>.json (+ <TARGET>.log and other files), NAME the
# variant's folder name (the parent's for build/variants/NAME/out), HASH the first 8 hex digits
# of the MD5 of the folder's absolute path (as build/models/NAME-HASH of scripts/model.sh), so
# two folders of the same name never share reports
# (`scripts/synth/sgsynth.py synthname DIR` prints it). iCE40 writes ice40_<dev>_<pkg>.json per
# part and ice40.json, which lists every part run ("parts") and carries the up5k/sg48 report
# (else the newest part's) at its top level. SG_SYNTH_ROOT overrides build/synth.
# A tool that is missing or fails after Yosys (nextpnr-ice40, icetime) is a note in the report
# ("notes") and its fields stay null; a missing nextpnr-ice40 still exits 3.
# Environment: SG_ICE40_FREQ (MHz, nextpnr target, default 24), SG_PNR_SEED (default 1).
set -euo pipefail

usage() { echo "usage: scripts/synth.sh VARIANT_DIR generic|ice40|xc7|asic [PART]" >&2; exit 2; }
[ $# -ge 2 ] || usage
vdir=${1%/}
target=$2
part=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
helper=$here/synth/sgsynth.py

need_tool() { # need_tool COMMAND PACKAGE
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "synth.sh: '$1' not found: install it with  apt-get install -y $2" >&2
    exit 3
  fi
}
need_tool yosys yosys
need_tool python3 python3
[ -f "$vdir/manifest.json" ] && [ -f "$vdir/files.f" ] ||
  { echo "synth.sh: $vdir is not a generated variant (no manifest.json / files.f)" >&2; exit 2; }

case "$target" in
  generic | xc7 | asic) [ -z "$part" ] || { echo "synth.sh: PART is only for ice40" >&2; exit 2; } ;;
  ice40)
    part=${part:-up5k/sg48}
    case "$part" in */*) ;; *) echo "synth.sh: PART must be DEVICE/PACKAGE, e.g. up5k/sg48 or hx8k/ct256" >&2; exit 2 ;; esac
    ;;
  *) usage ;;
esac

liberty=""
if [ "$target" = asic ]; then
  liberty=$(dpkg -L qflow-tech-osu018 2>/dev/null | grep '/osu018_stdcells\.lib$' | head -1 || true)
  if [ -z "$liberty" ] || [ ! -f "$liberty" ]; then
    echo "synth.sh: OSU 0.18um liberty (osu018_stdcells.lib) not found: install it with  apt-get install -y qflow-tech-osu018" >&2
    exit 3
  fi
fi

eval "$(python3 "$helper" manifest "$vdir")"
root=${SG_SYNTH_ROOT:-build/synth}
out=$root/$m_synth_name
mkdir -p "$out"
files=$(grep -v '^\s*//' "$vdir/files.f" | grep -v '^\s*$' | sed "s|^|$vdir/|" | tr '\n' ' ')
yver=$(yosys -V | head -1)
# iCE40: every file carries the part (ice40_up5k_sg48.*) so parts do not overwrite each other;
# ice40.json indexes them all.
stem=$target
[ "$target" = ice40 ] && stem=ice40_${part//\//_}
log=$out/$stem.log
ys=$out/$stem.ys
stat=$out/$stem.stat.txt
memstat=$out/$stem.mem.txt
report=$out/$stem.json
notes=$out/$stem.notes.txt
: >"$notes"
t0=$(date +%s.%N)
echo "synth.sh: $m_name ($target${part:+ $part}): Yosys... (reports in $out)"

# Every flow: read the RTL, record the RTL memories (before any mapping), synthesize, stat.
read_rtl="read_verilog -DSYNTHESIS $files"
case "$target" in
  generic)
    cat >"$ys" <<EOF
$read_rtl
hierarchy -check -top $m_top
tee -q -o $memstat stat -top $m_top
synth -top $m_top -run :fine
opt -fast -full
techmap
opt -fast
abc -fast
opt -fast
tee -q -o $stat stat -top $m_top
EOF
    ;;
  xc7)
    cat >"$ys" <<EOF
$read_rtl
hierarchy -check -top $m_top
tee -q -o $memstat stat -top $m_top
synth_xilinx -flatten -noiopad -top $m_top
tee -q -o $stat stat -top $m_top
EOF
    ;;
  asic)
    # two mappings of the same coarse netlist: logic only (memories kept as \$mem_v2 cells,
    # the place of SRAM macros, so they add no cell area: $stem.logic.txt), then everything
    # with the memories as flip-flops and read multiplexers (the library has no SRAM macros)
    cat >"$ys" <<EOF
read_liberty -lib $liberty
$read_rtl
hierarchy -check -top $m_top
tee -q -o $memstat stat -top $m_top
synth -top $m_top -run :fine
design -save coarse
opt -fast -full
techmap
opt -fast
dfflibmap -liberty $liberty
abc -liberty $liberty
opt_clean
tee -q -o $out/$stem.logic.txt stat -top $m_top -liberty $liberty
design -load coarse
synth -top $m_top -run fine:
dfflibmap -liberty $liberty
abc -liberty $liberty
opt_clean
tee -q -o $stat stat -top $m_top -liberty $liberty
EOF
    ;;
  ice40)
    dev=${part%/*}
    pkg=${part#*/}
    wrap=$out/${stem}_wrap.v
    wbits=$(python3 "$helper" wrapper "$vdir" "$wrap")
    wi=$(echo "$wbits" | sed 's/.*wrap_in_bits=\([0-9]*\).*/\1/')
    wo=$(echo "$wbits" | sed 's/.*wrap_out_bits=\([0-9]*\).*/\1/')
    dsp=1
    case "$dev" in up* | u[0-9]*) dspopt=-dsp ;; *) dspopt="" dsp=0 ;; esac
    cat >"$ys" <<EOF
$read_rtl $wrap
hierarchy -check -top sg_synth_wrap
tee -q -o $memstat stat -top $m_top
setattr -mod -set keep_hierarchy 1 $m_top
synth_ice40 $dspopt -top sg_synth_wrap
tee -q -o $stat stat -top sg_synth_wrap
write_json $out/$stem.netlist.json
EOF
    ;;
esac

yosys -q -l "$log" -s "$ys" >/dev/null 2>"$out/$stem.stderr" || {
  echo "synth.sh: yosys failed for $vdir ($target); last lines of $log:" >&2
  tail -20 "$log" >&2
  exit 1
}
t1=$(date +%s.%N)
ysec=$(echo "$t1 - $t0" | bc)

extra=()
if [ "$target" = ice40 ]; then
  pre=$out/$stem.precheck.txt
  python3 "$helper" precheck "$stat" "$dev" >"$pre"
  pnr_rc=0
  pnr_log=$out/$stem.nextpnr.log
  pnr_rep=$out/$stem.nextpnr.json
  asc=$out/$stem.asc
  pcf=$out/$stem.pcf
  itime=$out/$stem.icetime.txt
  rm -f "$pnr_rep" "$asc" "$itime"
  # clock on a global-buffer pin where the board is known (iCEBreaker UP5K: 35; HX8K breakout: J3)
  : >"$pcf"
  case "$part" in
    up5k/sg48) echo "set_io clk_i 35" >"$pcf" ;;
    hx8k/ct256) echo "set_io clk_i J3" >"$pcf" ;;
  esac
  if [ -s "$pre" ]; then
    pnr_rc=1
  elif ! command -v nextpnr-ice40 >/dev/null 2>&1; then
    pnr_rc=127
    echo "nextpnr-ice40 not found (apt-get install -y nextpnr-ice40): no place and route, fits and fmax unknown" >>"$notes"
  else
    echo "synth.sh: $m_name: nextpnr-ice40 place and route on $part (about a minute for ice40-tiny; log $out/$stem.nextpnr.log)..."
    timeout "${SG_PNR_TIMEOUT:-1200}" nextpnr-ice40 "--$dev" --package "$pkg" --json "$out/$stem.netlist.json" \
      --pcf "$pcf" --pcf-allow-unconstrained --asc "$asc" --report "$pnr_rep" \
      --freq "${SG_ICE40_FREQ:-24}" --timing-allow-fail --seed "${SG_PNR_SEED:-1}" \
      >"$pnr_log" 2>&1 || pnr_rc=$?
    if [ "$pnr_rc" = 0 ] && [ -f "$asc" ]; then
      if ! command -v icetime >/dev/null 2>&1; then
        echo "icetime not found (apt-get install -y fpga-icestorm fpga-icestorm-chipdb): no icetime fmax" >>"$notes"
      elif ! icetime -d "$dev" -P "$pkg" -p "$pcf" -t "$asc" >"$itime" 2>&1; then
        echo "icetime failed: $(grep -v '^\s*$' "$itime" | tail -1) (the chip database comes with fpga-icestorm-chipdb)" >>"$notes"
      fi
    fi
  fi
  t2=$(date +%s.%N)
  extra=(--part "$part" --precheck "$pre" --pnr-report "$pnr_rep" --pnr-log "$pnr_log" --pnr-rc "$pnr_rc"
    --pnr-seconds "$(echo "$t2 - $t1" | bc)" --icetime "$itime" --wrap "$wi,$wo" --dsp "$dsp")
fi
[ "$target" = asic ] && extra=(--liberty "$liberty" --logic-stat "$out/$stem.logic.txt")
tend=$(date +%s.%N)
python3 "$helper" report "$target" --variant "$vdir" --out "$report" --stat "$stat" --mem "$memstat" \
  --yosys-version "$yver" --seconds "$(echo "$tend - $t0" | bc)" --yosys-seconds "$ysec" \
  --notes-file "$notes" "${extra[@]}"
if [ "$target" = ice40 ]; then
  python3 "$helper" ice40index "$out"
  [ "${pnr_rc:-0}" != 127 ] || exit 3
fi
exit 0
