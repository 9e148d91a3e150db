#!/usr/bin/env bash
# Side-by-side benchmark: wordvec and its peers (word2vec.c, fastText, gensim) trained one
# after another on the same corpus with the same setting, then scored by the same evaluator.
#
#   make bench                      full corpus (35M tokens), 5 epochs, 2 threads
#   make bench-quick                the 2M-token cut
#   RUNS="wv-sg w2v-sg" make bench  only these runs (single-tool mode: RUNS=wv-sg)
#   make bench-subwords             subwords against fastText, hierarchical softmax against word2vec.c
#
# Runs: wv-sg wv-cbow (negative sampling), wv-sg-sub wv-cbow-sub (--subwords 3-6, 2M buckets),
#   wv-sg-hs wv-cbow-hs (--loss hs); the peers of run-peers.sh, and w2v-sg-hs w2v-cbow-hs
#   (word2vec.c -hs 1 -negative 0: run-peers.sh's w2v runs through a wrapper that swaps those two flags).
# Each run is compared with its anchor: wv-X with w2v-X, wv-X-sub with ft-X-sub.
# Environment: QUICK=1, EPOCHS [5], THREADS [2], RUNS [wv-sg wv-cbow w2v-sg w2v-cbow ft-sg ft-cbow gs-sg gs-cbow],
#   OUT [bench-data/run-DATE], WORDVEC [build/wordvec], WV_ARGS (extra wordvec train flags),
#   PEERS_FROM=DIR reuse the peers' results of an earlier run (marked as such in the table),
#   WV_AGAIN [1] time each wordvec run a second time after the peers (the table shows the mean).
# Output: OUT/results.tsv, OUT/results.json and a table on stdout. Speed is corpus words x epochs /
# whole-process wall seconds / threads for every tool alike; ratios are against word2vec.c and gensim.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
QUICK=${QUICK:-0}; EPOCHS=${EPOCHS:-5}; THREADS=${THREADS:-2}
RUNS=${RUNS:-"wv-sg wv-cbow w2v-sg w2v-cbow ft-sg ft-cbow gs-sg gs-cbow"}
OUT_PREFIX=run
. "$here/setup.sh"

echo "bench: corpus $CORPUS, $EPOCHS epochs, $THREADS threads, runs: $RUNS -> $OUT" >&2
{
  echo "corpus: $CORPUS ($(wc -w < "$CORPUS") words)"
  echo "host: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "wordvec: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), kernels ${WORDVEC_SIMD:-auto}"
} > "$OUT/versions.txt"

# wordvec runs, measured exactly as run-peers.sh measures the peers. DEST is the run's
# directory; KEEP=0 discards the vectors (a timing-only repeat); LABEL is added to the log line.
run_wordvec() {  # RUN DEST KEEP [LABEL]
  local r=$1 d=$2 keep=$3 args
  case $r in
    wv-sg)   args=(--model skipgram --alpha 0.025);;
    wv-cbow) args=(--model cbow --alpha 0.05);;
    wv-sg-exact) args=(--model skipgram --alpha 0.025 --update exact);;
    wv-sg-sub)   args=(--model skipgram --alpha 0.025 --subwords 3-6 --buckets 2000000);;
    wv-cbow-sub) args=(--model cbow --alpha 0.05 --subwords 3-6 --buckets 2000000);;
    wv-sg-hs)    args=(--model skipgram --alpha 0.025 --loss hs);;
    wv-cbow-hs)  args=(--model cbow --alpha 0.05 --loss hs);;
    *) echo "bench: unknown run $r" >&2; return;;
  esac
  mkdir -p "$d"
  echo "bench: $r${4:-}" >&2
  /usr/bin/time -v -o "$d/time.txt" "$WORDVEC" train --input "$CORPUS" --output "$d/vectors.bin" \
      --dim 100 --window 5 --sample 1e-4 --min-count 5 --epochs "$EPOCHS" --threads "$THREADS" \
      "${args[@]}" ${WV_ARGS:-} > "$d/train.log" 2>&1 || echo "bench: $r FAILED (see $d/train.log)" >&2
  [ "$keep" = 1 ] || rm -f "$d/vectors.bin"
}

