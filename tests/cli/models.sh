#!/usr/bin/env bash
# Model files end to end: --save-model, info, queries on a model, --continue
# (skip-gram/CBOW and GloVe), --init/--freeze-init, resume of a continued run,
# and every refusal: another kind of file, a newer version, truncation,
# corruption, conflicting options.
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt bash tests/cli/models.sh
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

M=$T/m
mkdir -p "$M"
split_halves "$M"
train() { "$WORDVEC" train --quiet --threads 1 --dim 24 "$@"; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# ---- save, info, and every query command answers from the model as from its vectors
train --input "$M/a.txt" --epochs 2 --output "$M/a.bin" --save-model "$M/a.wvm"
words=$(head -c 2000000 "$M/a.txt" | tr ' ' '\n' | sort | uniq -c | sort -rn | awk 'NR > 30 && NR <= 35 {print $2}')
same_answers() {  # same_answers NAME COMMAND ARGS...: stdout equal (but for the file's name) with a.wvm and a.bin
  local name=$1; shift
  "$@" "$M/a.wvm" 2> /dev/null | sed 's/a\.wvm/FILE/g' > "$M/from-model"
  "$@" "$M/a.bin" 2> /dev/null | sed 's/a\.bin/FILE/g' > "$M/from-vectors"
  if [ -s "$M/from-model" ] && cmp -s "$M/from-model" "$M/from-vectors"; then ok; else fail "$name: a model answers otherwise than its vectors"; fi
}
# shellcheck disable=SC2086
same_answers "nn" "$WORDVEC" nn -k 5 $words --vectors
same_answers "analogy" "$WORDVEC" analogy king man woman --vectors
same_answers "eval" "$WORDVEC" eval --analogy "$DATA/questions-words.txt" --similarity "$DATA/ws353.tsv" --json --vectors
"$WORDVEC" convert --to text --output "$M/from-model.txt" --input "$M/a.wvm" 2> /dev/null
"$WORDVEC" convert --to text --output "$M/from-vectors.txt" --input "$M/a.bin" 2> /dev/null
cmp -s "$M/from-model.txt" "$M/from-vectors.txt" && ok || fail "convert of a model differs from convert of its vectors"

"$WORDVEC" info --json "$M/a.wvm" > "$M/info.json"
tokens=$("$WORDVEC" train --input "$M/a.txt" --output "$M/x.bin" --epochs 1 --dim 4 --threads 1 2>&1 | sed -n 's/.* \([0-9]*\) training words per epoch.*/\1/p')
check=$(json "$M/info.json" "d['kind'], d['model'], d['dimension'], d['vocabulary_size'] == int(open('$M/a.bin','rb').readline().split()[0]), d['trained_words'] == 2 * $tokens, d['epochs_trained'], d['training_runs'], d['format_version']")
[ "$check" = "model skipgram 24 True True 2 1 1" ] && ok || fail "info --json of a model: $check"
"$WORDVEC" info "$M/a.wvm" | grep -q "^dimension *24$" && ok || fail "info text of a model"
[ "$("$WORDVEC" info --json "$M/a.bin" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["kind"], d["format"], d["dimension"])')" = "vectors bin 24" ] \
  && ok || fail "info of a vector file"

expect_error "info without a file" 2 "give the file to describe: wordvec info FILE" -- "$WORDVEC" info
expect_error "info of a folder" 1 "is a directory, not a file" -- "$WORDVEC" info "$M"

# ---- refusals of damaged and foreign files (the reader checks before it trusts a byte)
size=$(stat -c %s "$M/a.wvm")
head -c $((size - 1000)) "$M/a.wvm" > "$M/truncated.wvm"
expect_error "truncated model" 1 "truncated.wvm: truncated" -- "$WORDVEC" nn --vectors "$M/truncated.wvm" king
cp "$M/a.wvm" "$M/corrupt.wvm"
printf '\x7f' | dd of="$M/corrupt.wvm" bs=1 seek=$((size - 5000)) conv=notrunc status=none
expect_error "corrupt model" 1 "corrupt.wvm: checksum mismatch" -- "$WORDVEC" info "$M/corrupt.wvm"
cp "$M/a.wvm" "$M/newer.wvm"
printf '\x02' | dd of="$M/newer.wvm" bs=1 seek=8 conv=notrunc status=none
expect_error "newer format version" 1 "model format version 2 is newer than this wordvec reads" -- "$WORDVEC" train --continue "$M/newer.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm"
expect_error "a text file as a model" 2 "a.txt is not a wordvec model file" -- "$WORDVEC" train --continue "$M/a.txt" --input "$M/b.txt" --save-model "$T/out/n.wvm"
expect_error "vectors as a model" 2 "a.bin is not a wordvec model file (train --save-model writes one); to start from its vectors, use --init" -- "$WORDVEC" train --continue "$M/a.bin" --input "$M/b.txt" --save-model "$T/out/n.wvm"
expect_error "a model as --input" 1 "a.wvm: is a wordvec model file, not text" -- train --input "$M/a.wvm" --output "$T/out/v.bin"
expect_error "a model as --format" 2 "written by 'wordvec train --save-model" -- "$WORDVEC" convert --input "$M/a.bin" --output "$T/out/v" --to model

# ---- continue: new words join, old rows move, the history grows
train --continue "$M/a.wvm" --input "$M/b.txt" --save-model "$M/ab.wvm" --output "$M/ab.bin" 2> "$M/continue.log"
"$WORDVEC" info --json "$M/ab.wvm" > "$M/ab.json"
check=$(json "$M/ab.json" "d['dimension'], d['epochs_trained'], d['training_runs'], d['vocabulary_size'] > $(json "$M/info.json" "d['vocabulary_size']")")
[ "$check" = "24 4 2 True" ] && ok || fail "continued model: dimension, epochs, runs, growth: $check"
# A frequent word of the second half that the first half never had gets a vector with neighbours.
only_b=$(tr ' ' '\n' < "$M/b.txt" | sort | uniq -c | sort -rn | awk '{print $2}' | grep -vxFf <(tr ' ' '\n' < "$M/a.txt" | sort -u) | head -1)
"$WORDVEC" nn --vectors "$M/ab.wvm" -k 3 "$only_b" > "$M/nn-new" 2> /dev/null && [ "$(wc -l < "$M/nn-new")" -ge 4 ] \
  && ok || fail "a word new in the second half ('$only_b') has no neighbours after --continue"
# Zero new words: text whose every word the model knows.
tr ' ' '\n' < "$M/a.txt" | grep -v '^$' | sort | uniq -c | sort -rn | awk 'NR <= 200 {print $2}' | paste -sd' ' > "$M/known.txt"
for _ in $(seq 200); do cat "$M/known.txt"; done > "$M/known200.txt"
train --continue "$M/a.wvm" --input "$M/known200.txt" --save-model "$M/known.wvm" --min-count 1
[ "$(json <("$WORDVEC" info --json "$M/known.wvm") "d['vocabulary_size']")" = "$(json "$M/info.json" "d['vocabulary_size']")" ] \
  && ok || fail "continue with zero new words changed the vocabulary size"
# Only new words: every old word absent from the new text keeps its input vector exactly.
sed 's/\([^ ]\+\)/zz\1/g' "$M/b.txt" > "$M/new-only.txt"
train --continue "$M/a.wvm" --input "$M/new-only.txt" --save-model "$M/new-only.wvm"
"$WORDVEC" convert --input "$M/new-only.wvm" --output "$M/new-only.txt.vec" --to text 2> /dev/null
if /usr/bin/python3 - "$M/from-model.txt" "$M/new-only.txt.vec" <<'PY'
import sys
def rows(path):
    with open(path) as f:
        next(f)
        return {p[0]: p[1:] for p in (line.split() for line in f)}
old, new = rows(sys.argv[1]), rows(sys.argv[2])
assert all(new[w] == v for w, v in old.items()), "an old row moved"
assert len(new) > len(old) and all(w.startswith("zz") for w in new if w not in old)
PY
then ok; else fail "continue with only new words: old rows changed or new words missing"; fi
# Continued into its own file: replaced only when the run succeeds.
cp "$M/a.wvm" "$M/inplace.wvm"; cp "$M/a.wvm" "$M/inplace.orig"
expect_error "failed continue keeps the model" 1 "missing.txt: No such file or directory" -- train --continue "$M/inplace.wvm" --input "$M/missing.txt" --save-model "$M/inplace.wvm"
cmp -s "$M/inplace.wvm" "$M/inplace.orig" && ok || fail "a failed --continue replaced the model"
train --continue "$M/inplace.wvm" --input "$M/b.txt" --save-model "$M/inplace.wvm" --epochs 1 \
  && [ "$(json <("$WORDVEC" info --json "$M/inplace.wvm") "d['training_runs']")" = 2 ] && ok || fail "continue in place"

# Options that define the model come from it; a conflicting one is refused with the stored value.
expect_error "continue with another dim" 2 "--dim 30 conflicts with the model's dim = 24" -- "$WORDVEC" train --continue "$M/a.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm" --dim 30
expect_error "continue with another model kind" 2 "--model cbow conflicts with the model's kind skipgram" -- train --continue "$M/a.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm" --model cbow
expect_error "continue a skip-gram model with GloVe options" 2 "--x-max applies to --model glove only" -- train --continue "$M/a.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm" --x-max 10
expect_error "continue without new text" 2 "--continue needs --input" -- train --continue "$M/a.wvm" --save-model "$T/out/n.wvm"
expect_error "continue without output" 2 "--output or --save-model is required" -- train --continue "$M/a.wvm" --input "$M/b.txt"
expect_error "continue with max-vocab" 2 "--max-vocab with --continue" -- train --continue "$M/a.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm" --max-vocab 100
expect_error "continue and init" 2 "--continue and --init: give one" -- train --continue "$M/a.wvm" --init "$M/a.bin" --input "$M/b.txt" --save-model "$T/out/n.wvm"
expect_error "other normalisation on continue" 2 "conflict with the model's" -- train --continue "$M/a.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm" --lowercase

# A continued run with checkpoints, interrupted and resumed, ends as if never stopped (one thread).
train --continue "$M/a.wvm" --input "$M/b.txt" --epochs 3 --save-model "$M/straight.wvm"
read -r rc _ < <(interrupt TERM "file:$M/ck" "$M/ck.log" -- "$WORDVEC" train --quiet --threads 1 --continue "$M/a.wvm" --input "$M/b.txt" \
  --epochs 3 --save-model "$M/resumed.wvm" --checkpoint "$M/ck" --checkpoint-every 1e-6)
if [ "$rc" = 143 ] && [ ! -e "$M/resumed.wvm" ] && grep -q "resume $M/ck (the model goes to" "$M/ck.log" \
   && "$WORDVEC" train --quiet --resume "$M/ck" && cmp -s "$M/straight.wvm" "$M/resumed.wvm"; then ok
else fail "resumed continue: exit $rc, model differs or missing: $(tail -1 "$M/ck.log")"; fi

# ---- CBOW and GloVe
train --model cbow --input "$M/a.txt" --epochs 1 --save-model "$M/cbow.wvm"
train --continue "$M/cbow.wvm" --input "$M/b.txt" --save-model "$M/cbow2.wvm" \
  && [ "$(json <("$WORDVEC" info --json "$M/cbow2.wvm") "d['model'], d['training_runs']")" = "cbow 2" ] && ok || fail "continue CBOW"
train --model glove --input "$M/a.txt" --epochs 3 --save-model "$M/g.wvm" --save-cooccurrence "$M/g.cooc"
train --continue "$M/g.wvm" --input "$M/b.txt" --save-model "$M/g2.wvm" --save-cooccurrence "$M/g2.cooc" --output "$M/g2.bin"
check=$(json <("$WORDVEC" info --json "$M/g2.wvm") "d['model'], d['training_runs'], d['epochs_trained'], d['cooccurrence_file'] == '$M/g2.cooc'")
[ "$check" = "glove 2 6 True" ] && ok || fail "continue GloVe: $check"
"$WORDVEC" nn -k 4 king --vectors "$M/g2.wvm" > "$M/g-model" 2> /dev/null; "$WORDVEC" nn -k 4 king --vectors "$M/g2.bin" > "$M/g-bin" 2> /dev/null
cmp -s "$M/g-model" "$M/g-bin" && [ -s "$M/g-model" ] && ok || fail "a GloVe model answers otherwise than its vectors"
train --model glove --input "$M/a.txt" --epochs 1 --save-model "$M/g-nocounts.wvm"
expect_error "GloVe continue without its counts" 2 "saved without the file of its counts" -- train --continue "$M/g-nocounts.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm"
expect_error "GloVe continue without distance weighting" 2 "whose co-occurrences were counted with 1/distance weights" -- train --continue "$M/g.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm" --no-distance-weighting
mv "$M/g.cooc" "$M/g.cooc.moved"
expect_error "GloVe continue after its counts moved" 1 "g.cooc: No such file or directory" -- train --continue "$M/g.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm"
mv "$M/g.cooc.moved" "$M/g.cooc"
expect_error "GloVe continue with another window" 2 "--window 3 conflicts with the model's window = 10" -- train --continue "$M/g.wvm" --input "$M/b.txt" --save-model "$T/out/n.wvm" --window 3

# ---- --init and --freeze-init
train --input "$M/a.txt" --epochs 3 --output "$M/a3.bin"
train --input "$M/b.txt" --epochs 1 --output "$M/cold.bin"
train --input "$M/b.txt" --epochs 1 --output "$M/warm.bin" --init "$M/a3.bin"
score() { "$WORDVEC" eval --vectors "$1" --analogy "$DATA/questions-words.txt" --similarity "$DATA/ws353.tsv" --json 2> /dev/null \
  | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["analogy"]["accuracy"] + d["similarity"][0]["spearman"])'; }
cold=$(score "$M/cold.bin"); warm=$(score "$M/warm.bin")
/usr/bin/python3 -c "import sys; sys.exit(0 if $warm > $cold + 0.02 else 1)" && ok \
  || fail "--init from the first half does not beat a cold start on the second (analogy + WS353: $warm vs $cold)"
# rows_kept INIT OUT: every word of OUT that INIT has keeps INIT's vector (to the text format's 6 decimals).
rows_kept() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
def rows(path):
    with open(path) as f:
        next(f)
        return {p[0]: [float(x) for x in p[1:]] for p in (line.split() for line in f)}
init, out = rows(sys.argv[1]), rows(sys.argv[2])
shared = [w for w in out if w in init]
assert len(shared) > 1000 and len(out) > len(shared)
assert all(max(abs(a - b) for a, b in zip(init[w], out[w])) < 2e-6 for w in shared), "a frozen row moved"
PY
}
train --input "$M/b.txt" --epochs 1 --output "$M/frozen.txt" --format text --init "$M/from-model.txt" --freeze-init \
  && rows_kept "$M/from-model.txt" "$M/frozen.txt" && ok || fail "--freeze-init: frozen rows moved"
