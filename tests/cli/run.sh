#!/usr/bin/env bash
# End-to-end tests of the wordvec command: real runs, exit codes, messages, files left behind.
# Runs beside other scripts (tests/cli/together.sh); what times the command is in stop_time.sh.
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt bash tests/cli/run.sh
set -u  # no pipefail: "cmd | grep -q" must judge by grep, not by cmd's SIGPIPE
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

train() { "$WORDVEC" train --quiet --epochs 1 --threads 2 "$@"; }


# ---- help
if "$WORDVEC" train --help | grep -q -- '--negative' && "$WORDVEC" train --help | grep -q 'min-count' \
   && "$WORDVEC" dim --help | grep -q 'minimum-entropy' && "$WORDVEC" --help | grep -q 'nn'; then ok; else fail "help texts"; fi
# --version: release, commit, compiler, kernels, BLAS; 'help CMD' is 'CMD --help'.
version=$("$WORDVEC" --version)
if [[ $version == "wordvec "[0-9]*.[0-9]*.[0-9]* ]] && grep -q "^compiler: " <<< "$version" \
   && grep -Eq "^SIMD kernels: (scalar|avx2|avx512) " <<< "$version" && grep -q "^BLAS: OpenBLAS" <<< "$version" \
   && [ "$("$WORDVEC" version)" = "$version" ]; then ok; else fail "--version: $version"; fi
[[ $(WORDVEC_SIMD=scalar "$WORDVEC" --version) == *"SIMD kernels: scalar"* ]] && ok || fail "--version under WORDVEC_SIMD=scalar"
if [ "$("$WORDVEC" help train)" = "$("$WORDVEC" train --help)" ] && [ "$("$WORDVEC" help)" = "$("$WORDVEC" --help)" ]; then ok
else fail "'wordvec help train' is not 'wordvec train --help'"; fi
expect_error "help of an unknown command" 2 "unknown command 'bogus'" -- "$WORDVEC" help bogus
expect_error "unknown command" 2 "unknown command 'frobnicate'" -- "$WORDVEC" frobnicate
expect_error "unknown option" 2 "unrecognised option" -- "$WORDVEC" train --input "$CORPUS" --output "$T/out/v.bin" --bogus 1
expect_error "missing --output" 2 "output" -- "$WORDVEC" train --input "$CORPUS"

# ---- bad inputs: one clear line, non-zero exit, nothing written
printf '' > "$T/empty.txt"
printf ' \n\t \n' > "$T/blank.txt"
printf 'a b c d e\n' > "$T/rare.txt"
expect_error "missing corpus" 1 "$T/nope.txt: No such file or directory" -- train --input "$T/nope.txt" --output "$T/out/v.bin"
mkdir -p "$T/no-files/.hidden"; touch "$T/no-files/.hidden/x.txt"
expect_error "corpus is a folder without files" 1 "no-files: is a folder with no files" -- train --input "$T/no-files" --output "$T/out/v.bin"
expect_error "empty corpus" 1 "empty.txt: the corpus is empty" -- train --input "$T/empty.txt" --output "$T/out/v.bin"
expect_error "blank corpus" 1 "no words" -- train --input "$T/blank.txt" --output "$T/out/v.bin"
expect_error "nothing reaches min-count" 1 "min-count" -- train --input "$T/rare.txt" --output "$T/out/v.bin"
expect_error "unwritable output folder" 1 "does not exist" -- train --input "$CORPUS" --output "$T/out/missing/v.bin"
expect_error "output is the input" 1 "same file as --input" -- train --input "$T/rare.txt" --output "$T/rare.txt"
expect_error "window 0" 2 "--window must be between 1 and 1000" -- train --input "$CORPUS" --output "$T/out/v.bin" --window 0
expect_error "negative sample" 2 "--sample must be in [0, 1)" -- train --input "$CORPUS" --output "$T/out/v.bin" --sample -1
expect_error "share-negatives 65" 2 "--share-negatives must be between 1 and 64" -- train --input "$CORPUS" --output "$T/out/v.bin" --share-negatives 65
expect_error "bad model" 2 "unknown model 'glove2' (valid: skipgram, cbow, glove)" -- train --input "$CORPUS" --output "$T/out/v.bin" --model glove2
expect_error "bad format" 2 "unknown vector format 'csv'" -- train --input "$CORPUS" --output "$T/out/v.bin" --format csv
expect_error "bad dim" 2 "--dim must be 'auto' or a whole number between 1 and 10000, got '-3'" -- train --input "$CORPUS" --output "$T/out/v.bin" --dim -3
expect_error "dim beyond int" 2 "--dim must be 'auto' or a whole number between 1 and 10000, got '99999999999'" -- train --input "$CORPUS" --output "$T/out/v.bin" --dim 99999999999
# A number the option's type cannot hold (negative for a count, beyond int, not
# whole) is refused with the range its options struct gives, as 0 would be.
while IFS='|' read -r flags fragment; do
  # shellcheck disable=SC2086
  expect_error "unreadable number: $flags" 2 "$fragment" -- train --input "$CORPUS" --output "$T/out/v.bin" $flags
done <<'RANGES'
--epochs 4294967296|--epochs takes a whole number between 1 and 100000, got '4294967296'
--epochs 2.5|--epochs takes a whole number between 1 and 100000, got '2.5'
--window 1e3|--window takes a whole number between 1 and 1000, got '1e3'
--model glove --window 1e3|--window takes a whole number between 1 and 20, got '1e3'
--model glove --epochs 99999999999|--epochs takes a whole number between 0 and 100000 (0 = only count), got
--threads -1|--threads takes a whole number between 0 and 1024 (0 = all cores), got '-1'
--negative 4294967297|--negative takes a whole number between 1 and 64, got
--subwords --buckets -5|--buckets takes a whole number between 1 and 2000000000
--phrases 99999999999|--phrases takes a whole number between 0 and 10 (0 = no phrases)
--sample abc|--sample takes a number in [0, 1) (0 = no subsampling), got 'abc'
--checkpoint-every x|--checkpoint-every takes a number in (0, 1000000] (minutes), got 'x'
--min-count -3|--min-count takes a whole number between 0 and 
RANGES
expect_error "phrases: unreadable min-count" 2 "--min-count takes a whole number between 1 and" -- "$WORDVEC" phrases --input "$CORPUS" --output "$T/out/p.txt" --min-count -1
# A read-only folder: root writes anywhere, so as root the check runs as nobody (never skipped).
mkdir -p "$T/ro"; chmod 555 "$T/ro"
as_user=()
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$T"; cp "$CORPUS" "$T/ro-corpus.txt"; chmod 644 "$T/ro-corpus.txt"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
expect_error "read-only folder" 1 "not writable" -- "${as_user[@]}" "$WORDVEC" train --quiet --epochs 1 \
  --input "$([ ${#as_user[@]} -gt 0 ] && echo "$T/ro-corpus.txt" || echo "$CORPUS")" --output "$T/ro/v.bin"
