#!/usr/bin/env bash
# The library's layers may include only the layers below them:
#
#   cli -> everything          the command: the only home of Boost.ProgramOptions and spdlog
#   dist -> train simd text core       distributed training: collectives, model exchange, shared corpus
#   query -> io train simd text core   neighbours, analogies, evaluation, dimension sweeps
#   io -> train text core      vector formats, checkpoints, co-occurrence files
#   train -> simd text core    skip-gram, CBOW, GloVe, counting, sampling
#   simd -> core               kernels and their dispatch
#   text -> core               corpus, tokenizer, vocabulary, id stream
#   core                       errors, matrices, progress, threads, settings, safe files
#
# Fails, naming the file and line, when a file includes a layer it may not, a
# public header includes a private one, or anything outside cli uses the CLI's
# libraries. Checked on src/ and include/wordvec/ (public headers mirror src/).
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
  [core]="core"
  [text]="text core"
  [simd]="simd core"
  [train]="train simd text core"
  [io]="io train text core"
  [query]="query io train simd text core"
  [dist]="dist train simd text core"
)
layers="core text simd train io query dist cli"
failures=0
fail() { echo "layering: $*"; failures=$((failures + 1)); }

# The layer a file belongs to: src/LAYER/... or include/wordvec/LAYER/...
layer_of_file() {
  local path=$1
  path=${path#src/}; path=${path#include/wordvec/}
  echo "${path%%/*}"
}

# The layer an include names: "wordvec/LAYER/x.h" (public) or "LAYER/x.h" (private).
layer_of_include() {
  local name=${1#wordvec/}
  local first=${name%%/*}
  [[ " $layers " == *" $first "* && $name == */* ]] && echo "$first" || echo ""
}

checked=0
while IFS= read -r file; do
  [[ $file == include/wordvec/wordvec.h ]] && continue  # the umbrella, checked below
  layer=$(layer_of_file "$file")
  [[ " $layers " == *" $layer "* ]] || { fail "$file: not inside a layer folder ($layers)"; continue; }
  checked=$((checked + 1))
  while IFS=: read -r line text; do
    name=$(sed -E 's/.*#include [<"]([^">]+)[">].*/\1/' <<< "$text")
    if [[ $layer != cli && $name =~ ^(boost/program_options|spdlog/|fmt/) ]]; then
      fail "$file:$line includes <$name>: only src/cli may print or parse options"
      continue
    fi
    [[ $text == *'"'* ]] || continue  # system headers
    target=$(layer_of_include "$name")
    [[ -n $target ]] || continue      # a header beside the file (same layer)
    if [[ $file == include/* && $name != wordvec/* ]]; then
      fail "$file:$line: public header includes private \"$name\""
    fi
    [[ $layer == cli ]] && continue
    if [[ " ${allowed[$layer]} " != *" $target "* ]]; then
      fail "$file:$line: $layer includes $target (\"$name\"); $layer may include only: ${allowed[$layer]}"
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$file" || true)
done < <(find src include/wordvec -name '*.h' -o -name '*.cc' | sort)

# Public headers live in layer folders; the umbrella wordvec.h includes every
# one of them; each compiles on its own with only include/ on the path (no
# private header or build flag leaks into the public interface).
for stray in include/wordvec/*.h; do
  [[ -e $stray && $stray != include/wordvec/wordvec.h ]] && fail "$stray: public headers live in a layer folder"
done
CXX=${CXX:-g++}
for header in include/wordvec/*/*.h; do
  name=${header#include/}
  grep -q "#include \"$name\"" include/wordvec/wordvec.h || fail "include/wordvec/wordvec.h does not include $name"
  $CXX -std=c++20 -fsyntax-only -Iinclude -x c++ "$header" 2> /tmp/layering.$$ ||
    fail "$header does not compile on its own: $(head -c 300 /tmp/layering.$$)"
done
rm -f /tmp/layering.$$

if ((failures)); then
  echo "layering: $failures violations in $checked files"
  exit 1
fi
echo "layering: $checked files, every include goes down the layers"