# word2vec.c with hierarchical softmax: run-peers.sh's w2v runs (same setting, same
# measurement) through a wrapper that turns -hs 0 -negative N into -hs 1 -negative 0.
run_w2v_hs() {
  local real=${W2V_BUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/run-peers/word2vec-1.1.5}/package/src/word2vec m
  if [ ! -x "$real" ]; then  # run-peers.sh builds it for its first w2v run
    head -c 100000 "$CORPUS" > "$OUT/tiny.txt"
    RUNS=w2v-sg ITER=1 "$shared/bench/run-peers.sh" "$OUT/tiny.txt" "$OUT/w2v-build" > /dev/null 2>&1 || true
  fi
  printf '%s\n' '#!/bin/bash' 'args=()' \
    'while [ $# -gt 0 ]; do case $1 in -hs) args+=(-hs 1); shift 2;; -negative) args+=(-negative 0); shift 2;; *) args+=("$1"); shift;; esac; done' \
    "exec $real \"\${args[@]}\"" > "$OUT/word2vec-hs"
  chmod +x "$OUT/word2vec-hs"
  RUNS="${hs_runs[*]}" W2V_BIN="$OUT/word2vec-hs" ITER=$EPOCHS THREADS=$THREADS "$shared/bench/run-peers.sh" "$CORPUS" "$OUT/peers-hs" >&2
  mkdir -p "$OUT/peers"
  for m in "${hs_runs[@]}"; do rm -rf "$OUT/peers/$m-hs"; mv "$OUT/peers-hs/$m" "$OUT/peers/$m-hs"; done
}

wv_runs=() peer_runs=() hs_runs=()
for r in $RUNS; do case $r in wv-*) wv_runs+=("$r");; w2v-*-hs) hs_runs+=("${r%-hs}");; *) peer_runs+=("$r");; esac; done
for r in "${wv_runs[@]}"; do run_wordvec "$r" "$OUT/$r" 1; done

# The peers, through the shared script (same setting).
if [ $((${#peer_runs[@]} + ${#hs_runs[@]})) -gt 0 ]; then
  if [ -n "${PEERS_FROM:-}" ]; then
    echo "bench: reusing peer results from $PEERS_FROM" >&2
    ln -sfn "$(cd "$PEERS_FROM" && pwd)" "$OUT/peers"
  else
    [ ${#peer_runs[@]} -eq 0 ] || RUNS="${peer_runs[*]}" ITER=$EPOCHS THREADS=$THREADS "$shared/bench/run-peers.sh" "$CORPUS" "$OUT/peers" >&2
    [ ${#hs_runs[@]} -eq 0 ] || run_w2v_hs
    # This machine's speed drifts by 20-40 % over the hour the peers take;
    # a wordvec run lasts a minute or two and would sample one moment of it.
    # Each wordvec run is timed again after the peers, and the table uses
    # the mean of both (WV_AGAIN=0 skips this).
    if [ "${WV_AGAIN:-1}" = 1 ]; then
      for r in "${wv_runs[@]}"; do run_wordvec "$r" "$OUT/$r/again" 0 " (again, after the peers)"; done
    fi
  fi
fi

# Quality of every result, by the shared gensim evaluator.
for d in "$OUT"/wv-* "$OUT"/peers/*/; do
  [ -d "$d" ] || continue
  v=$(ls "$d"/vectors.bin "$d"/vectors.txt "$d"/vectors.vec 2>/dev/null | head -1) || true
  [ -n "$v" ] && [ -s "$v" ] || continue
  [ -s "$d/eval.json" ] && [ "$d/eval.json" -nt "$v" ] && continue
  echo "bench: evaluating $v" >&2
  /usr/bin/python3 "$shared/bench/eval-vectors.py" "$v" "$root/data/questions-words.txt" "$root/data/ws353.tsv" \
      --json "$d/eval.json" > "$d/eval.txt" 2>&1 || echo "bench: evaluation of $v failed" >&2
done

/usr/bin/python3 "$here/report.py" "$OUT" "$CORPUS" "$EPOCHS" "$THREADS" "${PEERS_FROM:-}"