expect_error "output is a device" 1 "not a regular file" -- train --input "$CORPUS" --output /dev/null
# A full disk: the file size limit makes writes fail past 200 KiB (SIGXFSZ ignored so write() reports EFBIG).
full_disk() { ( trap '' XFSZ; ulimit -f 200; exec "$@" ); }
expect_error "disk full" 1 "write failed" -- full_disk "$WORDVEC" train --quiet --epochs 1 --threads 2 --dim 30 --input "$CORPUS" --output "$T/out/v.bin"

# ---- a real training run: files, format, progress and neighbours
mkdir -p "$T/run"
if "$WORDVEC" train --input "$CORPUS" --output "$T/run/v.txt" --format text --epochs 1 --dim 30 --threads 2 \
     --save-vocab "$T/run/vocab.txt" > "$T/run/stdout" 2> "$T/run/log"; then ok; else fail "training run: $(tail -3 "$T/run/log")"; fi
words=$(head -1 "$T/run/v.txt" | cut -d' ' -f1)
if [ "$(head -1 "$T/run/v.txt" | cut -d' ' -f2)" = 30 ] && [ "$(wc -l < "$T/run/v.txt")" -eq $((words + 1)) ] \
   && [ "$(wc -l < "$T/run/vocab.txt")" -eq "$words" ]; then ok; else fail "text output shape"; fi
if grep -q 'words/s/thread' "$T/run/log" && grep -q 'wrote' "$T/run/log"; then ok; else fail "progress/log lines"; fi
if [ "$(head -2 "$T/run/vocab.txt" | cut -d' ' -f1 | tr '\n' ' ')" = "the of " ]; then ok; else fail "vocabulary order"; fi
if [ -z "$(ls "$T/run" | grep '\.tmp\.')" ]; then ok; else fail "temporary file left behind"; fi
# The answers, not only the lines around them, on a model trained well enough to know them
# (one thread and a seed: the same vectors every run): every neighbour of a number is a number.
"$WORDVEC" train --quiet --input "$CORPUS" --output "$T/run/q.txt" --format text --dim 50 --epochs 5 --threads 1 --seed 1 2> /dev/null
NUMBERS='(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)'
if [ "$("$WORDVEC" nn --vectors "$T/run/q.txt" -k 3 three | grep -cE "^  $NUMBERS +0\.[0-9]{4}$")" = 3 ]; then ok
else fail "nn three: $("$WORDVEC" nn --vectors "$T/run/q.txt" -k 3 three)"; fi
printf 'three\nqwertyuiop\nseven\n' | "$WORDVEC" nn --vectors "$T/run/q.txt" -k 2 > "$T/run/pipe.out"; rc=$?
if [ "$rc" = 0 ] && [ "$(sed -n 1p "$T/run/pipe.out")" = "three:" ] && [ "$(sed -n 2,3p "$T/run/pipe.out" | grep -cE "^  $NUMBERS ")" = 2 ] \
   && [ "$(sed -n 4p "$T/run/pipe.out")" = "qwertyuiop: not in the vocabulary" ] && [ "$(sed -n 5p "$T/run/pipe.out")" = "seven:" ] \
   && [ "$(sed -n 6,7p "$T/run/pipe.out" | grep -cE "^  $NUMBERS ")" = 2 ] && [ "$(wc -l < "$T/run/pipe.out")" = 7 ]; then ok
else fail "nn from a pipe (exit $rc): $(cat "$T/run/pipe.out")"; fi
# conversions: text -> glove -> npy -> vec -> bin, then compare with the original (same words, same values)
for to in glove npy vec bin; do
  src=$(ls "$T/run"/conv.* 2>/dev/null | grep -v words.txt | head -1); src=${src:-$T/run/v.txt}
  "$WORDVEC" convert --input "$src" --output "$T/run/next.$to" --to $to --quiet || fail "convert to $to"
  rm -f "$T/run"/conv.*; mv "$T/run/next.$to" "$T/run/conv.$to"; [ $to = npy ] && mv "$T/run/next.words.txt" "$T/run/conv.words.txt"
done
"$WORDVEC" convert --input "$T/run/conv.bin" --output "$T/run/back.txt" --to text --quiet
if cmp -s "$T/run/v.txt" "$T/run/back.txt"; then ok; else fail "text -> glove -> npy -> vec -> bin -> text changed the file"; fi
"$WORDVEC" convert --input "$T/run/v.txt" --output "$T/run/top.vec" --to vec --normalize --max-words 100 --quiet
if [ "$(head -1 "$T/run/top.vec")" = "100 30" ]; then ok; else fail "convert --max-words: $(head -1 "$T/run/top.vec")"; fi
# --normalize: every row has length 1, and the rows are the first 100 of the input, in order.
if /usr/bin/python3 - "$T/run/top.vec" "$T/run/v.txt" <<'PY'
import math, sys
top = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
src = [l.split()[0] for l in open(sys.argv[2]).read().splitlines()[1:101]]
assert [r[0] for r in top] == src
assert all(abs(math.sqrt(sum(float(x) ** 2 for x in r[1:])) - 1) < 1e-5 for r in top)
PY
then ok; else fail "convert --normalize: rows are not unit length or not the input's first 100"; fi
# --to projector: a folder (made when missing) with TensorBoard's vectors.tsv (the values, tab-separated)
# and metadata.tsv (the words); a path that is a file, or whose parent is missing, is refused.
"$WORDVEC" convert --input "$T/run/v.txt" --output "$T/run/projector" --to projector --quiet
if /usr/bin/python3 - "$T/run/projector" "$T/run/v.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[2]).read().splitlines()[1:]]
values = [l.split("\t") for l in open(sys.argv[1] + "/vectors.tsv").read().splitlines()]
words = open(sys.argv[1] + "/metadata.tsv").read().splitlines()
assert words == [r[0] for r in rows], "metadata.tsv"
assert len(values) == len(rows) and all(len(v) == len(r) - 1 for v, r in zip(values, rows)), "vectors.tsv shape"
assert all(abs(float(a) - float(b)) < 1e-5 for v, r in zip(values, rows) for a, b in zip(v, r[1:])), "values"
PY
then ok; else fail "convert --to projector"; fi
expect_error "projector onto a file" 1 "is not a folder" -- "$WORDVEC" convert --input "$T/run/v.txt" --output "$T/run/v.txt" --to projector
expect_error "projector in a missing folder" 1 "does not exist" -- "$WORDVEC" convert --input "$T/run/v.txt" --output "$T/out/none/p" --to projector
# analogy: the answers of both methods (numbers for a number question), and an unknown word in a pipe.
for method in add mul; do
  "$WORDVEC" analogy --vectors "$T/run/q.txt" --method $method two three four -k 3 > "$T/run/analogy.out"; rc=$?
  if [ "$rc" = 0 ] && [ "$(head -1 "$T/run/analogy.out")" = "two : three :: four : ?" ] \
     && [ "$(sed -n 2p "$T/run/analogy.out" | awk '{print $1}')" = five ] \
     && [ "$(tail -n +2 "$T/run/analogy.out" | grep -cE "^  $NUMBERS +[0-9]\.[0-9]{4}$")" = 3 ] \
     && ! tail -n +2 "$T/run/analogy.out" | grep -qE '^  (two|three|four) '; then ok
  else fail "analogy --method $method: $(cat "$T/run/analogy.out")"; fi
