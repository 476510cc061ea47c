#!/usr/bin/env bash
# test_cli: the front door (`sparsegen run|list|synth`, docs/run.md) and every bad input of the
# runner, one numbered case each, on a small generated variant (3x2, int8, 16-bit accumulators
# so sums wrap, KMAX 16 so K is cut into ACCUMULATE chunks). The product of user matrices is
# checked against a plain Python triple loop, not against the code under test.
# Prints "ok N - what" / "not ok N - what" and a Check-style summary line for scripts/verify.sh.
#   tb/test_cli.sh            (from anywhere; seed SG_SEED, default 1)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seed=${SG_SEED:-1}
G=$root/build/bin/sparsegen
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; [ -f "$T/err" ] && sed 's/^/    /' "$T/err" | tail -5; }
# expect RC DESC CMD... : the command exits RC; for RC 2 it also says something on stderr
expect() {
  local want=$1 what=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ $rc -ne "$want" ]; then bad "$what (exit $rc, expected $want)"; return 1; fi
  if [ "$want" = 2 ] && [ ! -s "$T/err" ]; then bad "$what (exit 2 without a message)"; return 1; fi
  ok "$what"
}

echo "test_cli: seed $seed (reproduce: SG_SEED=$seed tb/test_cli.sh)"
make -s all >/dev/null || { echo "test_cli: make failed"; exit 1; }
V=build/test_cli/v3x2
mkdir -p build/test_cli
"$G" --rows 3 --cols 2 --data-width 8 --acc-width 16 --kmax 16 --window 4 --out "$V" >/dev/null ||
  { echo "test_cli: cannot generate $V"; exit 1; }
run() { "$G" run "$V" "$@"; }
touch "$T/generated"

# ---- front door
expect 0 "sparsegen run --help" "$G" run --help
expect 2 "sparsegen run without a folder" "$G" run
expect 2 "sparsegen run on a missing folder" "$G" run "$T/nope" --workload random
echo x >"$T/file"
expect 2 "sparsegen run on a file, not a generated folder" "$G" run "$T/file" --workload random
expect 2 "sparsegen run on a folder that is not generated" "$G" run "$T" --workload random
expect 0 "sparsegen list --help" "$G" list --help
expect 2 "sparsegen list with an extra argument" "$G" list x
expect 2 "sparsegen synth with too few arguments" "$G" synth "$V"
expect 0 "sparsegen synth --help" "$G" synth --help
expect 2 "sparsegen synth on a folder that is not generated" "$G" synth "$T" generic
grep -q "sparsegen run" <("$G" --help) && ok "sparsegen --help names the subcommands" || bad "sparsegen --help names the subcommands"
expect 0 "first run builds the model and runs" run --workload random --k 40 --density-a 0.3 --seed "$seed"
[ -z "$(find "$V" -newer "$T/generated")" ] && [ "$(ls "$V")" = "$(printf 'files.f\nmanifest.json\nregmap.md\nrtl\nsparsegen_params.h')" ] &&
  ok "nothing written into the generated folder" || bad "nothing written into the generated folder"
expect 0 "sparsegen list" "$G" list
grep -q "^v3x2 .*3x2 int8 acc16 kmax 16 .* built .*$root/$V" "$T/out" && ok "list shows the variant, its parameters and its model" ||
  bad "list shows the variant, its parameters and its model"
grep -q "variant v3x2 (prefix sg)" <(run --workload random --k 8 --modes dense 2>&1) &&
  ok "output names the variant by its folder, the prefix separately" || bad "output names the variant by its folder"

# ---- the model follows the generated folder: a change to any generated file rebuilds it
S=build/test_cli/stale
rm -rf "$S"
cp -r "$V" "$S"
"$G" run "$S" --workload random --k 8 --modes dense --quiet >/dev/null 2>&1
echo "/* edited */" >>"$S/sparsegen_params.h"
if "$G" run "$S" --workload random --k 8 --modes dense --quiet 2>&1 | grep -q "model: verilating stale"; then
  ok "editing only sparsegen_params.h rebuilds the model"
