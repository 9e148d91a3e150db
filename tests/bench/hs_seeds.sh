#!/usr/bin/env bash
# Hierarchical softmax, wordvec against word2vec.c over several seeds.
#
#   make bench-hs-seeds            the full benchmark corpus (QUICK=1: the 2M-token cut)
#
# word2vec.c has no seed option: each thread starts its random state at its
# index, so its runs repeat one draw and a comparison with it is one sample.
# This script compiles a second word2vec binary from the same npm package
# source (run-peers.sh's word2vec@1.1.5, in its build cache, never in this
# tree) whose threads start at index + W2V_SEED, then trains both tools with
# -hs 1 -negative 0 / --loss hs, skip-gram and CBOW, once per seed in SEEDS
# (seed 0 is word2vec.c's own draw), and scores every run with `wordvec eval`
# (gensim's conventions). Setting as bench: dim 100, window 5, sample 1e-4,
# min-count 5, EPOCHS [5], THREADS [2]; alpha 0.025 skip-gram, 0.05 CBOW.
# Environment: QUICK [0], SEEDS ["0 1000 2000"], MODELS ["sg cbow"], OUT [bench-data/hs-seeds-DATE].
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EPOCHS=${EPOCHS:-5}; THREADS=${THREADS:-2}; SEEDS=${SEEDS:-0 1000 2000}; MODELS=${MODELS:-sg cbow}
OUT_PREFIX=hs-seeds
. "$here/setup.sh"
eval_dir=$root/../shared/data/eval

# The package source, as run-peers.sh fetches it (npm pack), then the seeded build.
w2v_src=${W2V_BUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/run-peers/word2vec-1.1.5}/package/src/word2vec.c
if [ ! -f "$w2v_src" ]; then
  mkdir -p "$(dirname "$(dirname "$w2v_src")")"
  (cd "$(dirname "$(dirname "$(dirname "$w2v_src")")")" && npm pack word2vec@1.1.5 --silent > /dev/null && tar xzf word2vec-1.1.5.tgz)
fi
grep -q 'unsigned long long next_random = (long long)id;' "$w2v_src" \
  || { echo "bench-hs-seeds: $w2v_src: the thread's random start was not found" >&2; exit 1; }
sed 's/unsigned long long next_random = (long long)id;/unsigned long long next_random = (long long)id + (getenv("W2V_SEED") ? atoll(getenv("W2V_SEED")) : 0);/' \
  "$w2v_src" > "$OUT/word2vec-seeded.c"
# the package's own flags (its makefile)
gcc "$OUT/word2vec-seeded.c" -o "$OUT/word2vec" -lm -pthread -O3 -march=native -Wall -funroll-loops \
  -Wno-unused-result -fno-stack-protector

score() {  # VECTORS -> "analogy ws353 mturk771"
  "$WORDVEC" eval --vectors "$1" --analogy "$eval_dir/questions-words.txt" --similarity "$eval_dir/ws353.tsv" \
    --similarity "$eval_dir/mturk771.tsv" --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print("%.4f %.4f %.4f" % (d["analogy"]["accuracy"], d["similarity"][0]["spearman"], d["similarity"][1]["spearman"]))'
}

: > "$OUT/results.tsv"
for seed in $SEEDS; do
  for model in $MODELS; do
    cbow=0 alpha=0.025 wv_model=skipgram
    [ "$model" = cbow ] && cbow=1 alpha=0.05 wv_model=cbow
    d=$OUT/seed-$seed/$model; mkdir -p "$d"
    echo "bench-hs-seeds: seed $seed, $model: word2vec.c" >&2
    W2V_SEED=$seed /usr/bin/time -f "%e" -o "$d/word2vec.time" "$OUT/word2vec" -train "$CORPUS" -output "$d/word2vec.txt" \
      -cbow "$cbow" -size 100 -window 5 -negative 0 -hs 1 -sample 1e-4 -min-count 5 -iter "$EPOCHS" \
      -threads "$THREADS" -binary 0 -alpha "$alpha" > /dev/null
    echo "bench-hs-seeds: seed $seed, $model: wordvec" >&2
    /usr/bin/time -f "%e" -o "$d/wordvec.time" "$WORDVEC" train --quiet --input "$CORPUS" --output "$d/wordvec.bin" \
      --model "$wv_model" --loss hs --alpha "$alpha" --dim 100 --window 5 --sample 1e-4 --min-count 5 \
      --epochs "$EPOCHS" --threads "$THREADS" --seed $((seed + 1))
    for tool in word2vec wordvec; do
      vectors=$d/$tool.txt; [ "$tool" = wordvec ] && vectors=$d/wordvec.bin
      printf '%s\t%s\t%s\t%s\t%s\n' "$model" "$tool" "$seed" "$(tail -1 "$d/$tool.time")" "$(score "$vectors" | tr ' ' '\t')" \
        >> "$OUT/results.tsv"
      rm -f "$vectors"
    done
  done
done

# One line per model and tool: the mean over the seeds, then each seed's figures.
{
  printf '%-6s %-9s %8s %8s %8s   per seed (analogy / WS353 / MTurk-771)\n' model tool analogy WS353 MTurk
  awk -F'\t' '{ k = $1 " " $2; n[k]++; a[k] += $5; w[k] += $6; m[k] += $7
                l[k] = l[k] sprintf("  %.1f/%.3f/%.3f", 100 * $5, $6, $7) }
    END { for (k in n) { split(k, p, " "); printf "%-6s %-9s %7.1f%% %8.3f %8.3f  %s\n", p[1], p[2], 100 * a[k] / n[k], w[k] / n[k], m[k] / n[k], l[k] } }' \
    "$OUT/results.tsv" | sort
} | tee "$OUT/report.txt"