done
printf 'two three four\nzzz yyy xxx\n' | "$WORDVEC" analogy --vectors "$T/run/q.txt" --method mul -k 2 > "$T/run/analogy.out"
if [ "$(sed -n 4p "$T/run/analogy.out")" = "zzz: not in the vocabulary" ] && [ "$(sed -n 2,3p "$T/run/analogy.out" | grep -cE "^  $NUMBERS ")" = 2 ]; then ok
else fail "analogy from a pipe: $(cat "$T/run/analogy.out")"; fi
# A count beyond its type (no options struct gives nn's -k a range) names the type's range.
expect_error "nn -k beyond its type" 2 "-k takes a whole number between 0 and 18446744073709551615, got '99999999999999999999'" \
  -- "$WORDVEC" nn --vectors "$T/run/q.txt" -k 99999999999999999999 three
printf '2 3\na 1 2 3\nb 1 x 3\n' > "$T/badvec.txt"
expect_error "malformed vectors" 1 "badvec.txt:3: value 2 is not a number" -- "$WORDVEC" nn --vectors "$T/badvec.txt" a
printf '2 3\na 1 2 3\na 4 5 6\n' > "$T/dupvec.txt"
if "$WORDVEC" nn --vectors "$T/dupvec.txt" a 2>&1 | grep -q "1 duplicate words dropped"; then ok; else fail "duplicate warning"; fi
expect_error "convert to unknown format" 2 "unknown vector format 'csv'" -- "$WORDVEC" convert --input "$T/run/v.txt" --output "$T/out/x" --to csv

# --dim auto logs the suggestion and uses it
if grep -q 'dimension:' "$T/run/log"; then fail "explicit --dim should not log the auto suggestion"; else ok; fi
train --input "$CORPUS" --output "$T/run/auto.bin" --dim auto 2> "$T/run/auto.log"
if [ "$(head -c 20 "$T/run/auto.bin" | head -1)" = "21201 83" ]; then ok; else fail "--dim auto: header $(head -c 20 "$T/run/auto.bin" | head -1)"; fi

# ---- GloVe: train, save and reuse the co-occurrences, spill under a tiny budget, bad options
mkdir -p "$T/glove" "$T/glove/tmp"
if "$WORDVEC" train --model glove --input "$CORPUS" --output "$T/glove/v.txt" --format glove --dim 30 --epochs 1 \
     --x-max 10 --threads 2 --memory 0.002 --temp-dir "$T/glove/tmp" --save-cooccurrence "$T/glove/x.cooc" \
     2> "$T/glove/log"; then ok; else fail "glove train: $(tail -2 "$T/glove/log")"; fi
if [ "$(wc -l < "$T/glove/v.txt")" -eq 21201 ] && [ "$(head -1 "$T/glove/v.txt" | wc -w)" -eq 31 ]; then ok
else fail "glove output shape: $(wc -l < "$T/glove/v.txt") lines"; fi
if grep -q 'spilled' "$T/glove/log" && ! grep -q ' 0 spilled' "$T/glove/log" && [ -z "$(ls -A "$T/glove/tmp")" ]; then ok
else fail "glove spill: $(grep spilled "$T/glove/log"); temp: $(ls -A "$T/glove/tmp")"; fi
if grep -q 'training GloVe.*loss' "$T/glove/log" && grep -q 'counting co-occurrences' "$T/glove/log"; then ok; else fail "glove progress lines"; fi
# Training again from the saved counts (no corpus) gives the same vectors with the same seed.
if "$WORDVEC" train --model glove --cooccurrence "$T/glove/x.cooc" --output "$T/glove/again.txt" --format glove \
     --dim 30 --epochs 1 --x-max 10 --threads 1 --quiet && \
   "$WORDVEC" train --model glove --input "$CORPUS" --output "$T/glove/one.txt" --format glove \
     --dim 30 --epochs 1 --x-max 10 --threads 1 --quiet && cmp -s "$T/glove/again.txt" "$T/glove/one.txt"; then ok
else fail "glove from --cooccurrence differs from counting again"; fi
if "$WORDVEC" train --model glove --input "$CORPUS" --epochs 0 --save-cooccurrence "$T/glove/only.cooc" --quiet \
   && cmp -s "$T/glove/only.cooc" "$T/glove/x.cooc"; then ok; else fail "glove count-only (--epochs 0)"; fi
