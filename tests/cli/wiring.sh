#!/usr/bin/env bash
# Option wiring: every option of `train` reaches the code. One thread and a
# seed make a run reproducible, so a changed value must change the vectors
# (or the shape, or the log, where that is what the option changes), and the
# default spelled out must change nothing.
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt bash tests/cli/wiring.sh
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
head -c 400000 "$CORPUS" > "$T/c.txt"
# The baseline's settings, each left out when the call gives it.
with_defaults() {
  local args=("$@") option value
  for pair in --format=text --threads=1 --seed=1 --epochs=1 --dim=16; do
    option=${pair%%=*} value=${pair#*=}
    [[ " ${args[*]} " == *" $option "* ]] || args+=("$option" "$value")
  done
  printf '%s\n' "${args[@]}"
}
train() { local a; mapfile -t a < <(with_defaults "$@"); "$WORDVEC" train --quiet --input "$T/c.txt" "${a[@]}"; }
# The same without --quiet (for checks of the log).
train_logged() { local a; mapfile -t a < <(with_defaults "$@"); "$WORDVEC" train --input "$T/c.txt" "${a[@]}"; }
base=(--input "$T/c.txt" --format text --threads 1 --seed 1 --dim 16)
# differs MODEL NAME -- options: the vectors differ from the model's baseline
differs() {
  local model=$1 name=$2; shift 3
  train --model "$model" --output "$T/x.txt" "$@" 2> /dev/null || { fail "$model $name: exit $?"; return; }
  if cmp -s "$T/base-$model.txt" "$T/x.txt"; then fail "$model $name: the vectors did not change"; else ok; fi
}
same() {
  local model=$1 name=$2; shift 3
  train --model "$model" --output "$T/x.txt" "$@" 2> /dev/null || { fail "$model $name: exit $?"; return; }
  if cmp -s "$T/base-$model.txt" "$T/x.txt"; then ok; else fail "$model $name: the default spelled out changed the vectors"; fi
}
for model in skipgram cbow glove; do train --model $model --output "$T/base-$model.txt" 2> /dev/null || fail "baseline $model"; done

for model in skipgram cbow; do
  same $model "defaults" -- --window 5 --negative 5 --sample 1e-4 --share-negatives 4 --min-count 5 --cache-memory 0
  differs $model seed -- --seed 2
  differs $model window -- --window 3
  differs $model negative -- --negative 3
  differs $model sample -- --sample 1e-3
  differs $model share-negatives -- --share-negatives 1
  differs $model alpha -- --alpha 0.01
  differs $model epochs -- --epochs 2
done
differs skipgram update -- --update exact
same glove "defaults" -- --window 10 --x-max auto --glove-alpha 0.75 --alpha 0.05 --bias-alpha 1 --glove-output sum
# --x-max auto is 10 on a small corpus, and the log says why.
same glove "x-max auto = 10" -- --x-max 10
train_logged --model glove --output "$T/x.txt" 2>&1 >/dev/null | grep -q "x-max: 10 (auto) for [0-9]* corpus tokens" && ok ||
  fail "glove x-max auto: no log line with its reason"
differs glove seed -- --seed 2
differs glove window -- --window 5
differs glove x-max -- --x-max 100
differs glove glove-alpha -- --glove-alpha 0.5
differs glove alpha -- --alpha 0.02
differs glove bias-alpha -- --bias-alpha 0.05
differs glove no-distance-weighting -- --no-distance-weighting
differs glove glove-output -- --glove-output word
differs glove epochs -- --epochs 2
# Shape: --dim, --min-count, --max-vocab, --glove-output concat.
train --output "$T/x.txt" --dim 7 2> /dev/null; [ "$(head -1 "$T/x.txt" | cut -d' ' -f2)" = 7 ] && ok || fail "dim"
base_words=$(head -1 "$T/base-skipgram.txt" | cut -d' ' -f1)
train --output "$T/x.txt" --min-count 20 2> /dev/null
words=$(head -1 "$T/x.txt" | cut -d' ' -f1); [ "$words" -lt "$base_words" ] && ok || fail "min-count: $words vs $base_words words"
train --output "$T/x.txt" --max-vocab 100 2> /dev/null; [ "$(head -1 "$T/x.txt" | cut -d' ' -f1)" = 100 ] && ok || fail "max-vocab"
train --model glove --output "$T/x.txt" --glove-output concat 2> /dev/null
[ "$(head -1 "$T/x.txt" | cut -d' ' -f2)" = 32 ] && ok || fail "glove-output concat: $(head -1 "$T/x.txt" | cut -c1-40)"
# --format, --save-vocab, --save-cooccurrence, --checkpoint-every: the files they name.
train --output "$T/x.bin" --format bin 2> /dev/null; [ "$(head -c 7 "$T/x.bin")" = "$(head -c 7 "$T/base-skipgram.txt")" ] \
  && ! cmp -s "$T/x.bin" "$T/base-skipgram.txt" && ok || fail "format bin"
train --output "$T/x.txt" --save-vocab "$T/v.txt" 2> /dev/null; [ "$(wc -l < "$T/v.txt")" = "$base_words" ] && ok || fail "save-vocab"
"$WORDVEC" train --model glove "${base[@]}" --epochs 1 --output "$T/x.txt" --save-cooccurrence "$T/c.cooc" --quiet 2> /dev/null
[ -s "$T/c.cooc" ] && ok || fail "save-cooccurrence"
"$WORDVEC" train "${base[@]}" --epochs 30 --output "$T/x.txt" --checkpoint "$T/ck" --checkpoint-every 0.0005 2> "$T/log"
[ "$(grep -c 'checkpoint saved' "$T/log")" -ge 2 ] && ok || fail "checkpoint-every: $(grep -c 'checkpoint saved' "$T/log") checkpoints"
# --quiet and --verbose: what the log holds.
"$WORDVEC" train "${base[@]}" --epochs 1 --output "$T/x.txt" 2> "$T/log"; normal=$(wc -l < "$T/log")
"$WORDVEC" train "${base[@]}" --epochs 1 --output "$T/x.txt" --verbose 2> "$T/log"; verbose=$(wc -l < "$T/log")
"$WORDVEC" train "${base[@]}" --epochs 1 --output "$T/x.txt" --quiet 2> "$T/log"; quiet=$(wc -l < "$T/log")
[ "$quiet" -lt "$normal" ] && [ "$normal" -le "$verbose" ] && ok || fail "quiet/verbose: $quiet $normal $verbose log lines"

# The other commands' options.
V=$T/base-skipgram.txt
[ "$("$WORDVEC" nn --vectors "$V" -k 4 the | wc -l)" = 5 ] && [ "$("$WORDVEC" nn --vectors "$V" -k 2 the | wc -l)" = 3 ] \
  && ok || fail "nn -k"
[ "$("$WORDVEC" analogy --vectors "$V" -k 3 the of and | wc -l)" = 4 ] && ok || fail "analogy -k"
add=$("$WORDVEC" analogy --vectors "$V" --method add the of and | tail -n +2)
mul=$("$WORDVEC" analogy --vectors "$V" --method mul the of and | tail -n +2)
[ "$add" != "$mul" ] && ok || fail "analogy --method: add and mul answer alike"
for to in bin text vec glove npy; do
  "$WORDVEC" convert --quiet --input "$V" --output "$T/conv.$to" --to $to
  case $to in
    bin) /usr/bin/python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); assert d.startswith(b"%s 16\n" % sys.argv[2].encode()) and len(d) > 16 * 4 * int(sys.argv[2])' "$T/conv.bin" "$base_words" ;;
    text|vec) [ "$(head -1 "$T/conv.$to")" = "$base_words 16" ] ;;
    glove) [ "$(wc -l < "$T/conv.glove")" = "$base_words" ] && [ "$(head -1 "$T/conv.glove" | wc -w)" = 17 ] ;;
    npy) [ "$(head -c 6 "$T/conv.npy" | tail -c 5)" = NUMPY ] && [ "$(wc -l < "$T/conv.words.txt")" = "$base_words" ] ;;
  esac && ok || fail "convert --to $to"
