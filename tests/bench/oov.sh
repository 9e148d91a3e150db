#!/usr/bin/env bash
# Unseen words: wordvec's subword vectors against fastText's on the word pairs
# (WS353, MTurk-771) that have a word outside a reduced vocabulary.
#
#   make bench-oov                 the 2M-token cut (QUICK=0: the full corpus)
#
# Both tools train skip-gram with subwords (3-6, 2M buckets, dim 100, 5 epochs,
# 2 threads) with --min-count / -minCount MIN_COUNT [50], which leaves part of
# the evaluation words out of the vocabulary. Each tool then prints a vector
# for every evaluation word -- `wordvec vectors MODEL`, `fasttext
# print-word-vectors MODEL.bin`, both building unseen words from their n-grams
# -- and oov_report.py scores Spearman's rho over all pairs, the pairs with an
# unseen word, and the pairs with both words known.
# Environment: QUICK [1], MIN_COUNT [50], THREADS [2], EPOCHS [5], OUT [bench-data/oov-DATE].
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
QUICK=${QUICK:-1}; MIN_COUNT=${MIN_COUNT:-50}; THREADS=${THREADS:-2}; EPOCHS=${EPOCHS:-5}
OUT_PREFIX=oov
. "$here/setup.sh"
command -v fasttext > /dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq fasttext > /dev/null; } \
  || { echo "bench-oov: install the 'fasttext' package" >&2; exit 1; }
pairs=("$root/data/ws353.tsv" "$root/data/mturk771.tsv")
cut -f1,2 "${pairs[@]}" | tr '\t' '\n' | tr '[:upper:]' '[:lower:]' | sort -u > "$OUT/words.txt"

echo "bench-oov: wordvec on $CORPUS (min-count $MIN_COUNT)" >&2
/usr/bin/time -v -o "$OUT/wordvec.time" "$WORDVEC" train --quiet --input "$CORPUS" --save-model "$OUT/wordvec.wvm" \
  --subwords 3-6 --buckets 2000000 --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count "$MIN_COUNT" \
  --epochs "$EPOCHS" --threads "$THREADS" --alpha 0.025
"$WORDVEC" vectors "$OUT/wordvec.wvm" < "$OUT/words.txt" > "$OUT/wordvec.vectors" 2> /dev/null
"$WORDVEC" info --json "$OUT/wordvec.wvm" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["vocabulary_size"])' > "$OUT/wordvec.vocab"
"$WORDVEC" convert --quiet --input "$OUT/wordvec.wvm" --output "$OUT/wordvec.vec" --to vec

echo "bench-oov: fastText on $CORPUS (minCount $MIN_COUNT)" >&2
/usr/bin/time -v -o "$OUT/fasttext.time" fasttext skipgram -input "$CORPUS" -output "$OUT/fasttext" -minn 3 -maxn 6 \
  -bucket 2000000 -dim 100 -ws 5 -neg 5 -loss ns -t 1e-4 -minCount "$MIN_COUNT" -epoch "$EPOCHS" -thread "$THREADS" \
  -lr 0.025 -verbose 0
fasttext print-word-vectors "$OUT/fasttext.bin" < "$OUT/words.txt" > "$OUT/fasttext.vectors"
rm -f "$OUT/fasttext.bin"  # ~800 MB

/usr/bin/python3 "$here/oov_report.py" "$OUT" "${pairs[@]}" | tee "$OUT/report.txt"
