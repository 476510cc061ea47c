#!/usr/bin/env bash
# make demo: the main job on the default variant. Generates the 8x8 preset, builds its
# Verilator model, and runs a tile of GraphChallenge sparse-DNN layer 1 (real pruned weights,
# ~3% dense, as A) times real input images (~10% dense, as B), quantized to int8, in DENSE,
# SPARSE and AUTO mode. Every result word and counter is checked against the golden model.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${SG_DATA_DIR:-$root/../shared/data}
if [ ! -f "$data/graphchallenge/n1024-l1.mtx" ] || [ ! -f "$data/graphchallenge/sparse-images-1024_subset.mtx" ]; then
  echo "demo: the GraphChallenge data is missing: expected $data/graphchallenge/n1024-l1.mtx and" >&2
  echo "      sparse-images-1024_subset.mtx (set SG_DATA_DIR to the shared data folder)" >&2
  exit 2
fi
echo "== generating and building the default variant (build/variants/v8x8)"
vd=$(scripts/variant.sh v8x8 --preset default)
echo "   $(grep -c . "$vd/out/files.f") lines in files.f; top $(sed -n 's/.*"top": "\([^"]*\)".*/\1/p' "$vd/out/manifest.json")"
echo
echo "== one 8x8 output tile: 8 neurons x 8 images, K = 1024 input features"
"$vd/sim_run" --workload graphchallenge --data "$data" --m 8 --n 8
echo
echo "== a 32 x 16 block of the layer output, tiled onto the array (8 tiles)"
"$vd/sim_run" --workload graphchallenge --data "$data" --m 32 --n 16 --row0 64 --col0 100
echo
echo "== your own matrices: SuiteSparse west0067 (67 x 67, real) as A, a random 67 x 16 B, the whole"
echo "   product tiled onto the array, C written as Matrix Market (docs/run.md)"
mkdir -p build/demo
build/bin/sparsegen run "$vd/out" --a "$data/suitesparse/west0067.mtx" --out build/demo/C.mtx
