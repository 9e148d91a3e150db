#!/usr/bin/env bash
# A real client agrees: gensim reads wordvec's binary and text vectors, finds the same
# values, and scores them as `wordvec eval` does (analogy to 0.1 point, Spearman to 0.001).
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt bash tests/cli/gensim_agreement.sh
set -uo pipefail
WORDVEC=${WORDVEC:-build/wordvec}
CORPUS=${CORPUS:-build/data/corpus.txt}
DATA=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../data" && pwd)
# A missing gensim fails (make test-deps installs it); WORDVEC_ALLOW_SKIP=1 lets it be skipped on purpose.
if ! /usr/bin/python3 -c 'import gensim' 2>/dev/null; then
  echo "gensim: /usr/bin/python3 cannot import gensim (apt-get install python3-gensim)" >&2
  [ "${WORDVEC_ALLOW_SKIP:-0}" = 1 ] && { echo "gensim: SKIPPED (WORDVEC_ALLOW_SKIP=1)"; exit 0; }
  exit 1
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$WORDVEC" train --input "$CORPUS" --output "$T/v.bin" --dim 50 --epochs 3 --threads 2 --quiet || exit 1
"$WORDVEC" convert --input "$T/v.bin" --output "$T/v.txt" --to text --quiet || exit 1
"$WORDVEC" eval --vectors "$T/v.bin" --analogy "$DATA/questions-words.txt" --similarity "$DATA/ws353.tsv" --json > "$T/wordvec.json" || exit 1
/usr/bin/python3 - "$T" "$DATA" <<'PY'
import json, logging, sys
import numpy as np
from gensim.models import KeyedVectors
logging.disable(logging.WARNING)
tmp, data = sys.argv[1], sys.argv[2]
ours = json.load(open(tmp + "/wordvec.json"))
passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)
binary = KeyedVectors.load_word2vec_format(tmp + "/v.bin", binary=True)
text = KeyedVectors.load_word2vec_format(tmp + "/v.txt", binary=False)
check(binary.index_to_key == text.index_to_key, "the two files list the same words in the same order")
check(np.abs(binary.vectors - text.vectors).max() <= 5.1e-7, "text values equal the binary ones to six decimals")
score, _ = binary.evaluate_word_analogies(data + "/questions-words.txt", restrict_vocab=30000, case_insensitive=True)
check(abs(100 * score - 100 * ours["analogy"]["accuracy"]) <= 0.1,
      "analogy: gensim %.3f%% vs wordvec %.3f%%" % (100 * score, 100 * ours["analogy"]["accuracy"]))
pearson, spearman, oov = text.evaluate_word_pairs(data + "/ws353.tsv", delimiter="\t", case_insensitive=True)
check(abs(spearman[0] - ours["similarity"][0]["spearman"]) <= 0.001,
      "ws353 spearman: gensim %.4f vs wordvec %.4f" % (spearman[0], ours["similarity"][0]["spearman"]))
print("gensim: %d passed, %d failed  (analogy %.2f%%, ws353 rho %.4f)" % (passed, failed, 100 * score, spearman[0]))
sys.exit(1 if failed else 0)
PY
