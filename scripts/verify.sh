#!/usr/bin/env bash
# make verify: the sign-off regression.
#   scripts/verify.sh [PROFILE]      PROFILE = default (about 5 min on 2 cores from a clean
#                                    build, less with ccache) | full (more variants and jobs)
# Steps: generator tests, golden/host tests (plain and under ASan+UBSan), and for every variant
# of scripts/variants.txt in the profile: lint, Yosys structural check, Verilator build, the
# RTL-vs-golden suite. Ends with "N passed, N failed" and exits non-zero on any failure.
# Then the FPGA presets' synthesis and the docs check (numbers in README.md/docs/ against the
# reports this run produced, scripts/docs_sync.py). Random variants that pass are removed
# afterwards (a failing one is kept and named in the summary).
# Report: build/reports/verify.json, the same as build/verify/summary.json (+ one TAP file per
# test binary and one log per step in build/reports/).
set -uo pipefail
profile=${1:-default}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rep=build/reports
mkdir -p "$rep"
rm -f "$rep"/*.tap "$rep"/*.log "$rep"/*.cov
seed=${SG_SEED:-$(( ($(date +%s) % 1000000) + 1 ))}
export SG_SEED=$seed
case "$profile" in
  default) export SG_JOBS=${SG_JOBS:-12} ;;
  full) export SG_JOBS=${SG_JOBS:-64} ;;
  *) echo "verify: unknown PROFILE '$profile' (default | full)" >&2; exit 2 ;;
esac
passed=0
failed=0
records=()
t_start=$(date +%s)

# a line for a step that is still running after 5 s (some take a minute): on a terminal the
# result line overwrites it, in a log it stays
eol=""
[ -t 1 ] && eol=$'\033[K'
step_start() { # step_start NAME
  local cr='\n'
  [ -t 1 ] && cr='\r'
  ( sleep 5; printf "%-34s running since %s...$cr" "$1" "$(date -d "-5 sec" +%T)" ) &
  watcher=$!
}
step_end() {
  kill "$watcher" 2>/dev/null
  wait "$watcher" 2>/dev/null
  true
}

# the failure lines of a log: Check's one line per failing test, the first 10 FAIL lines, and
# each distinct reproduce/waveform line once (tb_rtl prints that block after every failing job:
# an injected bug (+1 in the PE accumulate, 2x2) gave a 1452-line log with 21 failing tests,
# shown here in 46 lines with one reproduce line per failing test case)
show_failures() { # show_failures LOG
  awk '/:[FE]:/ { print; next }
       /FAIL/ { if (++nf <= 10) print; next }
       /^  *(reproduce|waveform):/ { if (!seen[$0]++) print; next }
       /^  / { if (!seen[$0]++ && nf <= 10) print; next }
       END { if (nf > 10) printf "... %d more FAIL lines\n", nf - 10 }' "$1" | head -80 | sed 's/^/    /'
  echo "    full log: $1"
}

record() { # record NAME STATUS PASSED FAILED SECONDS DETAIL
  records+=("{\"step\": \"$1\", \"status\": \"$2\", \"passed\": $3, \"failed\": $4, \"seconds\": $5, \"detail\": \"$6\"}")
  passed=$((passed + $3))
  failed=$((failed + $4))
  printf "%-34s %-4s %4d passed %4d failed %5ss  %s${eol}\n" "$1" "$2" "$3" "$4" "$5" "$6"
}

# run a Check binary: counts come from its summary line
check_step() { # check_step NAME LOG CMD...
  local name=$1 log=$2
  shift 2
  step_start "$name"
  local t0=$(date +%s)
  SG_TAP_FILE="$rep/$name.tap" "$@" >"$log" 2>&1
  local rc=$? dt=$(( $(date +%s) - t0 ))
  step_end
  local line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -1)
  local n=$(sed -n 's/.*Checks: \([0-9]*\).*/\1/p' <<<"$line")
  local f=$(sed -n 's/.*Failures: \([0-9]*\).*/\1/p' <<<"$line")
  local e=$(sed -n 's/.*Errors: \([0-9]*\).*/\1/p' <<<"$line")
  if [ -z "$n" ]; then
    record "$name" FAIL 0 1 "$dt" "no Check summary (exit $rc), see $log"
    tail -20 "$log" | sed 's/^/    /'
    return
  fi
  local bad=$((f + e))
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  if [ "$bad" -eq 0 ]; then
    record "$name" PASS "$n" 0 "$dt" "$log"
  else
    record "$name" FAIL $((n - f - e)) "$bad" "$dt" "see $log"
    show_failures "$log"
  fi
}

