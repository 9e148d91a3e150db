#!/usr/bin/env bash
# Unseen words: wordvec's subword vectors against fastText's on the word pairs
# (WS353, MTurk-771) that have a word outside a reduced vocabulary.
#
#   make bench-oov                 the 2M-token cut (QUICK=0: the full corpus)
#
# Both tools train skip-gram with subwords (3-6, 2M buckets, dim 100, 5 epochs,
# 2 threads) with --min-count / -minCount MIN_COUNT [50], which leaves part of
# the evaluation words out of the vocabulary, once per seed in SEEDS. Each tool
# then prints a vector for every evaluation word -- `wordvec vectors MODEL`,
# `fasttext print-word-vectors MODEL.bin`, both building unseen words from
# their n-grams -- and oov_report.py scores Spearman's rho over all pairs, the
# pairs with an unseen word, and the pairs with both words known.
#
# Equal work: fastText's -epoch counts every token of the corpus, also those
# of words below minCount that it drops, and trains until that many
# in-vocabulary tokens have passed; with a reduced vocabulary it makes more
# passes than -epoch says (corpus tokens / kept tokens x epochs: 6.0 for 5 on
# the 2M cut at min-count 50, where 16.5 % of the tokens are dropped). The
# run "wordvec-equal" gives wordvec that many epochs (rounded).
# Environment: QUICK [1], MIN_COUNT [50], THREADS [2], EPOCHS [5], SEEDS ["1 2 3"], OUT [bench-data/oov-DATE].
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
QUICK=${QUICK:-1}; MIN_COUNT=${MIN_COUNT:-50}; THREADS=${THREADS:-2}; EPOCHS=${EPOCHS:-5}; SEEDS=${SEEDS:-1 2 3}
OUT_PREFIX=oov
. "$here/setup.sh"
command -v fasttext > /dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq fasttext > /dev/null; } \
  || { echo "bench-oov: install the 'fasttext' package" >&2; exit 1; }
pairs=("$root/data/ws353.tsv" "$root/data/mturk771.tsv")
cut -f1,2 "${pairs[@]}" | tr '\t' '\n' | tr '[:upper:]' '[:lower:]' | sort -u > "$OUT/words.txt"
common=(--subwords 3-6 --buckets 2000000 --dim 100 --window 5 --negative 5 --sample 1e-4 --min-count "$MIN_COUNT"
        --threads "$THREADS" --alpha 0.025)

wordvec_run() {  # DIR NAME SEED EPOCHS
  /usr/bin/time -v -o "$1/$2.time" "$WORDVEC" train --quiet --input "$CORPUS" --save-model "$1/$2.wvm" "${common[@]}" \
    --seed "$3" --epochs "$4"
  "$WORDVEC" vectors "$1/$2.wvm" < "$OUT/words.txt" > "$1/$2.vectors" 2> /dev/null
  "$WORDVEC" convert --quiet --input "$1/$2.wvm" --output "$1/$2.vec" --to vec
  rm -f "$1/$2.wvm"
}

equal_epochs=
for seed in $SEEDS; do
  dir=$OUT/seed-$seed; mkdir -p "$dir"
  echo "bench-oov: seed $seed: wordvec on $CORPUS (min-count $MIN_COUNT, $EPOCHS epochs)" >&2
  wordvec_run "$dir" wordvec "$seed" "$EPOCHS"
  if [ -z "$equal_epochs" ]; then
    read -r total kept < <(awk 'NR == FNR { if (FNR > 1) vocab[$1] = 1; next }
      { for (i = 1; i <= NF; i++) { t++; if ($i in vocab) k++ } } END { print t, k }' "$dir/wordvec.vec" "$CORPUS")
    equal_epochs=$(awk -v e="$EPOCHS" -v t="$total" -v k="$kept" 'BEGIN {print (k > 0 ? int(e * t / k + 0.5) : e)}')
    echo "bench-oov: $total corpus tokens, $kept in the vocabulary: fastText's $EPOCHS epochs are $equal_epochs passes" >&2
  fi
  echo "bench-oov: seed $seed: wordvec, $equal_epochs epochs (fastText's passes)" >&2
  wordvec_run "$dir" wordvec-equal "$seed" "$equal_epochs"
  echo "bench-oov: seed $seed: fastText (minCount $MIN_COUNT, -epoch $EPOCHS)" >&2
  /usr/bin/time -v -o "$dir/fasttext.time" fasttext skipgram -input "$CORPUS" -output "$dir/fasttext" -minn 3 -maxn 6 \
    -bucket 2000000 -dim 100 -ws 5 -neg 5 -loss ns -t 1e-4 -minCount "$MIN_COUNT" -epoch "$EPOCHS" -thread "$THREADS" \
    -lr 0.025 -verbose 0 -seed "$seed"
  fasttext print-word-vectors "$dir/fasttext.bin" < "$OUT/words.txt" > "$dir/fasttext.vectors"
  rm -f "$dir/fasttext.bin"  # ~800 MB
  /usr/bin/python3 "$here/oov_report.py" --tools wordvec,wordvec-equal,fasttext "$dir" "${pairs[@]}" > "$dir/report.txt"
done

# Per tool and file: the mean over the seeds, then each seed's figure; then
# wordvec's runs minus fastText's, seed by seed, with the standard error of
# that mean (the seeds spread one run by +-0.01-0.02: one seed decides nothing).
{
  echo "Spearman's rho over the pairs with an unseen word (all / both seen in brackets), seeds: $SEEDS"
  cat "$OUT"/seed-*/report.txt | awk '$1 != "vocabulary:" && $2 ~ /^(wordvec|wordvec-equal|fasttext)$/ {
      k = $1 " " $2; n[k]++; u[k] += $4; a[k] += $3; s[k] += $5; list[k] = list[k] " " $4; v[k, n[k]] = $4 }
    END {
      for (k in n) printf "%-30s unseen %.3f  (all %.3f, seen %.3f)  per seed:%s\n", k, u[k] / n[k], a[k] / n[k], s[k] / n[k], list[k]
      for (k in n) {
        split(k, part, " "); f = part[1] " fasttext"
        if (part[2] == "fasttext" || n[f] != n[k]) continue
        m = 0; for (i = 1; i <= n[k]; i++) m += v[k, i] - v[f, i]; m /= n[k]
        ss = 0; for (i = 1; i <= n[k]; i++) ss += (v[k, i] - v[f, i] - m) ^ 2
        printf "%-30s minus fasttext, unseen: %+.4f (standard error %s)\n", k, m, (n[k] > 1 ? sprintf("%.4f", sqrt(ss / (n[k] - 1) / n[k])) : "n/a")
      }
    }' | sort
  grep '^vocabulary' "$OUT/seed-${SEEDS%% *}/report.txt"
} | tee "$OUT/report.txt"