train --model glove --input "$M/b.txt" --epochs 2 --output "$M/gfrozen.txt" --format text --init "$M/from-model.txt" --freeze-init \
  && rows_kept "$M/from-model.txt" "$M/gfrozen.txt" && ok || fail "GloVe --freeze-init: frozen rows moved"
expect_error "init of another dimension" 2 "--dim 30 conflicts with --init" -- "$WORDVEC" train --quiet --input "$M/b.txt" --output "$T/out/v.bin" --init "$M/a.bin" --dim 30
expect_error "freeze without init" 2 "--freeze-init needs --init" -- train --input "$M/b.txt" --output "$T/out/v.bin" --freeze-init
expect_error "init file missing" 1 "nope.bin: No such file or directory" -- train --input "$M/b.txt" --output "$T/out/v.bin" --init "$M/nope.bin"
expect_error "init is the output" 1 "same file as --init" -- train --input "$M/b.txt" --output "$M/a.bin" --init "$M/a.bin"

# wordvec's other binary files, where vectors are expected: named for what they are.
expect_error "a checkpoint as vectors" 1 "ck: is a training checkpoint, not vectors" -- "$WORDVEC" nn --vectors "$M/ck" king
expect_error "co-occurrences as vectors" 1 "g.cooc: is a co-occurrence file, not vectors" -- "$WORDVEC" info "$M/g.cooc"

echo "models: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
