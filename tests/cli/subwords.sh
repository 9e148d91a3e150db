#!/usr/bin/env bash
# Subword models and hierarchical softmax end to end: train --subwords (skip-gram, CBOW), the outputs
# (word vectors = the model's), queries for words never seen (nn, analogy,
# vectors, eval --oov subword), continue and resume of a subword model, and
# every refusal of a value that cannot work; --loss hs alone and with subwords.
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt bash tests/cli/subwords.sh
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S=$T/sub
mkdir -p "$S"
split_halves "$S"
train() { "$WORDVEC" train --quiet --dim 30 "$@"; }  # all cores (2 on CI) unless --threads
json_field() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); r=($1); print(*r) if isinstance(r, tuple) else print(r)"; }

# ---- skip-gram: the vectors written are the model's; unseen words are built from their n-grams
train --input "$CORPUS" --subwords --buckets 50000 --epochs 2 --output "$S/sg.txt" --format text --save-model "$S/sg.wvm" || fail "train --subwords"
"$WORDVEC" info "$S/sg.wvm" | grep -q "subword_buckets 50000 x 30" && ok || fail "info lists no bucket matrix"
[ "$("$WORDVEC" info --json "$S/sg.wvm" | json_field "d['subwords']['min_n'], d['subwords']['max_n'], d['subwords']['buckets'], d['loss']")" = "3 6 50000 ns" ] \
  && ok || fail "info --json of a subword model"
"$WORDVEC" convert --quiet --input "$S/sg.wvm" --output "$S/from-model.txt" --to text
cmp -s "$S/sg.txt" "$S/from-model.txt" && ok || fail "--output differs from the model file's word vectors"
out=$("$WORDVEC" nn --vectors "$S/sg.wvm" -k 3 kingdomz)
if [[ $out == *"kingdomz (not in the vocabulary: built from its n-grams)"* ]] && grep -q "^  kingdom" <<< "$out"; then ok
else fail "nn of an unseen misspelling: $out"; fi
"$WORDVEC" nn --vectors "$S/sg.txt" kingdomz | grep -q "kingdomz: not in the vocabulary" && ok || fail "plain vectors built an unseen word"
"$WORDVEC" analogy --vectors "$S/sg.wvm" -k 3 king kingz queen > "$S/analogy" && grep -q "king : kingz :: queen" "$S/analogy" \
  && ok || fail "analogy with an unseen word"
# vectors: one line per word in order; a known word's is its row; the model's unseen words are not zero.
"$WORDVEC" vectors "$S/sg.wvm" king kingdomz > "$S/vec" 2> "$S/vec.err"
if [ "$(wc -l < "$S/vec")" = 2 ] && [ "$(awk '{print NF}' "$S/vec" | sort -u)" = 31 ] \
   && awk '$1 == "kingdomz" { for (i = 2; i <= NF; i++) if ($i != 0) nonzero = 1 } END { exit !nonzero }' "$S/vec" \
   && [ ! -s "$S/vec.err" ]; then ok; else fail "vectors of a subword model: $(cut -c1-60 "$S/vec") $(cat "$S/vec.err")"; fi
/usr/bin/python3 - "$S/vec" "$S/sg.txt" <<'PY' && ok || fail "vectors: a known word's vector is not its row"
import sys
got = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in open(sys.argv[1])}
row = next(l.split() for l in open(sys.argv[2]) if l.startswith("king "))
assert max(abs(a - float(b)) for a, b in zip(got["king"], row[1:])) < 1e-4
PY
printf 'king\nzzzz qqq\n' | "$WORDVEC" vectors "$S/sg.txt" > "$S/vec" 2> "$S/vec.err"
if [ "$(wc -l < "$S/vec")" = 3 ] && grep -q "^zzzz 0 0 0" "$S/vec" && grep -q "'zzzz' has no vector" "$S/vec.err" \
   && grep -q "2 words had no vector" "$S/vec.err"; then ok; else fail "vectors of unknown words in plain vectors: $(cat "$S/vec.err")"; fi