done
q=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../data" && pwd)/questions-words.txt
all=$("$WORDVEC" eval --vectors "$V" --analogy "$q" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["analogy"]["attempted"])')
few=$("$WORDVEC" eval --vectors "$V" --analogy "$q" --restrict-vocab 300 --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["analogy"]["attempted"])')
[ "$few" -lt "$all" ] && ok || fail "eval --restrict-vocab: $few vs $all questions attempted"
n5=$("$WORDVEC" dim --input "$T/c.txt" 2> /dev/null | awk '{print $3}')
n20=$("$WORDVEC" dim --input "$T/c.txt" --min-count 20 2> /dev/null | awk '{print $3}')
n100=$("$WORDVEC" dim --input "$T/c.txt" --max-vocab 100 2> /dev/null | awk '{print $3}')
[ "$n20" -lt "$n5" ] && [ "$n100" = 100 ] && ok || fail "dim --min-count/--max-vocab: N = $n5, $n20, $n100"

# The settings round trip, options -> checkpoint -> options, for every field a
# flag sets: a checkpoint taken with a value other than the default in every
# field resumes when every flag repeats its value (a field lost or garbled on
# the way would differ and be refused), and is refused when any one differs.
round_trip() {
  local name=$1 logged=$2; shift 2
  local -a given=("$@")
  rm -f "$T/rt.ckpt" "$T/rt.bin"
  "$WORDVEC" train --quiet --input "$T/c.txt" --output "$T/rt.bin" --threads 1 "${given[@]}" --checkpoint "$T/rt.ckpt" \
    --checkpoint-every 1e-6 2> /dev/null
  [ -s "$T/rt.ckpt" ] || { fail "$name round trip: no checkpoint"; return; }
  if "$WORDVEC" train --resume "$T/rt.ckpt" --output "$T/rt2.bin" "${given[@]}" 2> "$T/rt.err"; then ok
  else fail "$name round trip: the checkpoint's own options refused: $(head -c 300 "$T/rt.err")"; fi
  # ... and the resumed run trains with them (what its start-up line shows).
  if grep -qF -- "$logged" "$T/rt.err"; then ok; else fail "$name round trip: resumed with other options: $(grep -m1 'training\|counting' "$T/rt.err")"; fi
}
round_trip skipgram "training skipgram (exact update), dim 17, window 3, negative 7 (drawn per pair), sample 0.001, 3 epochs, 1 threads, learning rate 0.03" \
  --model skipgram --update exact --dim 17 --window 3 --negative 7 --share-negatives 2 --sample 1e-3 --epochs 3 --alpha 0.03 --seed 9
