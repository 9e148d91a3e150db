#!/usr/bin/env bash
# Classes of failure a user must never meet (issue 18), each tried in many
# spellings: an input overwritten, a crash inside an accepted range, a partial
# file or a silent exit on a signal, a silently wrong result.
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt bash tests/cli/reliability.sh
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WORDVEC=$(realpath "$WORDVEC") CORPUS=$(realpath "$CORPUS")  # the collision tests run in another folder

# A crash (signal, sanitizer report) is never an acceptable answer.
crashed() { [ "$1" -ge 128 ] || [ "$1" = 86 ] || sanitizer_report "$2" || grep -q Segmentation "$2"; }

head -c 400000 "$CORPUS" > "$T/small.txt"  # ~65k tokens: a second of training at most

# ---------------------------------------------------------------- 1. never overwrite an input
# Every way of naming one file twice: the same string, ./x, an absolute path,
# a/../x, a symlink, a hard link. For each command and each pair of an input
# and an output (or two outputs), the run is refused before any work, and
# every file stays byte-identical.
mkdir -p "$T/p/sub"
cd "$T/p"
cp "$T/small.txt" corpus.txt
"$WORDVEC" train --quiet --input corpus.txt --output vec.bin --dim 10 --epochs 1 --threads 1 --save-vocab vocab.txt
"$WORDVEC" convert --quiet --input vec.bin --output vec.npy --to npy  # vec.npy + vec.words.txt
"$WORDVEC" train --quiet --model glove --input corpus.txt --epochs 0 --save-cooccurrence cooc.bin
printf 'a\tb\t1\nc\td\t2\n' > sim.tsv
printf ': s\na b c d\n' > questions.txt
cp corpus.txt cw.words.txt   # a corpus that is also the word list of cw.npy
cp vec.bin vt.words.txt      # vectors that are also the word list of vt.npy
cp sim.tsv s.csv             # a similarity set that is also the CSV of the sweep prefix s
cp questions.txt q.svg       # an analogy set that is also the SVG of the sweep prefix q
keep() {  # files whose every byte must survive every refused run
  local f
  for f in "$@"; do ln -s "$f" "link-$f"; ln "$f" "hard-$f"; cp "$f" "$T/pristine-$f"; done
}
keep corpus.txt vec.bin vec.npy vec.words.txt cooc.bin vocab.txt sim.tsv questions.txt cw.words.txt vt.words.txt s.csv q.svg
spellings() {  # every name of file (or prefix) $1
  echo "$1"; echo "./$1"; echo "$T/p/$1"; echo "sub/../$1"; echo "link-$1"; echo "hard-$1"
}
new_spellings() {  # names of a file that does not exist yet
  echo "$1"; echo "./$1"; echo "$T/p/$1"; echo "sub/../$1"
}
unchanged() {
  local f
  for f in "$T"/pristine-*; do
    f=${f#"$T/pristine-"}
    cmp -s "$f" "$T/pristine-$f" || { echo "$f changed"; return 1; }
  done
  [ -z "$(ls | grep '\.tmp\.')" ] || { echo "temp files: $(ls | grep '\.tmp\.')"; return 1; }
}
# collide NAME SPELLINGS -- command with @ for each spelling: every run refused, every file kept
collide() {
  local name=$1 names=$2 spelling; shift 3
  while read -r spelling; do
    local cmd=()
    for a in "$@"; do cmd+=("${a//@/$spelling}"); done
    "${cmd[@]}" > "$T/out" 2> "$T/err"
    local rc=$?
    if [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ]; then fail "$name ($spelling): exit $rc: $(head -c 200 "$T/err")"
    elif ! grep -qE 'same file|refusing' "$T/err"; then fail "$name ($spelling): $(head -c 200 "$T/err")"
    elif ! why=$(unchanged); then fail "$name ($spelling): $why"
    else ok; fi
  done <<< "$names"
}
T1=(--quiet --epochs 1 --dim 10 --threads 1)
C=corpus.txt
collide "train --output = --input" "$(spellings $C)" -- "$WORDVEC" train "${T1[@]}" --input $C --output @
collide "train --input = --output" "$(spellings $C)" -- "$WORDVEC" train "${T1[@]}" --input @ --output $C
collide "train --save-vocab = --input" "$(spellings $C)" -- "$WORDVEC" train "${T1[@]}" --input $C --output new.bin --save-vocab @
collide "train --checkpoint = --input" "$(spellings $C)" -- "$WORDVEC" train "${T1[@]}" --input $C --output new.bin --checkpoint @
collide "cbow --output = --input" "$(spellings $C)" -- "$WORDVEC" train "${T1[@]}" --model cbow --input $C --output @
collide "train npy word list = --input" "$(new_spellings cw.npy)" -- "$WORDVEC" train "${T1[@]}" --input cw.words.txt --output @ --format npy
collide "train --save-vocab = --output" "$(spellings vec.bin)" -- "$WORDVEC" train "${T1[@]}" --input $C --output vec.bin --save-vocab @
collide "train --save-vocab = new --output" "$(new_spellings new.bin)" -- "$WORDVEC" train "${T1[@]}" --input $C --output new.bin --save-vocab @
collide "train --checkpoint = --save-vocab" "$(spellings vocab.txt)" -- "$WORDVEC" train "${T1[@]}" --input $C --output new.bin --save-vocab vocab.txt --checkpoint @
collide "glove --output = --cooccurrence" "$(spellings cooc.bin)" -- "$WORDVEC" train "${T1[@]}" --model glove --cooccurrence cooc.bin --output @
collide "glove --output = --input" "$(spellings $C)" -- "$WORDVEC" train "${T1[@]}" --model glove --input $C --output @
collide "glove --save-cooccurrence = --input" "$(spellings $C)" -- "$WORDVEC" train "${T1[@]}" --model glove --input $C --output new.bin --save-cooccurrence @
collide "glove --save-cooccurrence = --output" "$(new_spellings new.bin)" -- "$WORDVEC" train "${T1[@]}" --model glove --input $C --output new.bin --save-cooccurrence @
collide "convert --output = --input" "$(spellings vec.bin)" -- "$WORDVEC" convert --quiet --input vec.bin --output @ --to text
collide "convert --input = --output" "$(spellings vec.bin)" -- "$WORDVEC" convert --quiet --input @ --output vec.bin --to bin
collide "convert npy word list = --input" "$(new_spellings vt.npy)" -- "$WORDVEC" convert --quiet --input vt.words.txt --output @ --to npy
collide "convert --output = npy input's word list" "$(spellings vec.words.txt)" -- "$WORDVEC" convert --quiet --input vec.npy --output @ --to text
collide "dim --sweep CSV = similarity set" "$(spellings s)" -- "$WORDVEC" dim --sweep --quiet --input $C --eval-similarity s.csv --dims 4 --sweep-output @
collide "dim --sweep SVG = analogy set" "$(spellings q)" -- "$WORDVEC" dim --sweep --quiet --input $C --eval-similarity sim.tsv --eval-analogy q.svg --dims 4 --sweep-output @
collide "dim --trend CSV = its sweep" "$(spellings s)" -- "$WORDVEC" dim --trend s.csv --quiet --trend-output @
collide "dim --trend output = a CSV of its folder" "$(spellings s)" -- "$WORDVEC" dim --trend . --quiet --trend-output @
# A resumed run may keep checkpointing to the file it resumed (read first, replaced later), not into an output.
"$WORDVEC" train --quiet --input $C --output ck-v.bin --dim 10 --epochs 20 --threads 1 --checkpoint ck.bin --checkpoint-every 1e-6
keep ck.bin
collide "resume --output = --resume" "$(spellings ck.bin)" -- "$WORDVEC" train --resume ck.bin --checkpoint other.ck --output @
collide "resume --output = its checkpoint" "$(spellings ck.bin)" -- "$WORDVEC" train --resume ck.bin --output @
cd - > /dev/null

# ---------------------------------------------------------------- 2. no crash in an accepted range
# The edges of every accepted range train briefly: finite vectors or a clean
# one-line refusal, never a crash.
mkdir -p "$T/edge"
printf 'the cat sat on the mat\nthe dog sat on the log\n' > "$T/edge/tiny.txt"
edge() {
  local corpus=$1; shift
  rm -f "$T/edge/v.txt"
  timeout 300 "$WORDVEC" train --quiet --input "$corpus" --output "$T/edge/v.txt" --format text "$@" \
    > /dev/null 2> "$T/edge/err"
  local rc=$?
  if crashed "$rc" "$T/edge/err"; then fail "edge $*: exit $rc: $(head -c 300 "$T/edge/err")"; return; fi
  if [ "$rc" = 0 ]; then
    if /usr/bin/python3 -c '
import math, sys
rows = [l.split()[1:] for l in open(sys.argv[1]).read().splitlines()[1:]]
assert rows and all(math.isfinite(float(x)) and abs(float(x)) < 1e4 for r in rows for x in r)' "$T/edge/v.txt"
    then ok; else fail "edge $*: non-finite or exploded vectors written"; fi
  elif [ "$(wc -l < "$T/edge/err")" -le 2 ] && grep -q 'error\|must\|takes' "$T/edge/err" && [ ! -e "$T/edge/v.txt" ]; then ok
  else fail "edge $*: exit $rc, $(head -c 300 "$T/edge/err")"; fi
}
S=("$T/small.txt" --epochs 1)
ram_gib=$(awk '/MemTotal/ {printf "%.3f", $2 / 1048576 * 0.999}' /proc/meminfo)
for args in "--dim 1" "--dim 10000 --max-vocab 200" "--window 1" "--window 1000" "--negative 1" "--negative 64" \
    "--share-negatives 1" "--share-negatives 64" "--sample 0" "--sample 0.999999" "--alpha 1e-300" "--alpha 10" \
    "--alpha 0.5" "--alpha 0.45" "--alpha 0.4" "--threads 1024" "--threads 1" "--cache-memory 0" "--cache-memory 1e6" \
    "--seed 0" "--seed 18446744073709551615" "--max-vocab 1 --dim 5" "--max-vocab 18446744073709551615" \
    "--min-count 0" "--min-count 18446744073709551615" "--update exact --alpha 10" "--model cbow --alpha 10" \
    "--model cbow --alpha 0.45" "--model cbow --window 1000" "--checkpoint-every 1e-9 --checkpoint $T/edge/ck" \
    "--checkpoint-every 1e6 --checkpoint $T/edge/ck"; do
  dim=(--dim 8); [[ $args == *--dim* ]] && dim=()
  threads=(--threads 2); [[ $args == *--threads* ]] && threads=()
  # shellcheck disable=SC2086
  edge "${S[@]}" $args "${dim[@]}" "${threads[@]}"
done
edge "$T/edge/tiny.txt" --min-count 1 --dim 2 --epochs 100000 --threads 1
for args in "--dim 1" "--dim 10000 --max-vocab 100" "--window 1" "--window 20" "--x-max 1e-300" "--x-max 1e300" \
    "--glove-alpha 0" "--glove-alpha 10" "--alpha 1e-300" "--alpha 10" "--bias-alpha 1e-300" "--bias-alpha 10" "--memory 1e-9" "--memory $ram_gib" "--memory 1e6" \
    "--epochs 0 --save-cooccurrence $T/edge/c.bin" "--threads 1024"; do
  rm -f "$T/edge/c.bin"
  # shellcheck disable=SC2086
  if [[ $args == *"--epochs 0"* ]]; then
    "$WORDVEC" train --quiet --model glove --input "$T/small.txt" $args > /dev/null 2> "$T/edge/err"
    rc=$?; if [ "$rc" = 0 ] && [ -s "$T/edge/c.bin" ]; then ok; else fail "glove edge $args: $rc $(head -c 200 "$T/edge/err")"; fi
  else
    dim=(--dim 8); [[ $args == *--dim* ]] && dim=()
    threads=(--threads 2); [[ $args == *--threads* ]] && threads=()
    edge "$T/small.txt" --model glove --epochs 2 $args "${dim[@]}" "${threads[@]}"
  fi
done
# Out of range: refused with the range that works, in the one wording every
# option uses ("--flag must be between A and B" or "--flag must be in (A, B]").
for args in "--alpha 10.5" "--alpha -1" "--checkpoint-every 0" "--checkpoint-every 1e7" "--alpha 11 --model glove" \
    "--epochs 0" "--dim 10001" "--window 1001" "--negative 65" "--threads 1025"; do
  rm -f "$T/edge/v.bin"
  # shellcheck disable=SC2086
  "$WORDVEC" train --input "$T/small.txt" --output "$T/edge/v.bin" $args > /dev/null 2> "$T/edge/err"
  rc=$?
  if [ "$rc" = 2 ] && grep -qE -- "${args%% *} must be (between [0-9.e+-]+ and [0-9.e+-]+|in [[(][0-9.e+-]+, [0-9.e+-]+[])])" "$T/edge/err" &&
     [ ! -e "$T/edge/v.bin" ]; then ok
  else fail "out of range $args: exit $rc: $(head -c 200 "$T/edge/err")"; fi
done
# Divergence is an error naming the flag to lower, with no vectors and no checkpoint of the diverged state.
for model in skipgram cbow glove; do
  rm -f "$T/edge/v.bin" "$T/edge/dck"
  "$WORDVEC" train --quiet --model $model --input "$T/small.txt" --output "$T/edge/v.bin" --alpha 10 --epochs 2 --dim 8 \
    > /dev/null 2> "$T/edge/err"
  rc=$?
  if [ "$rc" = 1 ] && grep -q 'diverged' "$T/edge/err" && grep -q -- '--alpha' "$T/edge/err" && [ ! -e "$T/edge/v.bin" ]; then ok
  else fail "$model divergence: exit $rc: $(head -c 300 "$T/edge/err")"; fi
done

# ---------------------------------------------------------------- 3. every exit path: no partial file, one line
mkdir -p "$T/sig"
"$WORDVEC" train --quiet --input "$T/small.txt" --output "$T/sig/big.txt" --format text --dim 400 --epochs 1
# on_signal SIG PATTERN -- command: sends SIG as soon as a file matching PATTERN exists (the output is being
# written); prints "EXIT_CODE|LAST_STDERR_LINE|FILES_LEFT".
on_signal() {
  local sig=$1 pattern=$2; shift 3
  /usr/bin/python3 - "$sig" "$pattern" "$@" <<'PY'
import glob, signal, subprocess, sys, time
sig, pattern, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
def default_actions():  # as a terminal would have them (nohup ignores SIGHUP, background jobs SIGINT and SIGQUIT)
    for s in (signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM, signal.SIGUSR1, signal.SIGALRM):
        signal.signal(s, signal.SIG_DFL)
p = subprocess.Popen(cmd, stderr=subprocess.PIPE, preexec_fn=default_actions)
while not glob.glob(pattern) and p.poll() is None:
    time.sleep(0.0002)
p.send_signal(getattr(signal, "SIG" + sig))
err = p.communicate()[1].decode().strip().splitlines()
print("%d|%s|%s" % (p.returncode, err[-1] if err else "", " ".join(glob.glob(pattern))))
PY
}
for sig in INT TERM HUP QUIT USR1 ALRM; do
  for job in convert train; do
    rm -f "$T/sig/out"*
    if [ $job = convert ]; then
      result=$(on_signal $sig "$T/sig/out.txt*" -- "$WORDVEC" convert --input "$T/sig/big.txt" --output "$T/sig/out.txt" --to text)
    else
      result=$(on_signal $sig "$T/sig/out.txt*" -- "$WORDVEC" train --input "$T/small.txt" --output "$T/sig/out.txt" --format text --dim 400 --epochs 1 --threads 2)
    fi
    num=$(/usr/bin/python3 -c "import signal; print(signal.SIG$sig.value)")
    IFS='|' read -r rc line left <<< "$result"
    if [ "$rc" = $((128 + num)) ] && [[ $line == *"stopped by SIG$sig"* ]] && [ -z "$left" ] && [ -z "$(ls "$T/sig" | grep -v big.txt)" ]; then ok
    else fail "SIG$sig while $job writes: $result; left: $(ls "$T/sig" | grep -v big.txt)"; fi
  done
done
# A signal that cannot stop a job cleanly (SIGUSR1), while GloVe holds spilled runs in --temp-dir: the folder goes too.
mkdir -p "$T/gtmp"
read -r rc _ < <(interrupt USR1 "log:training GloVe" "$T/sig.err" -- "$WORDVEC" train --model glove --input "$CORPUS" \
  --output "$T/sig/g.bin" --epochs 1000 --dim 20 --memory 0.002 --temp-dir "$T/gtmp")
if [ "$rc" = 138 ] && grep -q 'stopped by SIGUSR1' "$T/sig.err" && [ -z "$(ls -A "$T/gtmp")" ] && [ ! -e "$T/sig/g.bin" ]; then ok
else fail "SIGUSR1 during GloVe: exit $rc, temp: $(ls -A "$T/gtmp"), $(tail -1 "$T/sig.err")"; fi
# A stop signal during a dry run's calibration (it trains or counts a sample): the run stops with 128 + the
# signal, prints no plan and leaves no sample or temp folder behind.
mkdir -p "$T/dtmp"
for model in skipgram glove; do
  for sig in INT TERM; do
    read -r rc _ < <(interrupt $sig "log:dry run:" "$T/dry.err" -- bash -c 'exec "$@" > "$0"' "$T/dry.out" \
      "$WORDVEC" train --model $model --input "$CORPUS" --output "$T/sig/d.bin" --dry-run --temp-dir "$T/dtmp" --threads 2)
    num=$(/usr/bin/python3 -c "import signal; print(signal.SIG$sig.value)")
    if [ "$rc" = $((128 + num)) ] && grep -q "stopped by SIG$sig" "$T/dry.err" && [ ! -s "$T/dry.out" ] \
       && [ -z "$(ls -A "$T/dtmp")" ] && [ ! -e "$T/sig/d.bin" ]; then ok
    else fail "SIG$sig during $model --dry-run: exit $rc, temp: $(ls -A "$T/dtmp"), $(tail -1 "$T/dry.err")"; fi
  done
done
# The file size limit: a clean error, no temp file (SIGXFSZ no longer kills silently).
( ulimit -f 200; exec "$WORDVEC" convert --input "$T/sig/big.txt" --output "$T/sig/out.txt" --to text ) > /dev/null 2> "$T/sig.err"
rc=$?
if [ "$rc" = 1 ] && grep -q 'write failed: File too large' "$T/sig.err" && [ -z "$(ls "$T/sig" | grep -v big.txt)" ]; then ok
else fail "SIGXFSZ: exit $rc, $(head -c 200 "$T/sig.err"); left: $(ls "$T/sig" | grep -v big.txt)"; fi
# Temp files of a killed (-9) process are removed by the next writer of that target; a live process's are kept.
dead=$(( $(cat /proc/sys/kernel/pid_max) - 1 ))
while kill -0 $dead 2> /dev/null; do dead=$((dead - 1)); done  # a pid no process has
touch "$T/sig/out.txt.tmp.$dead.123456" "$T/sig/out.txt.tmp.$$.654321" "$T/sig/other.tmp.$dead.1"
"$WORDVEC" convert --quiet --input "$T/sig/big.txt" --output "$T/sig/out.txt" --to text --max-words 3
if [ ! -e "$T/sig/out.txt.tmp.$dead.123456" ] && [ -e "$T/sig/out.txt.tmp.$$.654321" ] && [ -e "$T/sig/other.tmp.$dead.1" ]; then ok
else fail "stale temp files: $(ls "$T/sig")"; fi
rm -f "$T/sig"/*.tmp.*
# Outputs other than the vectors are written only when the run succeeds.
mkdir -p "$T/keep"
echo "my precious vocabulary" > "$T/keep/vocab.txt"; echo "my co-occurrences" > "$T/keep/c.bin"
"$WORDVEC" train --quiet --input "$T/small.txt" --output "$T/keep/v.bin" --save-vocab "$T/keep/vocab.txt" --alpha 10 --epochs 1 2> /dev/null
"$WORDVEC" train --quiet --model glove --input "$T/small.txt" --output "$T/keep/v.bin" --save-vocab "$T/keep/vocab.txt" \
  --save-cooccurrence "$T/keep/c.bin" --alpha 10 --epochs 2 2> /dev/null
if [ "$(cat "$T/keep/vocab.txt")" = "my precious vocabulary" ] && [ "$(cat "$T/keep/c.bin")" = "my co-occurrences" ] \
   && [ ! -e "$T/keep/v.bin" ]; then ok; else fail "a failed run replaced --save-vocab or --save-cooccurrence"; fi
read -r rc _ < <(interrupt TERM "log:training " "$T/keep.log" -- "$WORDVEC" train --input "$CORPUS" --output "$T/keep/v.bin" \
  --save-vocab "$T/keep/vocab.txt" --epochs 1000 --dim 50)
if [ "$rc" = 143 ] && [ "$(cat "$T/keep/vocab.txt")" = "my precious vocabulary" ]; then ok
else fail "an interrupted run (exit $rc) replaced --save-vocab"; fi

# ---------------------------------------------------------------- 4. never a silently wrong result
mkdir -p "$T/w"
# Small, so that the epochs after the cut are quick under the sanitizers too;
# enough epochs that the run is still training when the file is cut.
head -c 1000000 "$CORPUS" > "$T/w/shrinks.txt"
"$WORDVEC" train --input "$T/w/shrinks.txt" --output "$T/w/v.bin" --epochs 100 --dim 20 --threads 2 2> "$T/w/err" &
pid=$!
until grep -q 'training ' "$T/w/err" || ! kill -0 $pid 2> /dev/null; do sleep 0.02; done  # training read it once
truncate -s 300000 "$T/w/shrinks.txt"
wait $pid; rc=$?
if [ "$rc" = 1 ] && grep -q 'changed while' "$T/w/err" && [ ! -e "$T/w/v.bin" ]; then ok
else fail "corpus shrinking during training: exit $rc, $(tail -1 "$T/w/err")"; fi
# The checkpoint's fingerprint covers every byte: an edit past the first MiB is caught.
cp "$CORPUS" "$T/w/c.txt"
"$WORDVEC" train --quiet --input "$T/w/c.txt" --output "$T/w/v.bin" --dim 10 --epochs 1 --threads 2 --checkpoint "$T/w/ck" --checkpoint-every 1e-6
printf 'X' | dd of="$T/w/c.txt" bs=1 seek=5000000 conv=notrunc status=none
"$WORDVEC" train --resume "$T/w/ck" --output "$T/w/r.bin" 2> "$T/w/err"
rc=$?
if [ "$rc" = 1 ] && grep -q 'corpus changed since the checkpoint' "$T/w/err"; then ok; else fail "mid-file edit not caught: $rc $(tail -1 "$T/w/err")"; fi
# --resume refuses options that would change the run, names the checkpoint's value, and works from another folder.
cp "$CORPUS" "$T/w/c.txt"
# (6 epochs: still training when the signal comes, and the two resumes below are short.)
read -r rc _ < <(cd "$T/w" && interrupt TERM "log:training " ck.log -- "$WORDVEC" train --input c.txt --output v.bin --epochs 6 \
  --dim 20 --threads 2 --window 4 --checkpoint ck)
[ "$rc" = 143 ] || fail "interrupted run for resume: exit $rc, not 143: $(tail -1 "$T/w/ck.log")"
for args in "--window 6" "--dim 30" "--epochs 3" "--alpha 0.1" "--model cbow" "--negative 3" "--sample 0" "--seed 9" \
    "--min-count 2" "--input $T/w/c.txt" "--x-max 5"; do
  # shellcheck disable=SC2086
  "$WORDVEC" train --resume "$T/w/ck" --output "$T/w/r.bin" $args 2> "$T/w/err"
  rc=$?
  if [ "$rc" = 2 ] && grep -qE "conflicts with the checkpoint's|cannot be given with --resume" "$T/w/err" && [ ! -e "$T/w/r.bin" ]; then ok
  else fail "resume $args: exit $rc $(head -c 200 "$T/w/err")"; fi
done
if "$WORDVEC" train --resume "$T/w/ck" --output "$T/w/r.bin" --window 4 --dim 20 --threads 2 --quiet 2> "$T/w/err" \
   && [ -s "$T/w/r.bin" ]; then ok; else fail "resume with the checkpoint's own values: $(tail -1 "$T/w/err")"; fi
if "$WORDVEC" train --resume "$T/w/ck" --output "$T/w/r2.bin" --window 5 2>&1 | grep -q "checkpoint's window = 4"; then ok
else fail "resume --window 5 does not name the checkpoint's window 4"; fi
mkdir -p "$T/elsewhere"
( cd "$T/elsewhere" && "$WORDVEC" train --resume ../w/ck --output r.bin --quiet ) && [ -s "$T/elsewhere/r.bin" ] && ok \
  || fail "resume from another working directory"
# eval: a folder is an error, not 0/0; undefined correlations are "undefined" / null.
"$WORDVEC" eval --vectors "$T/w/r.bin" --analogy "$T" > "$T/w/out" 2> "$T/w/err"
rc=$?; if [ "$rc" = 1 ] && grep -q 'is a directory' "$T/w/err"; then ok; else fail "eval --analogy DIR: exit $rc"; fi
"$WORDVEC" eval --vectors "$T/w/r.bin" --similarity "$T" > "$T/w/out" 2> "$T/w/err"
rc=$?; if [ "$rc" = 1 ] && grep -q 'is a directory' "$T/w/err"; then ok; else fail "eval --similarity DIR: exit $rc"; fi
printf 'the\tof\t5\nqqqq\tzzzz\t3\n' > "$T/w/one.tsv"
printf 'the\tof\t5\nand\tin\t5\n' > "$T/w/flat.tsv"
out=$("$WORDVEC" eval --vectors "$T/w/r.bin" --similarity "$T/w/one.tsv" "$T/w/flat.tsv")
if [ "$(grep -c 'spearman undefined  pearson undefined' <<< "$out")" = 2 ]; then ok; else fail "undefined correlation: $out"; fi
if "$WORDVEC" eval --vectors "$T/w/r.bin" --similarity "$T/w/one.tsv" --json \
   | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)["similarity"][0]; assert d["spearman"] is None and d["pearson"] is None'; then ok
else fail "undefined correlation in JSON is not null"; fi
printf ': unknown\nqqqa qqqb qqqc qqqd\n' > "$T/w/unknown-questions.txt"   # no question can be attempted
if "$WORDVEC" eval --vectors "$T/w/r.bin" --analogy "$T/w/unknown-questions.txt" | grep -q '^analogy overall    undefined  (0/0' \
   && "$WORDVEC" eval --vectors "$T/w/r.bin" --analogy "$T/w/unknown-questions.txt" --json \
      | /usr/bin/python3 -c 'import json,sys; assert json.load(sys.stdin)["analogy"]["accuracy"] is None'; then ok
else fail "analogy accuracy with nothing attempted is not undefined/null"; fi
# Negative numbers for unsigned options: refused with what was typed (not the
# value it wraps to) and the range that works.
V="$T/w/r.bin"
while read -r name cmd; do
  # shellcheck disable=SC2086
  "$WORDVEC" $cmd > /dev/null 2> "$T/w/err"
  rc=$?
  if [ "$rc" = 2 ] && grep -q "whole number between 0 and [0-9]*.*, got '-1'" "$T/w/err" \
     && ! grep -q "got '18446744073709551615'" "$T/w/err"; then ok
  else fail "negative $name: exit $rc $(head -c 200 "$T/w/err")"; fi
done <<EOF
threads train --input $CORPUS --output $T/w/n.bin --threads -1
min-count train --input $CORPUS --output $T/w/n.bin --min-count -1
max-vocab train --input $CORPUS --output $T/w/n.bin --max-vocab -1
seed train --input $CORPUS --output $T/w/n.bin --seed -1
nn-k nn --vectors $V -k -1 the
convert-max-words convert --input $V --output $T/w/n.txt --to text --max-words -1
restrict-vocab eval --vectors $V --analogy $DATA/questions-words.txt --restrict-vocab -1
dim-min-count dim --input $CORPUS --min-count -1
dim-threads dim --sweep --input $CORPUS --eval-similarity $DATA/ws353.tsv --threads -1
dim-seed dim --sweep --input $CORPUS --eval-similarity $DATA/ws353.tsv --seed -1
dim-restrict-vocab dim --sweep --input $CORPUS --eval-similarity $DATA/ws353.tsv --restrict-vocab -1
EOF
# No candidate words at all is refused with the range that works (it used to report 0/0).
"$WORDVEC" eval --vectors "$V" --analogy "$DATA/questions-words.txt" --restrict-vocab 0 > /dev/null 2> "$T/w/err"
if [ $? = 2 ] && grep -q -- "--restrict-vocab takes 1 or more" "$T/w/err"; then ok; else fail "eval --restrict-vocab 0: $(head -c 200 "$T/w/err")"; fi
# Tokens with control bytes round-trip through every format.
for i in $(seq 20); do printf 'a\001b c\037d e\177f g\033h\n'; done > "$T/w/ctl.txt"
for f in bin text vec glove npy; do
  "$WORDVEC" train --quiet --input "$T/w/ctl.txt" --output "$T/w/ctl.$f" --format $f --min-count 1 --dim 4 --epochs 1 2>/dev/null
  if "$WORDVEC" convert --quiet --input "$T/w/ctl.$f" --output "$T/w/ctl.$f.txt" --to text \
     && /usr/bin/python3 -c '
import sys
rows = open(sys.argv[1], "rb").read().split(b"\n")[1:-1]
assert sorted(r.split(b" ")[0] for r in rows) == [b"a\x01b", b"c\x1fd", b"e\x7ff", b"g\x1bh"], rows' "$T/w/ctl.$f.txt"
  then ok; else fail "control bytes do not round-trip through $f"; fi
done
# A FIFO or pipe holding vectors or an evaluation set is "not a regular file",
# at once, never a hang; a corpus may be one (read once, into a copy).
printf 'the cat sat\n%.0s' $(seq 50) > "$T/w/plain.txt"
mkfifo "$T/w/fifo"
for cmd in "nn --vectors $T/w/fifo the" "eval --vectors $V --similarity $T/w/fifo"; do
  # shellcheck disable=SC2086
  echo "the cat" | timeout 10 "$WORDVEC" $cmd > /dev/null 2> "$T/w/err"
  rc=$?
  if [ "$rc" = 1 ] && grep -q 'not a regular file' "$T/w/err"; then ok; else fail "FIFO/pipe ($cmd): exit $rc $(head -c 200 "$T/w/err")"; fi
done
for cmd in "train --input $T/w/fifo --output $T/w/f.bin --min-count 1 --dim 4" "dim --input $T/w/fifo --min-count 1"; do
  (cat "$T/w/plain.txt" > "$T/w/fifo" &)
  # shellcheck disable=SC2086
  timeout 20 "$WORDVEC" $cmd > /dev/null 2> "$T/w/err"
  rc=$?
  if [ "$rc" = 0 ]; then ok; else fail "corpus from a FIFO ($cmd): exit $rc $(head -c 200 "$T/w/err")"; fi
done
if timeout 20 "$WORDVEC" train --input /dev/stdin --output "$T/w/f.bin" --min-count 1 --dim 4 < "$T/w/plain.txt" 2> "$T/w/err"
then ok; else fail "corpus from /dev/stdin: $(head -c 200 "$T/w/err")"; fi
# Not UTF-8 text: said so. Compressed text is read. A UTF-8 byte-order mark is not part of the first word.
/usr/bin/python3 -c '
import bz2, gzip, lzma, sys
text = open(sys.argv[1], "rb").read()
for name, data in (("c.gz", gzip.compress(text)), ("c.bz2", bz2.compress(text)), ("c.xz", lzma.compress(text))):
    open(sys.argv[2] + "/" + name, "wb").write(data)' "$T/w/plain.txt" "$T/w"
printf '\x28\xb5\x2f\xfd rest' > "$T/w/c.zst"
iconv -f UTF-8 -t UTF-16 "$T/w/plain.txt" > "$T/w/c16.txt"   # with a BOM
iconv -f UTF-8 -t UTF-16LE "$T/w/plain.txt" > "$T/w/c16le.txt" # without
iconv -f UTF-8 -t UTF-32 "$T/w/plain.txt" > "$T/w/c32.txt"
for f in c.gz c.bz2 c.xz; do
  rm -f "$T/w/x.vocab"
  if "$WORDVEC" train --quiet --input "$T/w/$f" --output "$T/w/x.bin" --min-count 1 --dim 4 --save-vocab "$T/w/x.vocab" 2> "$T/w/err" \
     && [ "$(LC_ALL=C sort "$T/w/x.vocab" | tr '\n' ' ')" = "cat 50 sat 50 the 50 " ]; then ok
  else fail "$f: not read as its text: $(head -c 200 "$T/w/err")"; fi
done
rm -f "$T/w/x.bin"
for pair in "c.zst:corrupt zstd" "c16.txt:UTF-16" "c16le.txt:NUL bytes" "c32.txt:UTF-32"; do
  f=${pair%%:*} what=${pair#*:}
  "$WORDVEC" train --input "$T/w/$f" --output "$T/w/x.bin" --min-count 1 > /dev/null 2> "$T/w/err"
  rc=$?
  if [ "$rc" = 1 ] && grep -q "$what" "$T/w/err" && [ ! -e "$T/w/x.bin" ]; then ok; else fail "$f: exit $rc $(head -c 200 "$T/w/err")"; fi
done
{ printf '\xef\xbb\xbf'; cat "$T/w/plain.txt"; } > "$T/w/bom.txt"
"$WORDVEC" train --quiet --input "$T/w/bom.txt" --output "$T/w/bom.bin" --min-count 1 --dim 4 --save-vocab "$T/w/bom.vocab" 2>/dev/null
if [ "$(LC_ALL=C sort "$T/w/bom.vocab" | tr '\n' ' ')" = "cat 50 sat 50 the 50 " ]; then ok; else fail "UTF-8 BOM: $(od -c "$T/w/bom.vocab" | head -2)"; fi

echo "reliability: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
