#!/usr/bin/env bash
# End to end on every SIMD variant this CPU runs (WORDVEC_SIMD=scalar|avx2|avx512):
# one thread, one seed, the bundled corpus; the vectors of each variant agree
# with the scalar ones to rounding (max |difference| 2e-4, every row's cosine
# >= 0.9999), and so do their WS353 scores (0.002).
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt bash tests/cli/simd.sh
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
variants=(scalar)
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && variants+=(avx2)
grep -qw avx512f /proc/cpuinfo && variants+=(avx512)
for model in skipgram cbow glove; do
  epochs=$([ $model = glove ] && echo 3 || echo 1)
  for v in "${variants[@]}"; do
    WORDVEC_SIMD=$v "$WORDVEC" train --quiet --model $model --input "$CORPUS" --output "$T/$model-$v.txt" --format text \
      --threads 1 --seed 1 --epochs "$epochs" --dim 50 2> /dev/null || fail "$model on $v: exit $?"
    "$WORDVEC" eval --vectors "$T/$model-$v.txt" --similarity "$DATA/ws353.tsv" --json > "$T/$model-$v.json"
  done
  for v in "${variants[@]:1}"; do
    if /usr/bin/python3 - "$T/$model-scalar.txt" "$T/$model-$v.txt" "$T/$model-scalar.json" "$T/$model-$v.json" <<'PY'
import json, sys
import numpy as np
def load(path):
    rows = open(path).read().splitlines()[1:]
    return [r.split()[0] for r in rows], np.array([[float(x) for x in r.split()[1:]] for r in rows])
(wa, a), (wb, b) = load(sys.argv[1]), load(sys.argv[2])
assert wa == wb, "different words"
cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
ra, rb = (json.load(open(p))["similarity"][0]["spearman"] for p in sys.argv[3:5])
print("  max |diff| %.2e, min cosine %.8f, WS353 %.4f vs %.4f" % (np.abs(a - b).max(), cos.min(), ra, rb))
sys.exit(0 if np.abs(a - b).max() <= 2e-4 and cos.min() >= 0.9999 and abs(ra - rb) <= 0.002 else 1)
PY
    then ok; else fail "$model: $v disagrees with scalar"; fi
  done
done
echo "simd (${variants[*]}): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