round_trip cbow "training cbow (cbow update), dim 13, window 4, negative 6 (a draw per 3 positions), sample 0, 3 epochs, 1 threads, learning rate 0.07" \
  --model cbow --dim 13 --window 4 --negative 6 --share-negatives 3 --sample 0 --epochs 3 --alpha 0.07 --seed 11
round_trip glove "training GloVe: dim 11, 3 epochs, x-max 7, weighting exponent 0.6, learning rate 0.04 (biases 0.3), 1 threads" \
  --model glove --dim 11 --window 6 --x-max 7 --glove-alpha 0.6 --alpha 0.04 --bias-alpha 0.3 --no-distance-weighting --glove-output word \
  --epochs 3 --seed 5

# The same through a model file: saved with a value other than the default in
# every field, it continues with those values when no flag is given (the
# continued run's start-up line shows them).
model_round_trip() {
  local name=$1 logged=$2; shift 2
  rm -f "$T/rt.wvm"
  "$WORDVEC" train --quiet --input "$T/c.txt" --save-model "$T/rt.wvm" --threads 1 "$@" 2> /dev/null \
    || { fail "$name model round trip: training failed"; return; }
  if "$WORDVEC" train --continue "$T/rt.wvm" --input "$T/c.txt" --save-model "$T/rt2.wvm" --threads 1 2> "$T/rt.err" \
     && grep -qF -- "$logged" "$T/rt.err"; then ok
  else fail "$name model round trip: continued with other options: $(grep -m1 'training\|error' "$T/rt.err")"; fi
}
model_round_trip skipgram "training skipgram (exact update), dim 17, window 3, negative 7 (drawn per pair), sample 0.001, 3 epochs, 1 threads, learning rate 0.03" \
  --model skipgram --update exact --dim 17 --window 3 --negative 7 --share-negatives 2 --sample 1e-3 --epochs 3 --alpha 0.03 --seed 9