plain_step() { # plain_step NAME LOG CMD...
  local name=$1 log=$2
  shift 2
  step_start "$name"
  local t0=$(date +%s)
  "$@" >"$log" 2>&1
  local rc=$? dt=$(( $(date +%s) - t0 ))
  step_end
  if [ $rc -eq 0 ]; then
    record "$name" PASS 1 0 "$dt" "$log"
  else
    record "$name" FAIL 0 1 "$dt" "see $log"
    tail -15 "$log" | sed 's/^/    /'
  fi
}

echo "sparsegen verify: profile $profile, seed $seed (reproduce: make verify PROFILE=$profile SG_SEED=$seed)"
echo "tools: $(verilator --version | head -1); $(yosys -V | head -1); gcc $(gcc -dumpfullversion)"
plain_step build "$rep/build.log" make -s all build/bin/test_sw build/bin/test_sw_san build/bin/test_gen build/bin/sparsegen_san
check_step gen "$rep/gen.log" build/bin/test_gen
SG_GEN_BIN=build/bin/sparsegen_san check_step gen_asan_ubsan "$rep/gen_san.log" build/bin/test_gen
check_step inputs_fuzz_asan_ubsan "$rep/inputs.log" bash -c "make -s build/bin/test_inputs_san && build/bin/test_inputs_san"
plain_step variant_stale "$rep/variant_stale.log" scripts/variant_stale_test.sh
check_step golden_host "$rep/sw.log" build/bin/test_sw
check_step golden_host_asan_ubsan "$rep/sw_san.log" build/bin/test_sw_san
check_step cli "$rep/cli.log" tb/test_cli.sh   # sparsegen run/list/synth, runner bad inputs (docs/run.md)

