#!/usr/bin/env bash
# The evidence for the dimension rule: score against dimension for several
# vocabulary sizes N, the knee of each curve against the suggestion 8.33 ln N.
#
#   make bench-dim                 the full benchmark corpus (35M tokens)
#
# Design: one corpus, one evaluation subset, only N varies.
# - N is set by --max-vocab (the N most frequent words, --min-count 1), so
#   every run sees the same text; a larger N adds rarer words.
# - The evaluation sets are cut to the pairs and questions whose words are all
#   among the SMALLEST N's words, and analogy answers are searched among those
#   same words (--restrict-vocab), so every N is scored on the same questions.
# - What still changes with N besides N: tokens of words outside the
#   vocabulary are dropped before windows are formed (as word2vec does), so a
#   small N trains on fewer tokens with slightly wider effective windows.
# Each point is a skip-gram run of EPOCHS epochs, once per seed in SEEDS;
# `dim --trend` averages the seeds and finds each curve's knee.
# Environment: SIZES ["10000 30000 100000 300000"], DIMS [16,...,384], EPOCHS [3],
#   SEEDS ["1 2"], THREADS [2], QUICK [0], OUT [bench-data/dim-DATE].
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIZES=${SIZES:-10000 30000 100000 300000}; DIMS=${DIMS:-16,24,32,48,64,96,128,192,256,384}
EPOCHS=${EPOCHS:-3}; SEEDS=${SEEDS:-1 2}; THREADS=${THREADS:-2}
OUT_PREFIX=dim
. "$here/setup.sh"
smallest=$(printf '%s\n' $SIZES | sort -n | head -1)
# The smallest vocabulary, as train builds it (a throwaway dim-2 run writes it).
"$WORDVEC" train --input "$CORPUS" --min-count 1 --max-vocab "$smallest" --dim 2 --epochs 1 --quiet \
  --save-vocab "$OUT/vocab-$smallest.txt" --output "$OUT/vocab-$smallest.bin" 2> /dev/null
/usr/bin/python3 "$here/dimension_eval.py" "$OUT/vocab-$smallest.txt" "$OUT/eval" \
  "$root/data/ws353.tsv" "$root/data/mturk771.tsv" "$root/data/questions-words.txt"
for seed in $SEEDS; do
  for n in $SIZES; do
    echo "== N = $n, seed $seed" >&2
    "$WORDVEC" dim --sweep --input "$CORPUS" --min-count 1 --max-vocab "$n" --dims "$DIMS" --epochs "$EPOCHS" \
      --threads "$THREADS" --seed "$seed" --restrict-vocab "$smallest" \
      --eval-similarity "$OUT/eval/ws353.tsv" "$OUT/eval/mturk771.tsv" --eval-analogy "$OUT/eval/questions-words.txt" \
      --sweep-output "$OUT/sweep-$n-seed$seed" > /dev/null 2> "$OUT/sweep-$n-seed$seed.log"
    tail -1 "$OUT/sweep-$n-seed$seed.log" >&2
  done
done
"$WORDVEC" dim --trend "$OUT"/sweep-*.csv --trend-output "$OUT/trend" | tee "$OUT/trend.txt"
echo "results in $OUT" >&2