model_round_trip cbow "training cbow (cbow update), dim 13, window 4, negative 6 (a draw per 3 positions), sample 0, 3 epochs, 1 threads, learning rate 0.07" \
  --model cbow --dim 13 --window 4 --negative 6 --share-negatives 3 --sample 0 --epochs 3 --alpha 0.07 --seed 11
model_round_trip glove "training GloVe: dim 11, 3 epochs, x-max 7, weighting exponent 0.6, learning rate 0.04 (biases 0.3), 1 threads" \
  --model glove --dim 11 --window 6 --x-max 7 --glove-alpha 0.6 --alpha 0.04 --bias-alpha 0.3 --no-distance-weighting --glove-output word \
  --epochs 3 --seed 5 --save-cooccurrence "$T/rt.cooc"
# --init and --freeze-init reach every model.
for model in skipgram cbow glove; do
  differs $model init -- --init "$T/base-$model.txt"
  train --model $model --output "$T/init.txt" --init "$T/base-$model.txt" 2> /dev/null
  train --model $model --output "$T/frozen.txt" --init "$T/base-$model.txt" --freeze-init 2> /dev/null
  cmp -s "$T/init.txt" "$T/frozen.txt" && fail "$model --freeze-init: the vectors did not change" || ok
done

# Text flags: on a copy with capitals, punctuation, numbers, hyphens and ligatures,
# each changes the vectors; their defaults spelled out change nothing.
sed -E 's/ (the|of|in) / \U\1\E /g; s/ and / and, /g; s/ one / 1,000 /g; s/ two / well-known /g; s/fi/\xef\xac\x81/g' \
  "$T/c.txt" > "$T/mixed.txt"
text_train() { "$WORDVEC" train --quiet --input "$T/mixed.txt" --format text --threads 1 --seed 1 --epochs 1 --dim 16 "$@"; }
text_train --output "$T/base-mixed.txt" 2> /dev/null || fail "baseline on mixed text"
for flags in "--lowercase" "--casefold" "--nfkc" "--split-punctuation" "--split-punctuation --split-intraword" \
             "--number-token <num>" "--phrases 1" "--phrases 1 --phrase-threshold 20" "--phrases 1 --phrase-min-count 2" \
             "--phrases 2"; do
  # shellcheck disable=SC2086
  text_train --output "$T/x.txt" $flags 2> /dev/null || { fail "text $flags: exit $?"; continue; }
  case $flags in
    "--phrases 1 "*) ref="$T/phrases1.txt";;
    "--phrases 2") ref="$T/phrases1.txt";;
    *) ref="$T/base-mixed.txt";;
  esac
  [ "$flags" = "--phrases 1" ] && cp "$T/x.txt" "$T/phrases1.txt"
  if cmp -s "$ref" "$T/x.txt"; then fail "text $flags: the vectors did not change"; else ok; fi
done
if text_train --output "$T/x.txt" --phrases 0 --phrase-threshold 100 --phrase-min-count 5 --phrase-memory 2 2> /dev/null \
   && cmp -s "$T/base-mixed.txt" "$T/x.txt"; then ok; else fail "text defaults spelled out changed the vectors"; fi
if text_train --output "$T/x.txt" --phrases 1 --phrase-memory 0.5 2> /dev/null && cmp -s "$T/phrases1.txt" "$T/x.txt"; then ok
else fail "--phrase-memory 0.5 (no pruning needed) changed the vectors"; fi

echo "wiring: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
