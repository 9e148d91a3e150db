#!/usr/bin/env bash
# Short multithreaded runs of every trainer under ThreadSanitizer (make tsan).
#   WORDVEC=build-tsan/wordvec CORPUS=build/data/corpus.txt bash tests/tsan/run.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORDVEC=${WORDVEC:-build-tsan/wordvec}
CORPUS=${CORPUS:-build/data/corpus.txt}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
head -c 600000 "$CORPUS" > "$T/corpus.txt"   # ~100k tokens: enough for every thread to work
# No suppressions: the Makefile builds the SIMD kernels (the only code touching
# embedding rows, where Hogwild races are intended) without instrumentation.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
export OPENBLAS_NUM_THREADS=1  # OpenBLAS's own threads are not instrumented
run() {
  local name=$1; shift
  if "$@" > "$T/$name.log" 2>&1; then echo "tsan: $name ok"
  else echo "tsan: $name FAILED"; grep -A30 -m1 'WARNING: ThreadSanitizer' "$T/$name.log" || tail -20 "$T/$name.log"; exit 1; fi
}
run skipgram "$WORDVEC" train --input "$T/corpus.txt" --output "$T/sg.bin" --dim 32 --epochs 1 --threads 3
run cbow "$WORDVEC" train --input "$T/corpus.txt" --output "$T/cbow.bin" --model cbow --dim 32 --epochs 1 --threads 3
run skipgram-exact "$WORDVEC" train --input "$T/corpus.txt" --output "$T/sgx.bin" --update exact --dim 16 --epochs 1 --threads 3
run glove "$WORDVEC" train --model glove --input "$T/corpus.txt" --output "$T/glove.bin" --dim 16 --epochs 2 \
    --threads 3 --memory 0.002 --temp-dir "$T"
run sweep "$WORDVEC" dim --sweep --input "$T/corpus.txt" --eval-similarity "$here/../../data/ws353.tsv" \
    --dims 8,16 --epochs 1 --threads 3 --sweep-output "$T/sweep"
# Model files: a continued model and frozen rows, with several threads.
run sg-model "$WORDVEC" train --input "$T/corpus.txt" --save-model "$T/sg.wvm" --dim 32 --epochs 1 --threads 3
run sg-continue "$WORDVEC" train --continue "$T/sg.wvm" --input "$T/corpus.txt" --save-model "$T/sg2.wvm" --threads 3
run sg-freeze "$WORDVEC" train --input "$T/corpus.txt" --output "$T/sgf.bin" --init "$T/sg.bin" --freeze-init --epochs 1 --threads 3
run cbow-freeze "$WORDVEC" train --model cbow --input "$T/corpus.txt" --output "$T/cbf.bin" --init "$T/sg.bin" --freeze-init \
    --epochs 1 --threads 3
# Subwords (the slot table, shared bucket rows) and hierarchical softmax (the shared path table).
run sg-subwords "$WORDVEC" train --input "$T/corpus.txt" --save-model "$T/sub.wvm" --subwords --buckets 10000 --dim 16 \
    --epochs 1 --threads 3
run sg-subwords-hs "$WORDVEC" train --input "$T/corpus.txt" --output "$T/subhs.bin" --subwords --buckets 10000 --loss hs \
    --dim 16 --epochs 1 --threads 3
run cbow-subwords "$WORDVEC" train --model cbow --input "$T/corpus.txt" --output "$T/cbsub.bin" --subwords --buckets 10000 \
    --dim 16 --epochs 1 --threads 3
run sg-hs "$WORDVEC" train --input "$T/corpus.txt" --output "$T/hs.bin" --loss hs --dim 16 --epochs 1 --threads 3
run cbow-hs "$WORDVEC" train --model cbow --input "$T/corpus.txt" --output "$T/cbhs.bin" --loss hs --dim 16 --epochs 1 --threads 3
run nn-subwords "$WORDVEC" nn --vectors "$T/sub.wvm" kingdomz
run eval "$WORDVEC" eval --vectors "$T/sg.bin" --analogy "$here/../../data/questions-words.txt"
# Snapshots pause every worker at the gate, many times over; then the runs resume.
run sg-checkpoints "$WORDVEC" train --input "$T/corpus.txt" --output "$T/sgc.bin" --dim 16 --epochs 2 --threads 3 \
    --checkpoint "$T/sg.ckpt" --checkpoint-every 1e-5
run sg-resume "$WORDVEC" train --resume "$T/sg.ckpt" --output "$T/sgr.bin"
run cbow-checkpoints "$WORDVEC" train --model cbow --input "$T/corpus.txt" --output "$T/cbc.bin" --dim 16 --epochs 2 \
    --threads 3 --checkpoint "$T/cbow.ckpt" --checkpoint-every 1e-5
# Hierarchical softmax: each worker merges its copies of the busy nodes before it pauses.
run hs-checkpoints "$WORDVEC" train --loss hs --input "$T/corpus.txt" --output "$T/hsc.bin" --dim 16 --epochs 2 \
    --threads 3 --checkpoint "$T/hs.ckpt" --checkpoint-every 1e-5
run hs-resume "$WORDVEC" train --resume "$T/hs.ckpt" --output "$T/hsr.bin"
run glove-checkpoints "$WORDVEC" train --model glove --input "$T/corpus.txt" --output "$T/gc.bin" --dim 8 --epochs 3 \
    --threads 3 --checkpoint "$T/glove.ckpt" --checkpoint-every 1e-5
run glove-resume "$WORDVEC" train --resume "$T/glove.ckpt" --output "$T/gr.bin"
# A stop signal mid-training: the watcher thread, the last snapshot, the exit path.
"$WORDVEC" train --input "$T/corpus.txt" --output "$T/sig.bin" --dim 16 --epochs 200 --threads 3 \
    --checkpoint "$T/sig.ckpt" > "$T/signal.log" 2>&1 &
pid=$!; sleep 3; kill -TERM $pid; rc=0; wait $pid || rc=$?
if [ "$rc" = 143 ] && ! grep -q 'WARNING: ThreadSanitizer' "$T/signal.log" && [ -s "$T/sig.ckpt" ]; then echo "tsan: signal ok"
else echo "tsan: signal FAILED (exit $rc)"; grep -A30 -m1 'WARNING: ThreadSanitizer' "$T/signal.log" || tail -5 "$T/signal.log"; exit 1; fi
echo "tsan: no data races outside the documented Hogwild updates"
