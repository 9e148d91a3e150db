#!/usr/bin/env bash
# SIGINT and SIGTERM stop a training run within a second, leave nothing
# behind and exit 128 + the signal (skip-gram, and GloVe spilling to disk).
# Times the command, so it runs alone (make cli-test, make sanitize), not
# beside other scripts.
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt bash tests/cli/stop_time.sh
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---- skip-gram
# (python restores SIGINT's default action, which bash ignores in background jobs)
for sig in INT TERM; do
  want=$([ $sig = INT ] && echo 130 || echo 143)
  rm -rf "$T/int"; mkdir -p "$T/int"
  interrupt "$sig" 2 "$T/int.log" -- "$WORDVEC" train --input "$CORPUS" --output "$T/int/v.bin" \
      --epochs 50 --dim 50 --threads 2 > "$T/int.result"
  read -r rc took < "$T/int.result"
  if [ "$rc" = "$want" ] && [ -z "$(ls -A "$T/int")" ] && grep -q interrupted "$T/int.log"; then ok
  else fail "SIG$sig: rc $rc, files: $(ls -A "$T/int"), log: $(tail -1 "$T/int.log")"; fi
  if [ "$(echo "$took < 1.0" | bc)" = 1 ]; then ok; else fail "SIG$sig took ${took}s to stop"; fi
done

# ---- GloVe, its co-occurrences spilling to --temp-dir
rm -rf "$T/gint"; mkdir -p "$T/gint/out" "$T/gint/tmp"
interrupt INT 1.5 "$T/gint.log" -- "$WORDVEC" train --model glove --input "$CORPUS" --output "$T/gint/out/v.bin" \
    --epochs 500 --dim 50 --threads 2 --memory 0.002 --temp-dir "$T/gint/tmp" > "$T/gint.result"
read -r rc took < "$T/gint.result"
if [ "$rc" = 130 ] && [ -z "$(ls -A "$T/gint/out")" ] && [ -z "$(ls -A "$T/gint/tmp")" ] \
   && [ "$(echo "$took < 1.0" | bc)" = 1 ]; then ok
else fail "glove SIGINT: rc $rc after ${took}s, left: $(ls -A "$T/gint/out" "$T/gint/tmp")"; fi

echo "stop time: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