# hand-picked variants, then random valid ones drawn from the seed (3 by default, 10 in full)
nrand=3
[ "$profile" = full ] && nrand=10
rand_removed=()
rand_kept=()
while read -r profs name args; do
  [[ -z "${profs:-}" || "$profs" == \#* ]] && continue
  [[ ",$profs," == *",$profile,"* || "$profs" == random ]] || continue
  vd=build/variants/$name
  failed_before=$failed
  log="$rep/$name"
  plain_step "$name:build" "$log.build.log" scripts/variant.sh "$name" $args
  if [ ! -x "$vd/tb_rtl" ]; then
    [ "$profs" = random ] && rand_kept+=("$vd")
    continue
  fi
  top=$(sed -n 's/.*"top": "\([^"]*\)".*/\1/p' "$vd/out/manifest.json")
  files=$(grep -v '^//' "$vd/out/files.f" | sed "s|^|$vd/out/|" | tr '\n' ' ')
  plain_step "$name:lint" "$log.lint.log" verilator --lint-only -Wall --top-module "$top" $files
  plain_step "$name:yosys" "$log.yosys.log" scripts/yosys_check.sh "$vd/out"
  # a third parser: Icarus in strict Verilog-2005 mode, warnings count as failures
  plain_step "$name:iverilog" "$log.iverilog.log" bash -c \
    "out=\$(iverilog -g2005 -Wall -o /dev/null -s $top $files 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
  rm -f "$log.cov"
  SG_COV_FILE="$log.cov" check_step "$name:rtl" "$log.rtl.log" "$vd/tb_rtl"
  # a random variant is only worth its disk space (tens of MB) while it fails
  if [ "$profs" = random ]; then
    if [ "$failed" -eq "$failed_before" ]; then rm -rf "$vd"; rand_removed+=("$name")
    else rand_kept+=("$vd"); fi
  fi
done < <(cat scripts/variants.txt; scripts/random_variants.sh "$seed" "$nrand")

# real matrices through the RTL as whole GEMMs (B resident per column block, A compressed in
# SPARSE/AUTO, every job's results and counters against golden; sim_run fails on a mismatch)
data=${SG_DATA_DIR:-$root/../shared/data}
if [ -x build/variants/v8x8/sim_run ] && [ -f "$data/graphchallenge/n1024-l1.mtx" ]; then
  plain_step "v8x8:gemm_graphchallenge" "$rep/v8x8.gemm_graphchallenge.log" \
    build/variants/v8x8/sim_run --workload graphchallenge --data "$data" --m 64 --n 16 --k 1024 --row0 128 --col0 16
  for f in "$data"/suitesparse/*.mtx; do
    b=$(basename "$f" .mtx)
    plain_step "v8x8:gemm_$b" "$rep/v8x8.gemm_$b.log" build/variants/v8x8/sim_run --workload mtx --file "$f" --m 64 --n 16
  done
else
  echo "verify: shared data not found at $data (set SG_DATA_DIR): real-matrix GEMMs skipped" >&2
fi

# the FPGA presets must still synthesize for their parts: iCE40 UP5K place-and-route (fits,
# fmax) and Xilinx 7-series mapping (docs/synthesis.md)
if scripts/deps.sh fpga >"$rep/deps_synth.log" 2>&1; then
  for pv in "ice40_tiny ice40" "artix7 xc7"; do
    set -- $pv
    [ -d "build/variants/$1/out" ] || continue
    sdir=build/synth/$(python3 scripts/synth/sgsynth.py synthname "build/variants/$1/out")
    plain_step "$1:synth_$2" "$rep/$1.synth_$2.log" bash -c \
      "scripts/synth.sh build/variants/$1/out $2 && ! grep -q '\"fits\": false' $sdir/$2.json"
  done
else
  record synth_tools FAIL 0 1 0 "$(tail -1 "$rep/deps_synth.log")"
fi

# numbers in README.md and docs/ that the runs above measure (iCE40 UP5K, 7-series) or that
# are cheap to re-measure here (generic synthesis of the default variant, preset port lists)
# must equal what scripts/docs_sync.py writes from this run's reports (docs/verification.md)
plain_step docs "$rep/docs.log" bash -c "scripts/synth.sh build/variants/v8x8/out generic &&
  python3 scripts/docs_sync.py check --since $t_start --require verify"
grep -h 'blocks checked' "$rep/docs.log" | sed 's/^/    /'

# functional coverage: bins of tb/test_rtl.c (RTL_COV_BINS), summed per variant and overall
cov_summary=""
if ls "$rep"/*.cov >/dev/null 2>&1; then
  echo
  echo "functional coverage (bins hit by the RTL suites, tb/test_rtl.c RTL_COV_BINS):"
  for f in "$rep"/*.cov; do
    awk -v v="$(basename "$f" .cov)" '{a[$1] += $2} END { n = 0; h = 0; miss = ""
      for (k in a) { n++; if (a[k] > 0) h++; else miss = miss " " k }
      printf "  %-14s %2d/%2d bins%s\n", v, h, n, (miss == "" ? "" : "  missed:" miss) }' "$f"
  done
  cov_summary=$(cat "$rep"/*.cov | awk '{a[$1] += $2} END { n = 0; h = 0; miss = ""
    for (k in a) { n++; if (a[k] > 0) h++; else miss = miss " " k }
    printf "%d/%d bins hit over all variants%s", h, n, (miss == "" ? "" : "; missed:" miss) }')
  echo "  overall: $cov_summary"
  # a bin that no variant reaches is a hole in the regression: it fails verify
  if grep -q "missed:" <<<"$cov_summary"; then
    record coverage FAIL 0 1 0 "bins no variant reached: ${cov_summary#*missed:}"
  else
    record coverage PASS 1 0 0 "$rep/coverage.txt"
  fi
  cat "$rep"/*.cov | awk '{a[$1] += $2} END { for (k in a) printf "%s %d\n", k, a[k] }' | sort >"$rep/coverage.txt"
fi

dt=$(( $(date +%s) - t_start ))
json_list() { local sep="" x; for x in "$@"; do printf '%s"%s"' "$sep" "$x"; sep=", "; done; }
{
  echo "{"
  echo "  \"profile\": \"$profile\", \"seed\": $seed, \"seconds\": $dt,"
  echo "  \"tools\": {\"verilator\": \"$(verilator --version | head -1)\", \"yosys\": \"$(yosys -V | head -1)\", \"gcc\": \"$(gcc -dumpfullversion)\"},"
  echo "  \"passed\": $passed, \"failed\": $failed,"
  echo "  \"coverage\": \"$cov_summary\","
  echo "  \"random_variants_removed\": [$(json_list "${rand_removed[@]}")],"
  echo "  \"random_variants_kept\": [$(json_list "${rand_kept[@]}")],"
  echo "  \"steps\": ["
  n=${#records[@]}
  for i in "${!records[@]}"; do
    sep=","
    [ "$i" -eq $((n - 1)) ] && sep=""
    echo "    ${records[$i]}$sep"
  done
  echo "  ]"
  echo "}"
} >"$rep/verify.json"
mkdir -p build/verify
cp "$rep/verify.json" build/verify/summary.json
[ ${#rand_removed[@]} -eq 0 ] || echo "random variants passed and removed: ${rand_removed[*]}"
[ ${#rand_kept[@]} -eq 0 ] || echo "random variants that failed, kept for debugging: ${rand_kept[*]}"
echo "report: $rep/verify.json = build/verify/summary.json (${dt}s)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
