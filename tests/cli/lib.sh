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
