#!/usr/bin/env bash
# The examples run and print what they say they print: the library example's
# vocabulary line and neighbour lists, the walk-through's dimension line and
# neighbour blocks (the neighbours themselves vary with threads: their form is
# checked, the numbers exactly).
#   EXAMPLE=build/examples/train_and_query WORDVEC=build/wordvec CORPUS=build/data/corpus.txt OUT=dir bash tests/cli/examples.sh
set -uo pipefail
OUT=${OUT:-$(mktemp -d)}
failed=0
fail() { failed=1; echo "FAIL: $*" >&2; }
"$EXAMPLE" "$CORPUS" > "$OUT/train_and_query.out" || fail "train_and_query exited $?"
WORDVEC=$WORDVEC CORPUS=$CORPUS OUT=$OUT bash "$(dirname "${BASH_SOURCE[0]}")/../../examples/walkthrough.sh" \
  > "$OUT/walkthrough.out" 2> "$OUT/walkthrough.err" || fail "walkthrough exited $?: $(tail -2 "$OUT/walkthrough.err")"
/usr/bin/python3 - "$OUT/train_and_query.out" "$OUT/walkthrough.out" <<'PY' || fail "example output"
import re, sys
lib = open(sys.argv[1]).read().splitlines()
walk = open(sys.argv[2]).read().splitlines()
assert lib[0] == "21201 words, dimension 83", lib[0]
pair = r" [^ ()]+\((0|1)\.\d\d\)"
for line, word in zip(lib[1:], ("france", "king")):
    assert re.fullmatch(word + ":" + pair * 5, line), line
assert len(lib) == 3, lib
assert walk[0] == "N = 21201           dimension   83   (rule of thumb ceil(8.33 ln N) = 83)", walk[0]
blocks = walk[1:]
for i, word in enumerate(("paris", "river", "music")):
    assert blocks[6 * i] == word + ":", blocks[6 * i]
    for row in blocks[6 * i + 1: 6 * i + 6]:
        assert re.fullmatch(r"  \S+ +(0|1)\.\d{4}", row) and row.split()[0] != word, row
assert len(blocks) == 18, len(blocks)
PY
[ "$failed" = 0 ] && echo "examples: output as documented"
exit "$failed"