else bad "editing only sparsegen_params.h rebuilds the model"; fi
(cd "$T" && "$G" run "$root/$V" --workload random --k 8 --modes dense --quiet >/dev/null 2>&1) &&
  ok "sparsegen run works from another folder" || bad "sparsegen run works from another folder"

# ---- sim_run bad inputs: exit 2 with a message, nothing run
expect 2 "--row0 4294967295 (wrap-around)" run --workload graphchallenge --row0 4294967295
expect 2 "--col0 4294967295 (wrap-around)" run --workload graphchallenge --col0 4294967295
expect 2 "--modes ''" run --workload random --modes ''
expect 2 "--modes ,," run --workload random --modes ,,
expect 2 "--mode dense,sparse (one mode)" run --workload random --mode dense,sparse
expect 2 "--m 100000 --n 100000" run --workload random --m 100000 --n 100000
expect 2 "--thresh 257" run --workload random --thresh 257
expect 2 "--seed abc" run --workload random --seed abc
expect 2 "--seed -1" run --workload random --seed -1
expect 2 "--seed 0" run --workload random --seed 0
expect 2 "--k -5" run --workload random --k -5
expect 2 "--density-a 2" run --workload random --density-a 2
expect 2 "unknown option" run --workload random --bogus 1
expect 2 "option without a value" run --workload random --k
expect 2 "unknown workload" run --workload nope
expect 2 "--job without --trace" run --workload random --job 1
expect 2 "--trace over several modes" run --workload random --modes dense,sparse --trace "$T/w.fst"
expect 2 "--trace on a runner built without tracing" "$(scripts/model.sh "$V" 2>/dev/null)/sim_run" --workload random --modes dense --trace "$T/w.fst"
expect 2 "--b without --a" run --workload random --b "$T/file"
printf '%%%%MatrixMarket matrix coordinate real general\n0 0 0\n' >"$T/zero.mtx"
expect 2 "a 0-row .mtx (workload mtx)" run --workload mtx --file "$T/zero.mtx"
expect 2 "a 0-row .mtx (--a)" run --a "$T/zero.mtx"
printf '%%%%MatrixMarket matrix coordinate real general\n8 67108864 1\n1 1 1.0\n' >"$T/wide.mtx"
t0=$(date +%s)
expect 2 "a tiny .mtx declaring 8 x 67108864 (workload mtx)" run --workload mtx --file "$T/wide.mtx"
expect 2 "a tiny .mtx declaring 8 x 67108864 (--a)" run --a "$T/wide.mtx"
[ $(( $(date +%s) - t0 )) -le 10 ] && ok "huge declared sizes fail before allocating" || bad "huge declared sizes fail before allocating"
printf '%%%%MatrixMarket matrix coordinate real general\n2147483648 2147483648 1\n1 1 1.0\n' >"$T/huge.mtx"
expect 2 "declared 2^31 x 2^31" run --a "$T/huge.mtx"
printf '%%%%MatrixMarket matrix coordinate integer general\n5 5 1\n1 1 3\n' >"$T/a5.mtx"
printf '%%%%MatrixMarket matrix coordinate integer general\n4 2 1\n1 1 3\n' >"$T/b4.mtx"
expect 2 "--b whose rows are not A's columns" run --a "$T/a5.mtx" --b "$T/b4.mtx" --out "$T/c.mtx"
[ ! -e "$T/c.mtx" ] && [ -z "$(ls "$T" | grep tmp-)" ] && ok "nothing written after a bad input" || bad "nothing written after a bad input"
expect 2 "--out into a missing folder" run --a "$T/a5.mtx" --out "$T/nope/c.mtx"
expect 2 "--job past the last job" run --a "$T/a5.mtx" --trace "$T/w.fst" --job 99

# ---- JSONL: labels escaped, records appended
lbl='q"uote\back
newline'
run --workload random --k 8 --modes dense --label "$lbl" --jsonl "$T/r.jsonl" --quiet >/dev/null 2>&1
run --workload random --k 8 --modes dense --label x --jsonl "$T/r.jsonl" --quiet >/dev/null 2>&1
python3 - "$T/r.jsonl" "$lbl" <<'PY' && ok "JSONL: label escaped, --jsonl appends, variant/prefix named" || bad "JSONL: label escaped, --jsonl appends"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2, recs
assert recs[0]["label"] == sys.argv[2] and recs[1]["label"] == "x"
assert recs[0]["variant"] == "v3x2" and recs[0]["prefix"] == "sg"
PY