expect_error "glove window 21" 2 "--window must be between 1 and 20, got 21" -- train --model glove --input "$CORPUS" --output "$T/out/v.bin" --window 21
expect_error "glove x-max 0" 2 "--x-max must be 'auto' or a positive number, got '0'" -- train --model glove --input "$CORPUS" --output "$T/out/v.bin" --x-max 0
expect_error "glove bias-alpha 0" 2 "--bias-alpha must be in (0, 10], got 0" -- train --model glove --input "$CORPUS" --output "$T/out/v.bin" --bias-alpha 0
# A flag of the other model family would do nothing: refused, for each such flag.
flag_name() { local f=${1#--}; echo "${f%% *}"; }
for flag in "--x-max 5" "--glove-alpha 0.5" "--bias-alpha 1" "--memory 1" "--no-distance-weighting" \
    "--glove-output word" "--save-cooccurrence $T/out/c.bin" "--cooccurrence $T/out/c.bin"; do
  # shellcheck disable=SC2086
  expect_error "skipgram $flag" 2 "--$(flag_name "$flag") applies to --model glove only" -- train --input "$CORPUS" --output "$T/out/v.bin" $flag
done
for flag in "--negative 3" "--sample 0" "--cache-memory 1" "--update exact" "--share-negatives 2"; do
  # shellcheck disable=SC2086
  expect_error "glove $flag" 2 "--$(flag_name "$flag") applies to --model skipgram and cbow only" -- train --model glove --input "$CORPUS" --output "$T/out/v.bin" $flag
done
expect_error "glove bad output kind" 2 "--glove-output must be sum, word or concat" -- train --model glove --input "$CORPUS" --output "$T/out/v.bin" --glove-output both
expect_error "glove diverges" 1 "--alpha is too high: GloVe training diverged" -- train --model glove --input "$CORPUS" --output "$T/out/v.bin" --alpha 10 --dim 10
head -c 1000 "$T/glove/x.cooc" > "$T/cut.cooc"
expect_error "truncated co-occurrences" 1 "cut.cooc: the header's vocabulary size 21201 is more than the file can hold" -- train --model glove --cooccurrence "$T/cut.cooc" --output "$T/out/v.bin"
# ---- checkpoints: interrupt, resume, refuse damaged or stale ones
mkdir -p "$T/ck"
cp "$CORPUS" "$T/ck/corpus.txt"
interrupt TERM "log:training " "$T/ck/log" -- "$WORDVEC" train --input "$T/ck/corpus.txt" --output "$T/ck/v.bin" --epochs 6 \
    --dim 40 --threads 2 --checkpoint "$T/ck/run.ckpt" > "$T/ck/result"
read -r rc took < "$T/ck/result"
if [ "$rc" = 143 ] && [ -s "$T/ck/run.ckpt" ] && [ ! -e "$T/ck/v.bin" ] && grep -q -- '--resume' "$T/ck/log"; then ok
else fail "checkpoint on SIGTERM: rc $rc, $(ls "$T/ck"), $(tail -1 "$T/ck/log")"; fi
cp "$T/ck/run.ckpt" "$T/ck/copy.ckpt"
if "$WORDVEC" train --resume "$T/ck/run.ckpt" --output "$T/ck/v.bin" --quiet && [ -s "$T/ck/v.bin" ]; then ok
else fail "resume from checkpoint"; fi
# Interrupted and resumed with one thread = uninterrupted, byte for byte (skip-gram, CBOW, GloVe).
for model in skipgram cbow glove; do
  rm -f "$T/ck/one.ckpt"
  epochs=$([ $model = glove ] && echo 10 || echo 8)
  args=(--model $model --input "$T/ck/copy-corpus.txt" --dim 24 --epochs "$epochs" --threads 1 --seed 3)
  [ -e "$T/ck/copy-corpus.txt" ] || head -c 3000000 "$CORPUS" > "$T/ck/copy-corpus.txt"  # ~500k tokens: quick under ASan too
  "$WORDVEC" train --quiet "${args[@]}" --output "$T/ck/straight.bin"
  # SIGTERM once the first checkpoint exists (GloVe counts first, then writes one per epoch end)
  interrupt TERM "file:$T/ck/one.ckpt" "$T/ck/one.log" -- "$WORDVEC" train "${args[@]}" --output "$T/ck/resumed.bin" \
      --checkpoint "$T/ck/one.ckpt" --checkpoint-every 0.001 > "$T/ck/one.result"
  read -r rc took < "$T/ck/one.result"
  if [ "$rc" = 143 ] && [ -s "$T/ck/one.ckpt" ] && "$WORDVEC" train --quiet --resume "$T/ck/one.ckpt" --output "$T/ck/resumed.bin" \
     && cmp -s "$T/ck/straight.bin" "$T/ck/resumed.bin"; then ok
  else fail "$model interrupted (exit $rc) + resumed differs from uninterrupted: $(tail -1 "$T/ck/one.log")"; fi
done
head -c 100000 "$T/ck/copy.ckpt" > "$T/ck/cut.ckpt"
expect_error "truncated checkpoint" 1 "cut.ckpt: the vocabulary size 21201 is more than the file holds (truncated or corrupt)" -- "$WORDVEC" train --resume "$T/ck/cut.ckpt" --output "$T/out/v.bin"
echo "one more line" >> "$T/ck/corpus.txt"
expect_error "corpus changed since the checkpoint" 1 "the corpus changed since the checkpoint" -- "$WORDVEC" train --resume "$T/ck/copy.ckpt" --output "$T/out/v.bin"
expect_error "resume without output" 2 "--output is required" -- "$WORDVEC" train --resume "$T/ck/copy.ckpt"

# ---- dim
if "$WORDVEC" dim 100000 5000000 | tr -s ' ' | grep -c -e 'N = 100000 dimension 96 ' -e 'N = 5000000 dimension 128 ' | grep -q 2; then ok
else fail "dim reference values: $("$WORDVEC" dim 100000 5000000)"; fi
if "$WORDVEC" dim --json 1e12 | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[0]["dimension"]==230 and d[0]["entropy_at"]<0' 2>/dev/null; then ok
else fail "dim --json"; fi
if [ "$("$WORDVEC" dim --table | wc -l)" -eq 12 ]; then ok; else fail "dim --table"; fi
expect_error "dim N=1" 2 "whole numbers >= 2" -- "$WORDVEC" dim 1
expect_error "dim non-numeric" 2 "whole numbers >= 2" -- "$WORDVEC" dim lots
if "$WORDVEC" dim --input "$CORPUS" 2>&1 | grep -q 'N = 21201 .* dimension   83'; then ok; else fail "dim --input: $("$WORDVEC" dim --input "$CORPUS" 2>&1)"; fi

# ---- dimension sweep on the bundled corpus: small dims, one epoch, a valid CSV and SVG
mkdir -p "$T/sweep"
if "$WORDVEC" dim --sweep --input "$CORPUS" --eval-similarity "$DATA/ws353.tsv" --eval-analogy "$DATA/questions-words.txt" \
     --dims 8,16 --epochs 1 --sweep-output "$T/sweep/s" > "$T/sweep/stdout" 2> "$T/sweep/log"; then ok
else fail "sweep: $(tail -2 "$T/sweep/log")"; fi
if [ "$(head -1 "$T/sweep/s.csv")" = 'dim,words,suggested,seconds,"ws353.tsv (rho)","questions-words.txt (acc)"' ] \
   && [ "$(wc -l < "$T/sweep/s.csv")" -eq 3 ] && grep -q 'estimated' "$T/sweep/log"; then ok; else fail "sweep CSV: $(cat "$T/sweep/s.csv")"; fi
if /usr/bin/python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); assert len(d.getElementsByTagName("polyline")) == 2' "$T/sweep/s.svg"; then ok
else fail "sweep SVG is not valid XML with two lines"; fi
expect_error "sweep without evaluation set" 1 "at least one evaluation set" -- "$WORDVEC" dim --sweep --input "$CORPUS" --sweep-output "$T/out/s"
# ---- dim --trend: a second vocabulary size, the knee of each curve beside its suggestion
if "$WORDVEC" dim --sweep --input "$CORPUS" --max-vocab 5000 --eval-similarity "$DATA/ws353.tsv" \
     --eval-analogy "$DATA/questions-words.txt" --dims 8,16 --epochs 1 --sweep-output "$T/sweep/s5000" > /dev/null 2>&1 \
   && "$WORDVEC" dim --trend "$T/sweep/s.csv" "$T/sweep/s5000.csv" --trend-output "$T/sweep/trend" > "$T/sweep/trend.txt" 2>&1 \
   && /usr/bin/python3 - "$T/sweep" <<'PY'
import csv, sys, xml.dom.minidom as m
folder = sys.argv[1]
rows = list(csv.DictReader(open(folder + "/trend.csv")))
assert [r["words"] for r in rows] == ["5000", "21201"], rows
assert [r["suggested"] for r in rows] == ["71", "83"], rows
for r in rows:   # the knee is one of the swept dimensions
    assert r['knee questions-words.txt (acc)'] in ("8", "16") and r['knee ws353.tsv (rho)'] in ("8", "16"), r
assert len(m.parse(folder + "/trend.svg").getElementsByTagName("polyline")) == 3
assert len(m.parse(folder + "/trend-curves.svg").getElementsByTagName("polyline")) == 2
PY
then ok; else fail "dim --trend: $(cat "$T/sweep/trend.txt" 2>/dev/null | tail -3)"; fi
# A folder works as well as its files (other CSVs in it are skipped).
cp "$T/sweep/trend.csv" "$T/sweep/other.csv"
if "$WORDVEC" dim --trend "$T/sweep" --trend-output "$T/sweep/trend2" > /dev/null 2>&1 && cmp -s "$T/sweep/trend.csv" "$T/sweep/trend2.csv"; then ok
else fail "dim --trend FOLDER differs from the files"; fi
expect_error "trend of a CSV that is no sweep" 1 "other.csv:1: not a dimension sweep CSV" -- "$WORDVEC" dim --trend "$T/sweep/other.csv" --trend-output "$T/out/t"
expect_error "trend of a missing file" 1 "nothere.csv" -- "$WORDVEC" dim --trend "$T/sweep/nothere.csv" --trend-output "$T/out/t"
expect_error "trend of a folder without sweeps" 1 "no dimension sweep CSVs" -- "$WORDVEC" dim --trend "$T/out" --trend-output "$T/out/t"
expect_error "trend tolerance 0" 2 "(0, 1)" -- "$WORDVEC" dim --trend "$T/sweep/s.csv" --tolerance 0 --trend-output "$T/out/t"
expect_error "trend tolerance 1" 2 "(0, 1)" -- "$WORDVEC" dim --trend "$T/sweep/s.csv" --tolerance 1 --trend-output "$T/out/t"
expect_error "trend writing over its input" 1 "s.csv" -- "$WORDVEC" dim --trend "$T/sweep/s.csv" --trend-output "$T/sweep/s"
head -2 "$T/sweep/s.csv" | sed 's/,"questions-words.txt (acc)"//; s/,[0-9.]*$//' > "$T/sweep/fewer.csv"
expect_error "trend of sweeps with different scores" 1 "different evaluation sets" -- "$WORDVEC" dim --trend "$T/sweep/s.csv" "$T/sweep/fewer.csv" --trend-output "$T/out/t"
expect_error "sweep restrict-vocab 0" 2 "1 or more" -- "$WORDVEC" dim --sweep --input "$CORPUS" --eval-similarity "$DATA/ws353.tsv" --restrict-vocab 0 --sweep-output "$T/out/s"

# ---- Corpus input: compressed files, folders of shards, standard input, read once.
I="$T/in"; rm -rf "$I"; mkdir -p "$I/shards/sub" "$I/shards/.hidden" "$I/tmp"
# A quarter of the corpus keeps these runs short (they run under the sanitizers too).
head -n 8000 "$CORPUS" > "$I/text.txt"; TEXT="$I/text.txt"
small() { "$WORDVEC" train --quiet --threads 1 --epochs 1 --dim 12 --min-count 3 --temp-dir "$I/tmp" "$@"; }
small --input "$TEXT" --output "$I/plain.bin" || fail "plain baseline"
gzip -c "$TEXT" > "$I/c.gz"; bzip2 -c "$TEXT" > "$I/c.bz2"; xz -0 -c "$TEXT" > "$I/c.xz"; zstd -q -c "$TEXT" > "$I/c.zst"
cp "$I/c.zst" "$I/zstd-named.txt"  # recognised by content, not by name
for f in c.gz c.bz2 c.xz c.zst zstd-named.txt; do
  if small --input "$I/$f" --output "$I/v.bin" && cmp -s "$I/v.bin" "$I/plain.bin"; then ok
  else fail "$f: vectors differ from the plain corpus's with --threads 1"; fi
done
if cat "$I/c.gz" "$I/c.gz" > "$I/twice.gz" && cat "$TEXT" "$TEXT" > "$I/twice.txt" && small --input "$I/twice.gz" --output "$I/v.bin" \
   && small --input "$I/twice.txt" --output "$I/w.bin" && cmp -s "$I/v.bin" "$I/w.bin"; then ok
else fail "concatenated gzip members: not the concatenated text"; fi
if zstd -dc "$I/c.zst" | small --input - --output "$I/v.bin" && cmp -s "$I/v.bin" "$I/plain.bin"; then ok; else fail "standard input"; fi
if small --input "$I/c.gz" --input "$I/c.gz" --output "$I/v.bin" && small --input "$I/twice.txt" --output "$I/w.bin" \
   && cmp -s "$I/v.bin" "$I/w.bin"; then ok; else fail "--input given twice: not both files in order"; fi
# A FIFO can be read only once: training from one shows the input is read once.
mkfifo "$I/fifo"; (gzip -dc "$I/c.gz" > "$I/fifo" &)
if small --input "$I/fifo" --output "$I/v.bin" && cmp -s "$I/v.bin" "$I/plain.bin"; then ok; else fail "named pipe (read once)"; fi
# 20 shards in a folder (some compressed, one in a subfolder, hidden files skipped) = their concatenation.
split -n l/20 -d "$TEXT" "$I/shards/part"
mv "$I/shards/part19" "$I/shards/sub/part19"; gzip "$I/shards/part1"[0-4]; echo "hidden words" > "$I/shards/.hidden/x.txt"
( cd "$I/shards" && for f in $(find . -type f ! -path './.*' | sort); do case $f in *.gz) gzip -dc "$f";; *) cat "$f";; esac; done ) > "$I/joined.txt"
if small --input "$I/shards" --output "$I/v.bin" && small --input "$I/joined.txt" --output "$I/w.bin" && cmp -s "$I/v.bin" "$I/w.bin"
then ok; else fail "a folder of 20 shards differs from their concatenation"; fi
if "$WORDVEC" train --threads 1 --epochs 1 --dim 12 --input "$I/shards" --glob 'part1*.gz' --output "$I/v.bin" 2>&1 | grep -c "read .*part1[0-4].gz (gzip)" | grep -qx 5
then ok; else fail "--glob 'part1*.gz' does not read exactly the 5 gzip shards"; fi
if [ -z "$(ls -A "$I/tmp")" ]; then ok; else fail "the decoded copy was left in --temp-dir: $(ls -A "$I/tmp")"; fi
tokens=$("$WORDVEC" dim --input "$TEXT" 2>&1 | sed -n 's/.*text.txt: \([0-9]*\) tokens.*/\1/p')
if [ -n "$tokens" ] && "$WORDVEC" dim --input "$I/c.gz" 2>&1 | grep -q "c.gz: $tokens tokens"; then ok; else fail "dim --input FILE.gz: not the plain file's $tokens tokens"; fi
head -c 100000 "$I/c.gz" > "$I/cut.gz"
printf 'ab\xff\xfe' > "$I/x"; python3 -c "import sys; open(sys.argv[1],'wb').write('some words here'.encode('utf-16'))" "$I/u16.txt"
gzip -c "$I/u16.txt" > "$I/u16.gz"; : > "$I/empty.txt"; gzip -c "$I/empty.txt" > "$I/empty.gz"
python3 -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[3000:3010]=bytes(10); open(sys.argv[2],'wb').write(d)" "$I/c.xz" "$I/bad.xz"
expect_error "truncated gzip" 1 "cut.gz: truncated gzip data" -- train --input "$I/cut.gz" --output "$T/out/v.bin" --temp-dir "$I/tmp"
expect_error "corrupt xz" 1 "bad.xz: corrupt xz data near byte" -- train --input "$I/bad.xz" --output "$T/out/v.bin" --temp-dir "$I/tmp"
expect_error "UTF-16 inside gzip" 1 "u16.gz: is UTF-16" -- train --input "$I/u16.gz" --output "$T/out/v.bin" --temp-dir "$I/tmp"
expect_error "empty after decompression" 1 "empty.gz: is empty (after decompression)" -- train --input "$I/empty.gz" --output "$T/out/v.bin" --temp-dir "$I/tmp"
expect_error "folder without matching files" 1 "shards: is a folder with no files matching --glob '*.bz2'" -- train --input "$I/shards" --glob '*.bz2' --output "$T/out/v.bin"
expect_error "glob without a folder" 1 "no --input is a folder" -- train --input "$I/c.gz" --glob '*.gz' --output "$T/out/v.bin"
expect_error "missing shard" 1 "nope.gz: No such file or directory" -- train --input "$I/c.gz" "$I/nope.gz" --output "$T/out/v.bin"
expect_error "empty standard input" 1 "standard input: is empty" -- sh -c "'$WORDVEC' train --input - --output '$T/out/v.bin' < /dev/null"
expect_error "checkpoint from standard input" 2 "standard input cannot be read twice" -- sh -c "cat '$TEXT' | '$WORDVEC' train --input - --output '$T/out/v.bin' --checkpoint '$T/out/ck'"
cp "$I/shards/part00" "$T/shard-copy.txt"
expect_error "output is a file of an input folder" 1 "same file as --input" -- train --input "$I/shards" --output "$I/shards/part00"
cmp -s "$I/shards/part00" "$T/shard-copy.txt" && ok || fail "the shard named as output was changed"
if [ -z "$(ls -A "$I/tmp")" ]; then ok; else fail "failed runs left files in --temp-dir: $(ls -A "$I/tmp")"; fi
# A checkpointed run over compressed shards resumes: the inputs are decoded again and must be unchanged.
read -r rc _ < <(interrupt TERM "file:$I/ck" "$I/ck.log" -- "$WORDVEC" train --input "$I/c.gz" "$I/shards" --output "$I/r.bin" --epochs 10 --dim 12 \
  --threads 2 --checkpoint "$I/ck" --checkpoint-every 1e-6 --temp-dir "$I/tmp")
