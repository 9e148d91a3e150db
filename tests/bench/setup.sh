# Sourced by the bench scripts: paths, the benchmark corpus and GNU time.
# In: here (the script's folder), QUICK, OUT_PREFIX. Out: root, shared, WORDVEC, OUT, CORPUS.
root=$(cd "$here/../.." && pwd)
shared=$(cd "$root/../shared" 2>/dev/null && pwd) || { echo "bench: ../shared (benchmark scripts and corpus pieces) not found beside the project" >&2; exit 1; }
WORDVEC=${WORDVEC:-$root/build/wordvec}
OUT=${OUT:-$root/bench-data/$OUT_PREFIX-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
"$shared/bench/make-corpus.sh" "$root/bench-data" >&2
CORPUS=$root/bench-data/corpus.txt
[ "${QUICK:-0}" = 1 ] && CORPUS=$root/bench-data/corpus-small.txt
[ -x /usr/bin/time ] || { [ "$(id -u)" = 0 ] && apt-get install -y -qq time >/dev/null; } || { echo "bench: install the 'time' package" >&2; exit 1; }
