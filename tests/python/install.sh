#!/usr/bin/env bash
# The README's install: a venv that sees Debian's packages, then an offline
# pip install of this tree; the installed package trains and answers from
# outside the source tree.
set -eu
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install --no-build-isolation --no-index --quiet "$root" > "$work/pip.log" 2>&1 \
  || { cat "$work/pip.log"; echo "install: pip install failed"; exit 1; }
cd "$work"
"$work/venv/bin/python" - "$root/build/data/corpus.txt" <<'PY'
import sys, wordvec
assert "site-packages" in wordvec.__file__, wordvec.__file__
v = wordvec.train(sys.argv[1], dim=30, epochs=1, progress=False)
assert len(v) == 21201 and v.most_similar("king", topn=3)
print("install: pip-installed wordvec from", wordvec.__file__, "trained", v)
PY
