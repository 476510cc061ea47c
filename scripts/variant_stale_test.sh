#!/usr/bin/env bash
# Proves that scripts/variant.sh cannot leave a stale build (issue 7): a variant whose generated
# sparsegen_params.h alone changed must get a new model, tb_rtl and sim_run, and an unchanged
# regeneration must rebuild nothing. Uses a private 1x1 variant, build/variants/stale_probe.
# Run by `make verify` (step variant_stale); exit 0 when both hold.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
name=stale_probe
vd=build/variants/$name
args=(--rows 1 --cols 1 --kmax 16 --window 4 --stream-width 16)
fail() { echo "variant_stale: FAIL: $*" >&2; exit 1; }
stamp() { stat -c %Y.%s "$vd/tb_rtl" "$vd/sim_run" "$vd/obj/Vsg_top__ALL.a" | tr '\n' ' '; }

scripts/variant.sh "$name" "${args[@]}" >/dev/null
[ -x "$vd/tb_rtl" ] && [ -x "$vd/sim_run" ] || fail "first build gave no tb_rtl/sim_run"
sleep 1.1 # mtimes have a resolution of one second here
s0=$(stamp)
scripts/variant.sh "$name" "${args[@]}" >/dev/null 2>"$vd/stale_test.log"
[ "$(stamp)" = "$s0" ] || fail "an unchanged regeneration rebuilt the variant"

# a generator whose output differs from the last build only in sparsegen_params.h
wrap=$(mktemp)
trap 'rm -f "$wrap"' EXIT
cat >"$wrap" <<'W'
#!/usr/bin/env bash
set -e
build/bin/sparsegen "$@"
out=${*: -1}
echo "#define SG_STALE_PROBE 1u" >>"$out/sparsegen_params.h"
W
chmod +x "$wrap"
SG_GEN_BIN=$wrap scripts/variant.sh "$name" "${args[@]}" >/dev/null 2>"$vd/stale_test.log"
s1=$(stamp)
grep -q "generated files changed (sparsegen_params.h )" "$vd/stale_test.log" ||
  fail "variant.sh did not report the changed header: $(cat "$vd/stale_test.log")"
for f in tb_rtl sim_run obj/Vsg_top__ALL.a; do
  [ "$vd/$f" -nt "$vd/gen.md5" ] || [ "$(stat -c %Y "$vd/$f")" -ge "$(stat -c %Y "$vd/gen.md5")" ] ||
    fail "$f was not rebuilt after a header-only change"
done
[ "$s1" != "$s0" ] || fail "a header-only change left tb_rtl, sim_run and the model as they were"
grep -q SG_STALE_PROBE "$vd/out/sparsegen_params.h" || fail "the probe header was not generated"

# back to the real generator: rebuilt again, and the probe is gone
scripts/variant.sh "$name" "${args[@]}" >/dev/null 2>"$vd/stale_test.log"
grep -q "generated files changed (sparsegen_params.h )" "$vd/stale_test.log" || fail "no rebuild back"
! grep -q SG_STALE_PROBE "$vd/out/sparsegen_params.h" || fail "the probe header stayed"
echo "variant_stale: an unchanged regeneration rebuilt nothing; a change of sparsegen_params.h alone rebuilt the model, tb_rtl and sim_run"
