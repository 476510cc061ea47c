#!/usr/bin/env bash
# Print N random valid variants (variants.txt format, profile column "random") from SEED, so
# make verify also runs shapes and widths nobody picked by hand. Same SEED, same variants.
#   scripts/random_variants.sh SEED N
set -euo pipefail
seed=${1:?usage: random_variants.sh SEED N}
n=${2:-3}
RANDOM=$seed
pick() { echo $(( $1 + RANDOM % ($2 - $1 + 1) )); }
pow2_between() { # smallest..largest powers of two, inclusive
  local lo=$1 hi=$2 opts=() v=1
  while [ $v -le "$hi" ]; do
    [ $v -ge "$lo" ] && opts+=($v)
    v=$((v * 2))
  done
  echo "${opts[$((RANDOM % ${#opts[@]}))]}"
}
for i in $(seq 1 "$n"); do
  rows=$(pick 1 12)
  cols=$(pick 1 12)
  dw=$(pick 2 16)
  aw=$(pick $((2 * dw)) $(( 2 * dw + 24 > 64 ? 64 : 2 * dw + 24 )))
  window=$(pow2_between 2 32)
  kmax=$(pow2_between $((2 * window)) 256)
  lane=$(( (dw + 7) / 8 * 8 ))
  sw=$(pow2_between "$lane" 256)
  sp=$([ $((RANDOM % 4)) -eq 0 ] && echo dense || echo weight)
  echo "random rnd${seed}_$i --rows $rows --cols $cols --data-width $dw --acc-width $aw --kmax $kmax --window $window --stream-width $sw --sparsity $sp"
done
