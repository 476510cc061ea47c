#!/usr/bin/env bash
# Print N random valid variants (variants.txt format, profile column "random") from SEED, so
# make verify also runs shapes and widths nobody picked by hand. Same SEED, same variants:
# the draws come from a linear congruential generator kept in this shell (no subshells).
#   scripts/random_variants.sh SEED N
set -euo pipefail
seed=${1:?usage: random_variants.sh SEED N}
n=${2:-3}
state=$(( seed % 2147483648 ))
r=0
draw() { # draw LO HI -> r in LO..HI
  state=$(( (state * 1103515245 + 12345) % 2147483648 ))
  r=$(( $1 + (state / 65536) % ($2 - $1 + 1) ))
}
pow2() { # pow2 LO HI -> r, a power of two in LO..HI (LO, HI powers of two)
  local lo=$1 hi=$2 e=0 elo=0 ehi=0 v=1
  while [ $v -lt "$lo" ]; do v=$((v * 2)); elo=$((elo + 1)); done
  v=1
  while [ $((v * 2)) -le "$hi" ]; do v=$((v * 2)); ehi=$((ehi + 1)); done
  draw "$elo" "$ehi"
  e=$r
  r=$((1 << e))
}
# a draw the generator refuses (e.g. the operand storage rule, docs/parameters.md) is drawn
# again from the same generator state, so the list stays a function of SEED
gen=build/bin/sparsegen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
tries=0
while [ "$i" -lt "$n" ]; do
  draw 1 12; rows=$r
  draw 1 12; cols=$r
  draw 2 16; dw=$r
  draw $((2 * dw)) $(( 2 * dw + 24 > 64 ? 64 : 2 * dw + 24 )); aw=$r
  pow2 2 32; window=$r
  pow2 $((2 * window)) 256; kmax=$r
  lane=$(( (dw + 7) / 8 * 8 ))
  pow2 "$lane" 256; sw=$r
  draw 0 3; sp=$([ "$r" -eq 0 ] && echo dense || echo weight)
  args="--rows $rows --cols $cols --data-width $dw --acc-width $aw --kmax $kmax --window $window --stream-width $sw --sparsity $sp"
  tries=$((tries + 1))
  if [ -x "$gen" ] && [ "$tries" -le 200 ] && ! "$gen" $args --out "$tmp/v" >/dev/null 2>&1; then
    continue
  fi
  i=$((i + 1))
  echo "random rnd${seed}_$i $args"
done
