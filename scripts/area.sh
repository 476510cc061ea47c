#!/usr/bin/env bash
# Area sweep: per-PE cost of the sparse (weight-skipping) variant over the dense-only one.
#
#   scripts/area.sh [SIZES...]        default sizes: 2x2 4x4 8x8 16x16
#
# For every size and sparsity (dense, weight) it generates build/area/variants/a<R>x<C>_<sp>
# with DATA_W 8, ACC_W 32, KMAX 64, WINDOW 16 (small operand memories, identical for dense
# and sparse, so the comparison is about the PE and feeder logic), then runs
# scripts/synth.sh for xc7 and asic (reports in build/synth/<name>-<hash>/). Two runs at a time
# (SG_AREA_JOBS). Results: build/area/area.json, build/area/area.txt (table, also printed),
# build/area/area.png (gnuplot; skipped with a message when gnuplot is missing).
# Extra sparsegen options for every variant: SG_AREA_OPTS (e.g. "--kmax 128").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2x2 4x4 8x8 16x16)
jobs=${SG_AREA_JOBS:-2}
adir=build/area
opts=${SG_AREA_OPTS:-}
command -v yosys >/dev/null || { echo "area.sh: yosys not found: apt-get install -y yosys" >&2; exit 3; }
make -s build/bin/sparsegen
mkdir -p "$adir/variants"
t0=$(date +%s)

names=()
for s in "${sizes[@]}"; do
  r=${s%x*} c=${s#*x}
  for sp in dense weight; do
    n=a${r}x${c}_$sp
    # shellcheck disable=SC2086
    build/bin/sparsegen --rows "$r" --cols "$c" --data-width 8 --acc-width 32 --kmax 64 --window 16 \
      --stream-width 64 --sparsity "$sp" $opts --out "$adir/variants/$n" >/dev/null
    names+=("$n")
  done
done

# biggest first so the two workers finish together
jobsfile=$adir/jobs.txt
: >"$jobsfile"
for ((i = ${#names[@]} - 1; i >= 0; i--)); do
  for t in xc7 asic; do echo "$adir/variants/${names[$i]} $t" >>"$jobsfile"; done
done
fail=0
total=$(wc -l <"$jobsfile")
echo "area.sh: $total synthesis runs, $jobs at a time (about 3-4 minutes on 2 cores); logs in $adir/logs/"
mkdir -p "$adir/logs"
# one progress line per finished run: "[done/total] NAME TARGET: first line of its summary"
# (read by the shell: mawk would buffer the lines until the end)
export adir
xargs -P "$jobs" -L 1 bash -c 'l=$adir/logs/$(basename "$0").$1.log
  if scripts/synth.sh "$0" "$1" >"$l" 2>&1; then echo "$(basename "$0") $1: $(grep -m1 -v "^synth.sh:" "$l" | cut -d: -f2-)"
  else echo "$(basename "$0") $1: FAILED, see $l"; exit 1; fi' <"$jobsfile" |
  { i=0; while IFS= read -r l; do i=$((i + 1)); echo "area.sh: [$i/$total] $l"; done; } || fail=1
cat "$adir"/logs/*.log >"$adir/synth.out"
if [ $fail = 1 ]; then
  echo "area.sh: some synthesis runs failed, see $adir/logs/" >&2
fi

vdirs=()
for n in "${names[@]}"; do vdirs+=("$adir/variants/$n"); done
python3 scripts/synth/sgsynth.py area "$adir" "${SG_SYNTH_ROOT:-build/synth}" "${vdirs[@]}"

if command -v gnuplot >/dev/null 2>&1; then
  gnuplot <<EOF
set terminal png size 1200,500 noenhanced
set output "$adir/area.png"
set multiplot layout 1,2 title "sparsegen area per PE, DATA_W 8, KMAX 64 (dense-only vs weight-skipping)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top left
set grid ytics
set y2tics
set y2label "weight / dense"
set y2range [0:2]
set ytics nomirror
set yrange [0:*]
set ylabel "LUT6 per PE"
set title "Xilinx 7-series (synth_xilinx)"
plot "$adir/area_xc7.dat" using 3:xtic(2) title "dense", '' using 4 title "weight", \
     '' using 0:5 axes x1y2 with linespoints lw 2 pt 7 title "overhead"
set ylabel "um2 per PE"
set title "OSU 0.18 um standard cells"
plot "$adir/area_asic.dat" using 3:xtic(2) title "dense", '' using 4 title "weight", \
     '' using 0:5 axes x1y2 with linespoints lw 2 pt 7 title "overhead"
unset multiplot
EOF
  echo "plot: $adir/area.png"
else
  echo "area.sh: gnuplot not found, no plot: apt-get install -y gnuplot-nox" >&2
fi
echo "area sweep: ${#names[@]} variants x 2 targets in $(($(date +%s) - t0)) s ($jobs jobs); $adir/area.json"
exit $fail
