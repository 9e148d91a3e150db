#!/usr/bin/env bash
# A walk-through of the wordvec command: size, train, look at the vectors.
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt OUT=/tmp bash examples/walkthrough.sh
set -euo pipefail
WORDVEC=${WORDVEC:-build/wordvec}
CORPUS=${CORPUS:-build/data/corpus.txt}
OUT=${OUT:-$(mktemp -d)}

# 1. How many dimensions does this vocabulary need?
"$WORDVEC" dim --input "$CORPUS" --min-count 5

# 2. Train skip-gram vectors (dimension chosen automatically), word2vec binary.
"$WORDVEC" train --input "$CORPUS" --output "$OUT/vectors.bin" --epochs 1 --quiet

# 3. Nearest neighbours, from arguments and from a pipe.
"$WORDVEC" nn --vectors "$OUT/vectors.bin" -k 5 paris
printf 'river\nmusic\n' | "$WORDVEC" nn --vectors "$OUT/vectors.bin" -k 5