# eval --oov subword scores every pair; without it the unknown ones are skipped.
skipped=$("$WORDVEC" eval --vectors "$S/sg.wvm" --similarity "$DATA/ws353.tsv" --json | json_field "d['similarity'][0]['skipped']")
built=$("$WORDVEC" eval --vectors "$S/sg.wvm" --similarity "$DATA/ws353.tsv" --oov subword --json \
        | json_field "d['similarity'][0]['skipped'], d['similarity'][0]['built_from_subwords']")
[ "$skipped" -gt 0 ] && [ "$built" = "0 $skipped" ] && ok || fail "eval --oov subword: skipped $skipped, then $built"
expect_error "oov subword on plain vectors" 2 "--oov subword needs a model file trained with --subwords" -- "$WORDVEC" eval --vectors "$S/sg.txt" --similarity "$DATA/ws353.tsv" --oov subword
expect_error "oov bad value" 2 "--oov must be skip or subword" -- "$WORDVEC" eval --vectors "$S/sg.wvm" --similarity "$DATA/ws353.tsv" --oov guess

# ---- CBOW with subwords, and --subwords 0 is today's model
train --model cbow --input "$CORPUS" --subwords 3-5 --buckets 50000 --epochs 3 --save-model "$S/cbow.wvm" || fail "train --model cbow --subwords"
"$WORDVEC" nn --vectors "$S/cbow.wvm" -k 5 kingdomz | grep -q "^  kingdom" && ok || fail "CBOW: kingdomz is not near kingdom"
train --threads 1 --input "$S/a.txt" --subwords 0 --epochs 1 --seed 4 --output "$S/off.bin"
train --threads 1 --input "$S/a.txt" --epochs 1 --seed 4 --output "$S/plain.bin"
cmp -s "$S/off.bin" "$S/plain.bin" && ok || fail "--subwords 0 is not the word-level model"

# ---- values that cannot work are refused with what does
for bad in 6-3 x 3- 0-5 3-40; do
  expect_error "--subwords $bad" 2 "--subwords must be" -- train --input "$S/a.txt" --output "$T/out/v.bin" --subwords "$bad"
done
expect_error "--buckets 0" 2 "--buckets must be between 1" -- train --input "$S/a.txt" --output "$T/out/v.bin" --subwords --buckets 0
expect_error "--buckets alone" 2 "--buckets applies with --subwords only" -- "$WORDVEC" train --input "$S/a.txt" --output "$T/out/v.bin" --buckets 10
expect_error "GloVe subwords" 2 "--subwords applies to --model skipgram and cbow only" -- "$WORDVEC" train --model glove --input "$S/a.txt" --output "$T/out/v.bin" --subwords
expect_error "--update bogus" 2 "--update must be auto, batched or exact, got 'bogus'" -- "$WORDVEC" train --input "$S/a.txt" --output "$T/out/v.bin" --subwords --update bogus
# Subword skip-gram's update: fastText's step per pair unless asked otherwise (and logged so).
"$WORDVEC" train --input "$S/a.txt" --output "$S/exact.bin" --dim 30 --epochs 1 --subwords --buckets 20000 2> "$S/exact.log" \
  && grep -q "subword skip-gram: exact update" "$S/exact.log" && grep -q "(exact update)" "$S/exact.log" && ok \
  || fail "subword skip-gram's default update is not logged as exact"
"$WORDVEC" train --input "$S/a.txt" --output "$S/batched.bin" --dim 30 --epochs 1 --subwords --buckets 20000 --update batched 2> "$S/batched.log" \
  && grep -q "(batched update)" "$S/batched.log" && ! grep -q "subword skip-gram: exact" "$S/batched.log" && ok \
  || fail "--update batched with subwords"