if [ "$rc" = 143 ] && [ -s "$I/ck" ] && "$WORDVEC" train --resume "$I/ck" --output "$I/r.bin" --quiet && [ -s "$I/r.bin" ]; then ok
else fail "resume over compressed inputs: exit $rc, $(tail -1 "$I/ck.log")"; fi
touch "$I/shards/part01"; echo "extra words" >> "$I/shards/part01"
expect_error "resume after an input shard changed" 1 "the corpus changed since the checkpoint" -- "$WORDVEC" train --resume "$I/ck" --output "$T/out/r.bin"

# ---- Text preparation: prepare, phrases, normalisation flags, inline in train.
P="$T/prep"; rm -rf "$P"; mkdir -p "$P/tmp"
cat "$TEXT" > "$P/expected.txt"  # then the shards as they are now (a test above changed one)
( cd "$I/shards" && for f in $(find . -type f ! -path './.*' | sort); do case $f in *.gz) gzip -dc "$f";; *) cat "$f";; esac; done ) >> "$P/expected.txt"
for ext in txt gz bz2 xz zst; do
  case $ext in txt) cat=cat;; gz) cat="gzip -dc";; bz2) cat="bzip2 -dc";; xz) cat="xz -dc";; zst) cat="zstd -qdc";; esac
  if "$WORDVEC" prepare --quiet --input "$I/c.gz" "$I/shards" --output "$P/out.$ext" --temp-dir "$P/tmp" \
     && $cat "$P/out.$ext" | cmp -s - "$P/expected.txt"; then ok
  else fail "prepare --output out.$ext: not the inputs' text, compressed as its name says"; fi
