#!/usr/bin/env bash
# GloVe quality against x-max on one corpus: counts once, trains once per
# x-max from the saved co-occurrences, scores each with the gensim evaluator.
#
#   bash tests/bench/glove_xmax.sh CORPUS OUTDIR [XMAX ...]     (default 5 10 25 50 100 auto)
#
# Environment: WORDVEC (build/wordvec), THREADS (2), EPOCHS (15), DIM (100),
# SEEDS ("1"), EVAL (../shared/data/eval). Prints one tab-separated row per run
# (x-max, seed, analogy %, WS353, MTurk-771, YP-130) and writes OUTDIR/xmax.tsv.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$1 out=$2
shift 2
values=("$@")
[ ${#values[@]} -gt 0 ] || values=(5 10 25 50 100 auto)
wordvec=${WORDVEC:-$root/build/wordvec}
threads=${THREADS:-2} epochs=${EPOCHS:-15} dim=${DIM:-100} seeds=${SEEDS:-1}
eval_dir=${EVAL:-$root/../shared/data/eval}
mkdir -p "$out"
if [ ! -s "$out/cooc.bin" ]; then
  "$wordvec" train --model glove --input "$corpus" --window 10 --epochs 0 --threads "$threads" --quiet \
    --save-cooccurrence "$out/cooc.bin" --save-vocab "$out/vocab.txt"
fi
printf 'x_max\tseed\tanalogy\tws353\tmturk771\typ130\tseconds\n' | tee "$out/xmax.tsv"
for x in "${values[@]}"; do
  for seed in $seeds; do
    v="$out/xmax-$x-seed$seed.bin"
    start=$(date +%s.%N)
    "$wordvec" train --model glove --cooccurrence "$out/cooc.bin" --output "$v" --dim "$dim" --epochs "$epochs" \
      --x-max "$x" --seed "$seed" --threads "$threads" --quiet 2> "$out/xmax-$x-seed$seed.log"
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    /usr/bin/python3 "$root/../shared/bench/eval-vectors.py" "$v" "$eval_dir/questions-words.txt" \
      "$eval_dir/ws353.tsv" "$eval_dir/mturk771.tsv" "$eval_dir/yp130.tsv" --json "$v.json" > /dev/null 2>&1
    scores=$(/usr/bin/python3 - "$v.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
sections = r["analogy"][0]["sections"]
correct = sum(s["correct"] for s in sections)
attempted = sum(s["attempted"] for s in sections)
cells = [f"{100 * correct / attempted:.2f}"]
by_name = {s["file"].rsplit("/", 1)[-1]: s["spearman"] for s in r["similarity"]}
cells += [f"{by_name[name]:.3f}" for name in ("ws353.tsv", "mturk771.tsv", "yp130.tsv")]
print("\t".join(cells))
PY
)
    printf '%s\t%s\t%s\t%.0f\n' "$x" "$seed" "$scores" "$seconds" | tee -a "$out/xmax.tsv"
  done
done
