#!/usr/bin/env bash
# Ingestion benchmark: the corpus as users hold it, against the plain file and against word2phrase.
#   1. the plain benchmark corpus against a gzip and a zstd copy: skip-gram defaults, THREADS threads,
#      EPOCHS epochs, the three alternated ROUNDS times; and identical vectors with --threads 1 (1 epoch)
#   2. 20 shards in a folder against their concatenation: same vocabulary, same vectors (--threads 1)
#   3. a corpus SCALE times the benchmark's (SCALE concatenated gzip members: 350M tokens), 2 epochs,
#      with its compact id copy in memory, with --cache-memory below its size (the copy spilled to a
#      file), and with --cache-memory 0 (the text re-read every epoch): each epoch's time, and the
#      disk the decoded copy took
#   4. `wordvec phrases` against word2phrase (src/word2phrase.c of npm word2vec@1.1.5, the package
#      ../shared/bench/run-peers.sh uses) with the same threshold: time, peak memory, phrases shared
#
#   make bench-ingest          full corpus (35M tokens)
#   QUICK=1 make bench-ingest  the 2M-token cut (SCALE 3)
# Environment: THREADS [2], EPOCHS [5], ROUNDS [2], SCALE [10; 3 with QUICK], OUT [bench-data/ingest-DATE],
#   STEPS ["speed same big phrases"] which parts to run (the report shows what ran),
#   WORDVEC, W2P_BUILD [~/.cache/run-peers/word2vec-1.1.5] where word2phrase is built.
# Output: OUT/report.md (also printed).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
QUICK=${QUICK:-0}; THREADS=${THREADS:-2}; EPOCHS=${EPOCHS:-5}; ROUNDS=${ROUNDS:-2}
SCALE=${SCALE:-$([ "$QUICK" = 1 ] && echo 3 || echo 10)}
STEPS=${STEPS:-"speed same big phrases"}
step() { [[ " $STEPS " == *" $1 "* ]]; }
OUT_PREFIX=ingest
. "$here/setup.sh"
mkdir -p "$OUT/tmp"
log() { echo "bench-ingest: $*" >&2; }
timed() {  # NAME command...: GNU time's wall seconds and peak KB into OUT/NAME.time, stderr into OUT/NAME.log
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$@" 2> "$OUT/$name.log" > /dev/null \
    || { log "$name FAILED (see $OUT/$name.log)"; tail -3 "$OUT/$name.log" >&2; }
}

log "compressed copies of $CORPUS"
gzip -c < "$CORPUS" > "$OUT/corpus.txt.gz"
zstd -q -c < "$CORPUS" > "$OUT/corpus.txt.zst"
ls -lL "$CORPUS" "$OUT/corpus.txt.gz" "$OUT/corpus.txt.zst" | awk '{print $5, $NF}' > "$OUT/sizes.txt"

# 1. Speed: plain, gzip, zstd alternated, so the machine's drift hits all three alike.
step speed && for round in $(seq 1 "$ROUNDS"); do
  for form in plain gz zst; do
    input=$CORPUS; [ "$form" = plain ] || input=$OUT/corpus.txt.$form
    log "speed round $round: $form"
    timed "speed-$form-$round" "$WORDVEC" train --input "$input" --output "$OUT/tmp/v.bin" --epochs "$EPOCHS" \
        --threads "$THREADS" --dim 100 --temp-dir "$OUT/tmp"
  done
done
step same && log "identity with --threads 1"
step same && for form in plain gz zst; do
  input=$CORPUS; [ "$form" = plain ] || input=$OUT/corpus.txt.$form
  timed "same-$form" "$WORDVEC" train --input "$input" --output "$OUT/same-$form.bin" --epochs 1 --threads 1 \
      --dim 100 --save-vocab "$OUT/same-$form.vocab" --temp-dir "$OUT/tmp"
done

# 2. Shards.
if step same; then
  log "20 shards"
  mkdir -p "$OUT/shards"; split -n l/20 -d "$CORPUS" "$OUT/shards/part"
  timed shards "$WORDVEC" train --input "$OUT/shards" --output "$OUT/shards.bin" --epochs 1 --threads 1 --dim 100 \
      --save-vocab "$OUT/shards.vocab" --temp-dir "$OUT/tmp"
  rm -rf "$OUT/shards"
fi

# 3. Larger than --cache-memory.
if step big; then
  log "a corpus $SCALE times the benchmark's, as $SCALE gzip members"
  for _ in $(seq 1 "$SCALE"); do cat "$OUT/corpus.txt.gz"; done > "$OUT/big.txt.gz"
  for run in cached:8 spilled:0.05 reread:0; do
    timed "big-${run%%:*}" "$WORDVEC" train --input "$OUT/big.txt.gz" --output "$OUT/tmp/v.bin" --epochs 2 \
        --threads "$THREADS" --dim 100 --cache-memory "${run#*:}" --temp-dir "$OUT/tmp"
  done
  rm -f "$OUT/big.txt.gz" "$OUT/tmp/v.bin"
fi

# 4. Phrases against word2phrase.
W2P_BUILD=${W2P_BUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/run-peers/word2vec-1.1.5}
if step phrases && [ ! -x "$W2P_BUILD/package/src/word2phrase" ]; then
  log "building word2phrase from npm word2vec@1.1.5 in $W2P_BUILD"
  mkdir -p "$W2P_BUILD"
  ( cd "$W2P_BUILD" && npm pack word2vec@1.1.5 --silent > /dev/null && tar xzf word2vec-1.1.5.tgz \
      && make -s -C package/src word2phrase > /dev/null )
fi
if step phrases; then
log "phrases: word2phrase, then wordvec"
timed w2p "$W2P_BUILD/package/src/word2phrase" -train "$CORPUS" -output "$OUT/w2p.txt" -threshold 100 -min-count 5
timed wv-phrases "$WORDVEC" phrases --input "$CORPUS" --output "$OUT/wv-phrases.txt" --threshold 100 --min-count 5 \
    --threads "$THREADS" --top 1000
/usr/bin/python3 "$here/phrase_overlap.py" "$CORPUS" "$OUT/wv-phrases.txt" "$OUT/w2p.txt" "$OUT/wv-phrases.log" \
    > "$OUT/phrases.txt"
fi
rm -f "$OUT/w2p.txt" "$OUT/wv-phrases.txt" "$OUT/corpus.txt.gz" "$OUT/corpus.txt.zst"

/usr/bin/python3 "$here/ingest_report.py" "$OUT" "$CORPUS" "$THREADS" "$EPOCHS" "$ROUNDS" "$SCALE" | tee "$OUT/report.md"