done
if "$WORDVEC" prepare --quiet --input "$I/c.zst" --output - --compress gzip | gzip -dc | cmp -s - "$TEXT"; then ok
else fail "prepare --output - --compress gzip"; fi
printf 'ÉCOLE, Straße: «ΟΔΟΣ» ПРИВЕТ! 東京。\nDon'"'"'t pay $1,000.50 (twice)...\n' > "$P/scripts.txt"
printf 'école , straße : « οδος » привет ! 東京 。\ndon'"'"'t pay $ <num> ( twice ) ...\n' > "$P/scripts.expected"
if "$WORDVEC" prepare --quiet --input "$P/scripts.txt" --output "$P/scripts.out" --lowercase --split-punctuation \
     --number-token '<num>' && cmp -s "$P/scripts.out" "$P/scripts.expected"; then ok
else fail "prepare --lowercase --split-punctuation --number-token: $(cat "$P/scripts.out" 2>/dev/null)"; fi
if "$WORDVEC" prepare --quiet --input "$P/scripts.txt" --output - --casefold --nfkc | head -1 | grep -qx 'école, strasse: «οδοσ» привет! 東京。'
then ok; else fail "prepare --casefold --nfkc"; fi
# Inline normalisation and phrases train on exactly the text prepare and phrases write.
tr 'a-z' 'A-Z' < "$TEXT" | gzip -c > "$P/upper.gz"
if small --input "$P/upper.gz" --lowercase --output "$P/v.bin" && cmp -s "$P/v.bin" "$I/plain.bin"; then ok
else fail "train --lowercase on an uppercased copy differs from the original's vectors"; fi
if "$WORDVEC" phrases --input "$TEXT" --output "$P/phrased.txt" --threshold 50 --top 300 2> "$P/phrases.log" \
   && grep -q ' united_states ' "$P/phrased.txt" && grep -q '^los_angeles ' "$P/phrases.log" \
   && ! grep -q 'united states' "$P/phrased.txt"; then ok
else fail "phrases: united_states not formed: $(head -3 "$P/phrases.log")"; fi
if small --input "$P/phrased.txt" --output "$P/w.bin" && small --input "$TEXT" --phrases 1 --phrase-threshold 50 --output "$P/v.bin" \
   && cmp -s "$P/v.bin" "$P/w.bin"; then ok; else fail "train --phrases 1 differs from training on phrases' output"; fi
if "$WORDVEC" phrases --quiet --input "$TEXT" --output "$P/p2.txt" --threshold 50 --passes 2 \
   && [ "$(grep -o '[a-z]*_[a-z]*_[a-z_]*' "$P/p2.txt" | wc -l)" -gt 0 ] && [ "$(wc -l < "$P/p2.txt")" = "$(wc -l < "$TEXT")" ]