expect_error "freeze with subwords" 2 "--freeze-init with --subwords" -- train --input "$S/a.txt" --output "$T/out/v.bin" --subwords --init "$S/sg.txt" --freeze-init

# ---- continue a subword model on new text: new words join, the n-gram rows carry over
train --input "$S/a.txt" --subwords --buckets 50000 --epochs 2 --save-model "$S/a.wvm"
train --continue "$S/a.wvm" --input "$S/b.txt" --epochs 2 --save-model "$S/ab.wvm" || fail "continue a subword model"
check=$("$WORDVEC" info --json "$S/ab.wvm" | json_field "d['training_runs'], d['vocabulary_size'] > $("$WORDVEC" info --json "$S/a.wvm" | json_field "d['vocabulary_size']")")
[ "$check" = "2 True" ] && ok || fail "continued subword model: $check"
"$WORDVEC" info "$S/ab.wvm" | grep -q "subword_buckets 50000 x 30" && ok || fail "the continued model lost its buckets"
expect_error "subwords on continue" 2 "--subwords with --continue: the model fixes its subwords (3-6, 50000 buckets" -- train --continue "$S/a.wvm" --input "$S/b.txt" --save-model "$T/out/n.wvm" --subwords 2-4

# ---- interrupted and resumed with one thread = uninterrupted, byte for byte
args=(--input "$S/a.txt" --subwords --buckets 50000 --epochs 2 --threads 1 --seed 5 --save-model)
train "${args[@]}" "$S/straight.wvm"
read -r rc _ < <(interrupt TERM "file:$S/ck" "$S/ck.log" -- "$WORDVEC" train --quiet --dim 30 "${args[@]}" "$S/resumed.wvm" \
  --checkpoint "$S/ck" --checkpoint-every 1e-6)
if [ "$rc" = 143 ] && "$WORDVEC" train --quiet --resume "$S/ck" && cmp -s "$S/straight.wvm" "$S/resumed.wvm"; then ok
else fail "resumed subword run (exit $rc) differs from an uninterrupted one: $(tail -1 "$S/ck.log")"; fi

# ---- hierarchical softmax: trains, is stored, continues (tree rebuilt), combines with subwords
train --loss hs --input "$S/a.txt" --epochs 2 --save-model "$S/hs.wvm" --output "$S/hs.bin" || fail "train --loss hs"
"$WORDVEC" info "$S/hs.wvm" | grep -q "sgns.loss = hs" && ok || fail "the model does not record --loss hs"
"$WORDVEC" train --dim 30 --continue "$S/hs.wvm" --input "$S/b.txt" --epochs 1 --save-model "$S/hs2.wvm" 2> "$S/hs.log" \
  && grep -q "Huffman tree is rebuilt" "$S/hs.log" && ok || fail "continue an hs model: $(tail -1 "$S/hs.log")"
train --model cbow --loss hs --subwords --buckets 50000 --input "$CORPUS" --epochs 3 --save-model "$S/hs-sub.wvm" \
  && "$WORDVEC" nn --vectors "$S/hs-sub.wvm" -k 5 kingdomz | grep -q "^  kingdom" && ok || fail "CBOW + hs + subwords"
expect_error "negative with hs" 2 "--negative applies to --loss ns" -- train --loss hs --negative 10 --input "$S/a.txt" --output "$T/out/v.bin"
expect_error "bad loss" 2 "--loss must be ns (negative sampling) or hs" -- train --loss softmax --input "$S/a.txt" --output "$T/out/v.bin"
expect_error "other loss on continue" 2 "--loss ns conflicts with the model's loss hs" -- train --continue "$S/hs.wvm" --loss ns --input "$S/b.txt" --save-model "$T/out/n.wvm"
expect_error "glove hs" 2 "--loss applies to --model skipgram and cbow only" -- "$WORDVEC" train --model glove --loss hs --input "$S/a.txt" --output "$T/out/v.bin"

echo "subwords: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