# ---- your own matrices: C checked against a plain triple loop (16-bit wrap-around)
python3 - "$T" "$seed" <<'PY'
import random, sys
t, seed = sys.argv[1], int(sys.argv[2]); random.seed(seed)
M, K, N = 13, 37, 5
def write(p, r, c, dens):
    ents = [(i, j, random.randint(-128, 127)) for i in range(r) for j in range(c) if random.random() < dens]
    ents = [e for e in ents if e[2]]
    with open(p, "w") as f:
        f.write("%%MatrixMarket matrix coordinate integer general\n% test\n" + "%d %d %d\n" % (r, c, len(ents)))
        for i, j, v in ents: f.write("%d %d %d\n" % (i + 1, j + 1, v))
    m = [[0] * c for _ in range(r)]
    for i, j, v in ents: m[i][j] = v
    return m
A = write(t + "/a.mtx", M, K, 0.4); B = write(t + "/b.mtx", K, N, 0.7)
with open(t + "/want.txt", "w") as f:
    for i in range(M):
        for j in range(N):
            s = sum(A[i][k] * B[k][j] for k in range(K)) & 0xFFFF
            s = s - 0x10000 if s >= 0x8000 else s
            if s: f.write("%d %d %d\n" % (i + 1, j + 1, s))
PY
for mode in dense sparse auto; do
  rm -f "$T/c.mtx"
  if run --a "$T/a.mtx" --b "$T/b.mtx" --out "$T/c.mtx" --mode $mode >"$T/out" 2>"$T/err" &&
    grep -q "bit-exact: 45 jobs, 0 mismatches" "$T/out" &&
    diff <(grep -v '^%' "$T/c.mtx" | tail -n +2) "$T/want.txt" >/dev/null &&
    [ "$(grep -v '^%' "$T/c.mtx" | head -1 | cut -d' ' -f1-2)" = "13 5" ]; then
    ok "13x37 x 37x5 in $mode: 45 jobs (tiles x K chunks), C equals a triple loop with 16-bit wrap"
  else bad "13x37 x 37x5 in $mode equals a triple loop"; fi
done
grep -q '^% sa = 1$' "$T/c.mtx" && grep -q 'C_int = A_int x B_int' "$T/c.mtx" && ok "C.mtx header: rule and scales" ||
  bad "C.mtx header: rule and scales"
printf '%%%%MatrixMarket matrix coordinate real general\n3 4 2\n1 1 0.5\n3 4 -2.25\n' >"$T/ar.mtx"
if run --a "$T/ar.mtx" --out "$T/cr.mtx" --seed 5 >"$T/out" 2>"$T/err" && grep -q "seed 5" "$T/out" &&
  grep -q "random 4 x 16, density 0.500" "$T/out" && grep -q '^% sa = 0.0177165' "$T/cr.mtx" &&
  [ "$(grep -v '^%' "$T/cr.mtx" | head -1 | cut -d' ' -f1-2)" = "3 16" ]; then
  ok "real A quantized (scale in the header), random B documented with its seed"
else bad "real A quantized, random B documented"; fi

# ---- waveform of one job
rm -f "$T/j2.fst"
if run --a "$T/a.mtx" --b "$T/b.mtx" --mode sparse --trace "$T/j2.fst" --job 2 >"$T/out" 2>"$T/err" &&
  [ -s "$T/j2.fst" ] && grep -q "bit-exact: 3 jobs" "$T/out"; then
  ok "--trace --job 2 writes the waveform of job 2 and stops after it"
else bad "--trace --job 2 writes a waveform"; fi

echo "test_cli: $n cases, $fails failed"
echo "100%: Checks: $n, Failures: $fails, Errors: 0"
[ $fails -eq 0 ]