then ok; else fail "phrases --passes 2: no phrase of 3+ words, or lines lost"; fi
if [ -z "$(ls -A "$P/tmp")$(ls -A "$I/tmp")" ]; then ok; else fail "prepare/phrases left temporary files"; fi
expect_error "split-intraword alone" 2 "--split-intraword needs --split-punctuation" -- "$WORDVEC" prepare --input "$TEXT" --output "$T/out/x.txt" --split-intraword
expect_error "lowercase and casefold" 2 "--lowercase and --casefold: give one" -- train --input "$TEXT" --output "$T/out/v.bin" --lowercase --casefold
expect_error "number token with a space" 2 "--number-token must be one token" -- train --input "$TEXT" --output "$T/out/v.bin" --number-token 'a b'
expect_error "phrases out of range" 2 "--phrases must be between 0 and 10" -- train --input "$TEXT" --output "$T/out/v.bin" --phrases 11
expect_error "phrase threshold negative" 2 "--phrase-threshold must be between 0" -- train --input "$TEXT" --output "$T/out/v.bin" --phrases 1 --phrase-threshold -1
expect_error "passes out of range" 2 "--passes must be between 0 and 10" -- "$WORDVEC" phrases --input "$TEXT" --output "$T/out/x.txt" --passes 11
expect_error "unknown compression" 1 "unknown compression 'lz4'" -- "$WORDVEC" prepare --input "$TEXT" --output "$T/out/x.txt" --compress lz4
expect_error "prepare without output" 2 "--output is required" -- "$WORDVEC" prepare --input "$TEXT"
expect_error "phrases of a corrupt input" 1 "bad.xz: corrupt xz data" -- "$WORDVEC" phrases --input "$I/bad.xz" --output "$T/out/x.txt" --temp-dir "$P/tmp"
expect_error "normalising a counted co-occurrence file" 2 "apply to the --input text" -- "$WORDVEC" train --model glove --cooccurrence "$T/none.bin" --output "$T/out/v.bin" --lowercase
cp "$P/scripts.txt" "$P/scripts.copy"
expect_error "prepare over its own input" 1 "same file as --input" -- "$WORDVEC" prepare --input "$P" --glob 'scripts.txt' --output "$P/scripts.txt" --lowercase
cmp -s "$P/scripts.txt" "$P/scripts.copy" && ok || fail "prepare replaced its own input"
if [ -z "$(ls -A "$P/tmp")" ]; then ok; else fail "failed prepare/phrases runs left temporary files: $(ls -A "$P/tmp")"; fi
# Interrupted while reading (a pipe that stays open): no output, no temporary copy.
mkfifo "$P/fifo"; ( exec 3> "$P/fifo"; cat "$TEXT" >&3; sleep 4 ) &
read -r rc _ < <(interrupt TERM 2 "$P/int.log" -- "$WORDVEC" phrases --input "$P/fifo" --output "$P/int.txt" --temp-dir "$P/tmp")
if [ "$rc" = 143 ] && [ ! -e "$P/int.txt" ] && [ -z "$(ls -A "$P/tmp")" ]; then ok
else fail "phrases interrupted: exit $rc, output or temporary files left: $(ls -A "$P" "$P/tmp" | tr '\n' ' ')"; fi
wait
# A checkpointed run with normalisation and phrases resumes on the same prepared text.
read -r rc _ < <(interrupt TERM "file:$P/ck" "$P/ck.log" -- "$WORDVEC" train --input "$P/upper.gz" --lowercase --phrases 1 --output "$P/r.bin" \
  --epochs 10 --dim 12 --threads 2 --checkpoint "$P/ck" --checkpoint-every 1e-6 --temp-dir "$P/tmp")
if [ "$rc" = 143 ] && [ -s "$P/ck" ] && "$WORDVEC" train --resume "$P/ck" --output "$P/r.bin" --quiet && [ -s "$P/r.bin" ] \
   && "$WORDVEC" nn --vectors "$P/r.bin" united_states > /dev/null; then ok
else fail "resume with --lowercase --phrases: exit $rc, $(tail -1 "$P/ck.log")"; fi
expect_error "normalisation flag on resume" 2 "--lowercase cannot be given with --resume" -- "$WORDVEC" train --resume "$P/ck" --output "$T/out/r.bin" --lowercase

# ---- JSON: every document parses, whatever the file names hold; undefined is null; exit codes.
J=$T/json; mkdir -p "$J"
odd=$J/$'we"ird\\pa\nth-ünï.txt'
cp "$T/run/q.txt" "$odd"
jcheck() {  # NAME PYTHON_ASSERTION (d: the parsed document; path: the odd path) -- command...
  local name=$1 assertion=$2; shift 3
  if "$@" > "$J/out.json" 2> "$J/err" && /usr/bin/python3 - "$J/out.json" "$odd" "$assertion" <<'PY' 2> "$J/py.err"
import json, sys
text, path, assertion = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3]
try:
    docs = [json.loads(text)]  # one document, maybe indented
except json.JSONDecodeError:
    docs = [json.loads(line) for line in text.splitlines() if line.strip()]  # JSON lines
d = docs[0]
assert eval(assertion), assertion
PY
  then ok; else fail "$name: $(head -c 300 "$J/err") $(tail -1 "$J/py.err") :: $(head -c 300 "$J/out.json")"; fi
}
jcheck "eval --json with an odd path" 'd["vectors"] == path and 0 <= d["analogy"]["accuracy"] <= 1 and len(d["analogy"]["sections"]) > 0 and d["analogy"]["summary"][0]["name"] == "semantic"' \
  -- "$WORDVEC" eval --vectors "$odd" --analogy "$DATA/questions-words.txt" --similarity "$DATA/ws353.tsv" --json
printf 'two\tthree\t5\n' > "$J/one-pair.tsv"
jcheck "eval --json: an undefined correlation is null" 'd["similarity"][0]["spearman"] is None and d["similarity"][0]["pairs"] == 1' \
  -- "$WORDVEC" eval --vectors "$odd" --similarity "$J/one-pair.tsv" --json
jcheck "nn --json" 'len(docs) == 2 and d["word"] == "two" and len(d["neighbors"]) == 3 and docs[1]["neighbors"] is None and docs[1]["in_vocabulary"] is False' \
  -- "$WORDVEC" nn --vectors "$odd" --json -k 3 two qwertyuiop
jcheck "analogy --json" 'd["question"] == ["two", "three", "four"] and d["answers"][0]["word"] == "five" and d["unknown"] == []' \
  -- "$WORDVEC" analogy --vectors "$odd" --json -k 3 two three four
jcheck "convert --json with odd paths" 'd["input"] == path and d["output"] == path + ".vec" and d["format"] == "vec" and d["bytes"] > 0' \
  -- "$WORDVEC" convert --quiet --input "$odd" --output "$odd.vec" --to vec --json
