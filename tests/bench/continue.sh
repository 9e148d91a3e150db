#!/usr/bin/env bash
# Continued training and pretrained starts, measured (docs/benchmarks.md,
# "Continued training"): the benchmark corpus cut in two halves by lines,
# A (first) and B (second).
#   whole     one run over A + B, EPOCHS epochs
#   continued EPOCHS epochs on A (--save-model), then --continue on B for EPOCHS:
#             every token trained EPOCHS times, as in `whole`
#   cold/init EPOCHS epochs on B alone, from scratch or --init from A's vectors
# Scores by ../shared/bench/eval-vectors.py (gensim): analogy (top 30k words),
# WS353 and MTurk-771 Spearman. Also the nearest neighbours of words that only
# B has, and the peak memory of --continue next to a fresh run.
#   make bench-continue [MODELS="skipgram glove"] [EPOCHS=5] [THREADS=2] [FRESH=1: retrain what was scored]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORDVEC=${WORDVEC:-$ROOT/build/wordvec}
SHARED=${SHARED:-$ROOT/../shared}
CORPUS=${CORPUS:-$ROOT/bench-data/corpus.txt}
OUT=${OUT:-$ROOT/bench-data/continue}
MODELS=${MODELS:-skipgram glove}
EPOCHS=${EPOCHS:-5}
THREADS=${THREADS:-2}
EVAL=$SHARED/data/eval
[ -s "$CORPUS" ] || bash "$SHARED/bench/make-corpus.sh" "$ROOT/bench-data"
mkdir -p "$OUT"

lines=$(wc -l < "$CORPUS")
[ -s "$OUT/a.txt" ] || head -n $((lines / 2)) "$CORPUS" > "$OUT/a.txt"
[ -s "$OUT/b.txt" ] || tail -n +$((lines / 2 + 1)) "$CORPUS" > "$OUT/b.txt"

# run NAME ARGS...: trains, recording wall seconds and peak RSS in NAME.time
# (skipped when NAME was trained and scored before, unless FRESH=1).
run() {
  local name=$1; shift
  [ "${FRESH:-0}" != 1 ] && [ -s "$OUT/$name.json" ] && return
  /usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$WORDVEC" train --quiet --dim 100 --threads "$THREADS" "$@"
}
score() {
  [ "${FRESH:-0}" != 1 ] && [ -s "$OUT/$1.json" ] && return
  /usr/bin/python3 "$SHARED/bench/eval-vectors.py" "$OUT/$1.bin" "$EVAL/questions-words.txt" "$EVAL/ws353.tsv" \
    "$EVAL/mturk771.tsv" --json "$OUT/$1.json" > /dev/null 2>&1
}

for model in $MODELS; do
  m=$model
  epochs=$EPOCHS
  extra=()
  if [ "$model" = glove ]; then epochs=$((EPOCHS * 3)); extra=(--save-cooccurrence "$OUT/$m-a.cooc"); fi
  echo "== $model: whole, continued, cold, init ($epochs epochs each)"
  run "$m-whole" --model "$model" --epochs "$epochs" --input "$OUT/a.txt" "$OUT/b.txt" --output "$OUT/$m-whole.bin"
  run "$m-a" --model "$model" --epochs "$epochs" --input "$OUT/a.txt" --output "$OUT/$m-a.bin" --save-model "$OUT/$m-a.wvm" \
    "${extra[@]}"
  cont=()
  [ "$model" = glove ] && cont=(--save-cooccurrence "$OUT/$m-ab.cooc")
  run "$m-continued" --continue "$OUT/$m-a.wvm" --input "$OUT/b.txt" --output "$OUT/$m-continued.bin" \
    --save-model "$OUT/$m-continued.wvm" "${cont[@]}"
  run "$m-cold" --model "$model" --epochs "$epochs" --input "$OUT/b.txt" --output "$OUT/$m-cold.bin"
  run "$m-init" --model "$model" --epochs "$epochs" --input "$OUT/b.txt" --output "$OUT/$m-init.bin" --init "$OUT/$m-a.bin"
  for r in whole a continued cold init; do score "$m-$r"; done
done

/usr/bin/python3 - "$OUT" "$WORDVEC" $MODELS <<'PY'
import collections, json, os, subprocess, sys
out, wordvec, models = sys.argv[1], sys.argv[2], sys.argv[3:]
def scores(name):
    d = json.load(open(os.path.join(out, name + ".json")))
    sim = {os.path.basename(s["file"]).split(".")[0]: s["spearman"] for s in d["similarity"]}
    return 100 * d["analogy"][0]["overall"]["acc"], sim.get("ws353", float("nan")), sim.get("mturk771", float("nan"))
def timing(name):
    seconds, kb = open(os.path.join(out, name + ".time")).read().split()[-2:]
    return float(seconds), int(kb) / 1024
rows = [("whole", "one run over A + B"), ("a", "A only (the model continued)"),
        ("continued", "A, then --continue on B"), ("cold", "B only, from scratch"), ("init", "B only, --init from A's vectors")]
print("| model | run | analogy % | WS353 | MTurk-771 | seconds | peak RSS MB |")
print("|---|---|---:|---:|---:|---:|---:|")
for m in models:
    for r, label in rows:
        a, ws, mt = scores(f"{m}-{r}")
        s, mb = timing(f"{m}-{r}")
        print(f"| {m} | {label} | {a:.2f} | {ws:.3f} | {mt:.3f} | {s:.1f} | {mb:.0f} |")
# Words that only B has: their neighbours in the continued skip-gram model.
model = models[0]
def counts(path):
    c = collections.Counter()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            c.update(line.split())
    return c
a, b = counts(os.path.join(out, "a.txt")), counts(os.path.join(out, "b.txt"))
only_b = [w for w, n in b.most_common() if w not in a and w.isalpha() and n >= 30][:40:5]
print(f"\nwords that only B has ({sum(1 for w in b if w not in a and b[w] >= 5)} with 5+ occurrences), "
      f"neighbours in {model}-continued.wvm:")
nn = subprocess.run([wordvec, "nn", "--vectors", os.path.join(out, f"{model}-continued.wvm"), "-k", "6", *only_b],
                    capture_output=True, text=True).stdout
word = None
for line in nn.splitlines():
    if line.endswith(":"):
        word = line[:-1]
        near = []
    elif word:
        near.append(line.split()[0])
        if len(near) == 6:
            print(f"- {word} ({b[word]} in B): {', '.join(near)}")
PY
