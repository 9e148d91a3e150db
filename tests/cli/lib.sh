# Shared by the CLI test scripts (sourced): the binary, the corpus, the data
# folder, a temporary folder removed on exit, and the pass/fail counters.
WORDVEC=${WORDVEC:-build/wordvec}
CORPUS=${CORPUS:-build/data/corpus.txt}
DATA=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../data" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
# Whether a file holds a sanitizer's report (an expected error must not hide one).
sanitizer_report() { grep -qE 'AddressSanitizer|LeakSanitizer|ThreadSanitizer|runtime error:' "$1"; }

# expect_error NAME EXIT_CODE MESSAGE_FRAGMENT -- command...
# The command must exit with EXIT_CODE, print one line containing the fragment on stderr,
# and leave no file in $T/out.
expect_error() {
  local name=$1 code=$2 fragment=$3; shift 4
  rm -rf "$T/out"; mkdir -p "$T/out"
  "$@" > "$T/stdout" 2> "$T/stderr"
  local rc=$?
  if [ "$rc" -ne "$code" ]; then fail "$name: exit $rc, expected $code ($(head -c 300 "$T/stderr"))"; return; fi
  if sanitizer_report "$T/stderr"; then fail "$name: a sanitizer report on the error path: $(head -c 300 "$T/stderr")"; return; fi
  if ! grep -qF -- "$fragment" "$T/stderr"; then fail "$name: stderr lacks '$fragment': $(head -c 300 "$T/stderr")"; return; fi
  if [ -n "$(ls -A "$T/out")" ]; then fail "$name: left files behind: $(ls -A "$T/out")"; return; fi
  ok
}

# interrupt SIGNAL WHEN LOG -- command...: runs the command with stderr to LOG,
# sends the signal when WHEN holds, prints "EXIT_CODE SECONDS_TO_STOP".
# WHEN is "file:PATH" (PATH exists and is not empty, e.g. a first checkpoint),
# "log:TEXT" (the log holds TEXT, e.g. "training " once training started), or
# seconds -- only for a command that cannot end by itself first: a fixed delay
# on a fast machine lets a short run finish (exit 0) before the signal.
# A command that ends before WHEN prints "EXIT_CODE early". (python restores
# SIGINT's default action, which bash ignores in background jobs.)
interrupt() {
  local sig=$1 when=$2 log=$3; shift 4
  /usr/bin/python3 - "$sig" "$when" "$log" "$@" <<'PY'
import os, signal, subprocess, sys, time
sig, when, log, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
p = subprocess.Popen(cmd, stderr=open(log, "w"),
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
def ready():
    if when.startswith("file:"):
        path = when[5:]
        return os.path.exists(path) and os.path.getsize(path) > 0
    if when.startswith("log:"):
        with open(log, errors="replace") as f:
            return when[4:] in f.read()
    return time.time() - begun >= float(when)
begun = time.time()
while not ready():
    if p.poll() is not None or time.time() - begun > 300:
        break
    time.sleep(0.01)
if p.poll() is not None:
    print(p.returncode, "early")
    sys.exit(0)
time.sleep(0.05)  # past the moment WHEN turned true, inside the work that follows it
p.send_signal(getattr(signal, "SIG" + sig))
start = time.time()
rc = p.wait()
print(rc, "%.2f" % (time.time() - start))
PY
}

# split_halves DIR: the corpus's first half of lines in DIR/a.txt, the rest in DIR/b.txt
# (an old text and a new one, for --continue and --init).
split_halves() {
  local lines
  lines=$(wc -l < "$CORPUS")
  head -n $((lines / 2)) "$CORPUS" > "$1/a.txt"
  tail -n +$((lines / 2 + 1)) "$CORPUS" > "$1/b.txt"
}