jcheck "info --json with an odd path" 'd["file"] == path' -- "$WORDVEC" info --json "$odd"
jcheck "dim --json" 'd[0]["vocab_size"] == 100000 and isinstance(d[0]["vocab_size"], int) and d[0]["dimension"] > 0' \
  -- "$WORDVEC" dim --json 1e5
# nn and analogy exit 1 when nothing could be answered (as grep), after printing what they could.
"$WORDVEC" nn --vectors "$odd" qwertyuiop zxcvb > "$J/nn.out" 2>&1; rc=$?
[ "$rc" = 1 ] && [ "$(wc -l < "$J/nn.out")" = 2 ] && ok || fail "nn with only unknown words: exit $rc"
printf 'zzz yyy xxx\n' | "$WORDVEC" analogy --vectors "$odd" > /dev/null 2>&1; rc=$?
[ "$rc" = 1 ] && ok || fail "analogy with only unknown words: exit $rc"
printf 'qwertyuiop\ntwo\n' | "$WORDVEC" nn --vectors "$odd" -k 2 > /dev/null 2>&1; rc=$?
[ "$rc" = 0 ] && ok || fail "nn with one known word of two: exit $rc"

# ---- train --report: what the run did, written only when it succeeds.
R=$T/report; mkdir -p "$R"
"$WORDVEC" train --quiet --input "$CORPUS" --output "$R/v.bin" --save-model "$R/v.wvm" --epochs 2 --dim 20 --threads 2 \
  --report "$R/r.json" 2> /dev/null
if /usr/bin/python3 - "$R/r.json" "$R/v.bin" "$R/v.wvm" <<'PY'
import json, os, sys
d, vec, model = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
assert d["model"] == "skipgram" and d["dimension"] == {"value": 20, "requested": 20, "suggested": 83}, d["dimension"]
assert d["corpus"]["vocabulary_size"] == 21201 and d["corpus"]["words_per_epoch"] == d["corpus"]["vocabulary_words"] > 10**6
epochs = [e["epoch"] for e in d["training"]["epochs"]]  # an epoch shorter than a report interval may be missing
assert epochs == sorted(set(epochs)) and epochs[-1] == 2 and set(epochs) <= {1, 2}, d["training"]
assert all(0 < e["mean_loss"] < 5 for e in d["training"]["epochs"]), d["training"]
assert d["training"]["done"] == 2 * d["corpus"]["words_per_epoch"] and d["training"]["per_second_per_thread"] > 0
assert [s["name"] for s in d["stages"]] == ["prepare corpus", "vocabulary", "training", "write outputs"]
assert abs(sum(s["seconds"] for s in d["stages"]) - d["seconds"]) < 0.5
out = {o["flag"]: o for o in d["outputs"]}
assert out["--output"]["bytes"] == os.path.getsize(vec) and out["--save-model"]["bytes"] == os.path.getsize(model)
assert d["settings"]["sgns.dim"] == "20" and d["settings"]["sgns.epochs"] == "2" and d["threads"] == 2
assert d["peak_memory_bytes"] > 10**6 and d["kernels"] in ("scalar", "avx2", "avx512")
PY
then ok; else fail "train --report (skip-gram): $(head -c 300 "$R/r.json")"; fi
"$WORDVEC" train --quiet --model glove --input "$CORPUS" --output "$R/g.bin" --epochs 2 --dim 10 --report "$R/g.json" 2> /dev/null
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["model"]=="glove" and len(d["training"]["epochs"])==2 and d["settings"]["glove.epochs"]=="2" and d["stages"][1]["name"]=="vocabulary and co-occurrences"' \
  "$R/g.json" 2> /dev/null && ok || fail "train --report (GloVe): $(head -c 300 "$R/g.json")"
echo keep > "$R/old.json"
expect_error "report of a failed run" 2 "--window" -- "$WORDVEC" train --input "$CORPUS" --output "$T/out/v.bin" --report "$R/old.json" --window 0
[ "$(cat "$R/old.json")" = keep ] && ok || fail "a failed run replaced its --report file"
expect_error "report over the corpus" 1 "--report" -- "$WORDVEC" train --input "$CORPUS" --output "$T/out/v.bin" --report "$CORPUS"

# ---- train --dry-run: the plan, nothing written; its memory within 20 % of the run's peak; too big a run refused.
D=$T/dry; mkdir -p "$D/tmp"  # TMPDIR of the dry runs: their calibration must leave nothing there
# GloVe's plan counts two prefixes and extrapolates; the second one spills its records to disk and maps them.
for args in "--model skipgram" "--model cbow --dim 40" "--model skipgram --subwords --buckets 200000 --epochs 2" \
            "--model glove --memory 0.25 --epochs 2" "--model glove --memory 0.05 --epochs 2"; do
  rm -f "$D/v.bin" "$D/v.wvm"
  # shellcheck disable=SC2086
  TMPDIR=$D/tmp "$WORDVEC" train --quiet --input "$CORPUS" --output "$D/v.bin" --save-model "$D/v.wvm" $args --dry-run \
    > "$D/plan" 2> "$D/err"
  rc=$?
  est=$(awk '/^memory/ {print $2}' "$D/plan")
  if [ "$rc" = 0 ] && [ -n "$est" ] && [ ! -e "$D/v.bin" ] && [ ! -e "$D/v.wvm" ] && grep -q '^dimension  ' "$D/plan" \
     && grep -q '^time       about' "$D/plan" && [ -z "$(ls -A "$D/tmp")" ]; then ok
  else fail "dry run $args: exit $rc, $(cat "$D/plan" "$D/err" | head -5)"; fi
  # shellcheck disable=SC2086
  # Under AddressSanitizer (make sanitize) the peak is ASan's (shadow memory, a
  # quarantine of freed blocks), not the program's: the comparison is for real builds.
  [ -n "${ASAN_OPTIONS:-}" ] && continue
  "$WORDVEC" train --quiet --input "$CORPUS" --output "$D/v.bin" $args --report "$D/r.json" 2> /dev/null
  peak=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["peak_memory_bytes"] / 1e6)' "$D/r.json")
  awk -v e="$est" -v p="$peak" 'BEGIN { exit !(e >= 0.8 * p && e <= 1.2 * p) }' && ok \
    || fail "dry-run memory $args: estimated $est MB, the run's peak $peak MB (more than 20 % apart)"
done
grep -q "shuffled on disk, mapped" "$D/plan" && grep -q "of counting and training" "$D/plan" && ok \
  || fail "GloVe dry run out of core: $(cat "$D/plan")"
expect_error "a run larger than the memory available" 1 "stopped before allocating" -- "$WORDVEC" train --input "$CORPUS" \
  --output "$T/out/v.bin" --subwords --buckets 2000000000 --dim 10000
"$WORDVEC" train --quiet --input "$CORPUS" --output "$D/f.bin" --epochs 1 --dim 10 --force 2> /dev/null && [ -s "$D/f.bin" ] \
  && ok || fail "--force on a run that fits"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
