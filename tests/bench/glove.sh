#!/usr/bin/env bash
# GloVe benchmark: wordvec's whole pipeline (vocabulary, co-occurrence counting, shuffle,
# 15 AdaGrad epochs) on the benchmark corpus with Stanford GloVe's demo setting, scored by
# the shared gensim evaluator, then counting alone at two memory budgets (one that spills).
#
#   make bench-glove                 full corpus (35M tokens)
#   QUICK=1 make bench-glove         the 2M-token cut
#
# Stanford GloVe is not a Debian package, so its figures are the reference measured on this
# machine with the same setting (see the README), printed beside ours.
# Environment: QUICK=1, THREADS [2], OUT [bench-data/glove-DATE], WORDVEC [build/wordvec],
#   BUDGETS ["4 0.5"] GiB for the counting-only runs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
QUICK=${QUICK:-0}; THREADS=${THREADS:-2}; BUDGETS=${BUDGETS:-"4 0.5"}
OUT_PREFIX=glove
. "$here/setup.sh"

echo "bench-glove: $CORPUS, $THREADS threads -> $OUT" >&2
/usr/bin/time -v -o "$OUT/time.txt" "$WORDVEC" train --model glove --input "$CORPUS" --output "$OUT/vectors.bin" \
    --dim 100 --window 10 --x-max 10 --epochs 15 --min-count 5 --threads "$THREADS" > "$OUT/train.log" 2>&1
/usr/bin/python3 "$shared/bench/eval-vectors.py" "$OUT/vectors.bin" "$root/data/questions-words.txt" \
    "$root/data/ws353.tsv" --json "$OUT/eval.json" > "$OUT/eval.txt" 2>&1
for b in $BUDGETS; do
  echo "bench-glove: counting only, --memory $b" >&2
  /usr/bin/time -v -o "$OUT/count-$b.time" "$WORDVEC" train --model glove --input "$CORPUS" --epochs 0 \
      --save-cooccurrence "$OUT/cooc-$b.bin" --memory "$b" --threads "$THREADS" > "$OUT/count-$b.log" 2>&1
done
if [ "$(echo $BUDGETS | wc -w)" -gt 1 ]; then
  set -- $BUDGETS
  if cmp -s "$OUT/cooc-$1.bin" "$OUT/cooc-$2.bin"; then echo "counts identical at --memory $1 and $2" > "$OUT/cmp.txt"
  else echo "COUNTS DIFFER between --memory $1 and $2" > "$OUT/cmp.txt"; fi
  rm -f "$OUT"/cooc-*.bin
fi
/usr/bin/python3 "$here/glove_report.py" "$OUT" $BUDGETS
