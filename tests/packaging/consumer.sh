#!/usr/bin/env bash
# wordvec installed as a user installs it: `make install` into a staging
# DESTDIR, then the library example (examples/train_and_query.cc) built against
# the installed tree twice -- with pkg-config and with CMake's find_package --
# and run; the man pages, bash completion, uninstall and the Debian package
# (its file list and lintian) checked too.
#   WORDVEC=build/wordvec CORPUS=build/data/corpus.txt OUT=dir bash tests/packaging/consumer.sh
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
OUT=$(mkdir -p "${OUT:-$(mktemp -d)}" && cd "${OUT:-.}" && pwd)
CORPUS=$(cd "$(dirname "$CORPUS")" && pwd)/$(basename "$CORPUS")
failed=0 checks=0
pass() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { local what=$1; shift; if "$@"; then pass; else fail "$what"; fi; }

stage=$OUT/stage prefix=/usr/local
rm -rf "$stage" "$OUT/pc" "$OUT/cmake-build"
make -C "$root" --no-print-directory -s install DESTDIR="$stage" PREFIX=$prefix > "$OUT/install.log" 2>&1 \
  || { cat "$OUT/install.log" >&2; echo "FAIL: make install" >&2; exit 1; }
inst=$stage$prefix
version=$(sed -n 's/^#define WORDVEC_VERSION_STRING "\(.*\)"$/\1/p' "$root/include/wordvec/core/version.h")

# The installed tree.
for f in bin/wordvec lib/libwordvec.a lib/libwordvec.so lib/libwordvec.so.${version%.*} lib/libwordvec.so.$version \
         include/wordvec/wordvec.h lib/pkgconfig/wordvec.pc lib/cmake/wordvec/wordvecConfig.cmake \
         lib/cmake/wordvec/wordvecConfigVersion.cmake share/man/man1/wordvec.1.gz share/man/man1/wordvec-train.1.gz \
         share/bash-completion/completions/wordvec share/doc/wordvec/README.md; do
  check "installed $f" test -e "$inst/$f"
done
# Every command `wordvec --help` lists has its man page.
for cmd in $("$inst/bin/wordvec" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'); do
  check "man page for $cmd" test -e "$inst/share/man/man1/wordvec-$cmd.1.gz"
done
check "SONAME libwordvec.so.${version%.*}" \
  bash -c "objdump -p '$inst/lib/libwordvec.so.$version' | grep -q 'SONAME *libwordvec.so.${version%.*}\$'"
check "installed binary runs" bash -c "'$inst/bin/wordvec' --version | grep -q '^wordvec $version'"
# Every header is self-contained and needs nothing outside the installed include folder.
for h in $(cd "$inst/include" && find wordvec -name '*.h' | sort); do
  check "header $h compiles alone" bash -c "echo '#include \"$h\"' | g++ -std=c++20 -fsyntax-only -nostdinc++ \
    -isystem /usr/include/c++/\$(g++ -dumpversion | cut -d. -f1) -isystem /usr/include/x86_64-linux-gnu/c++/\$(g++ -dumpversion | cut -d. -f1) \
    -I'$inst/include' -x c++ -"
done

# The library example, built with pkg-config and with CMake, runs and prints the
# vocabulary line tests/cli/examples.sh expects from the in-tree build.
expected="21201 words, dimension 83"
run_example() {  # BINARY NAME
  local out
  out=$(LD_LIBRARY_PATH="$inst/lib" "$1" "$CORPUS" 2> "$OUT/$2.err" | head -1)
  check "$2 example: '$out'" test "$out" = "$expected"
  check "$2 example links the installed libwordvec.so" \
    bash -c "LD_LIBRARY_PATH='$inst/lib' ldd '$1' | grep -q '$inst/lib/libwordvec.so.${version%.*}'"
}
export PKG_CONFIG_PATH="$inst/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
check "pkg-config --modversion" test "$(pkg-config --modversion wordvec)" = "$version"
mkdir -p "$OUT/pc"
if g++ -std=c++20 -O2 "$root/examples/train_and_query.cc" $(pkg-config --cflags --libs wordvec) -o "$OUT/pc/train_and_query" \
   2> "$OUT/pc/build.log"; then
  pass; run_example "$OUT/pc/train_and_query" pkg-config
else
  fail "build with pkg-config: $(head -5 "$OUT/pc/build.log")"
fi
check "pkg-config --static names the private libraries" bash -c "pkg-config --static --libs wordvec | grep -q -- -lopenblas"
# libwordvec.a's objects are position-independent: linked into a shared object
# (a plugin, a Python extension), the library answers from there. (Objects built
# as the default PIE fail this link: R_X86_64_PC32 ... recompile with -fPIC.)
mkdir -p "$OUT/plugin"
printf '#include "wordvec/train/dimension.h"\nextern "C" int plugin_dimension(double n) { return wordvec::suggest_dimension(n).dimension; }\n' \
  > "$OUT/plugin/plugin.cc"
printf '#include <cstdio>\nextern "C" int plugin_dimension(double n);\nint main() { std::printf("%%d\\n", plugin_dimension(100000)); }\n' \
  > "$OUT/plugin/main.cc"
private_libs=$(pkg-config --static --libs wordvec | tr ' ' '\n' | grep -vx -- -lwordvec | tr '\n' ' ')
if g++ -std=c++20 -shared -fPIC "$OUT/plugin/plugin.cc" $(pkg-config --cflags wordvec) "$inst/lib/libwordvec.a" $private_libs \
     -Wl,--no-undefined -o "$OUT/plugin/libplugin.so" 2> "$OUT/plugin/build.log" \
   && g++ "$OUT/plugin/main.cc" -L"$OUT/plugin" -lplugin -o "$OUT/plugin/main" 2>> "$OUT/plugin/build.log"; then
  check "libwordvec.a in a shared object: dimension 96 for 100000 words" \
    test "$(LD_LIBRARY_PATH="$OUT/plugin" "$OUT/plugin/main")" = 96
else
  fail "libwordvec.a into a shared object: $(grep -m 3 . "$OUT/plugin/build.log")"
fi
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

if cmake -S "$here/cmake" -B "$OUT/cmake-build" -DCMAKE_PREFIX_PATH="$inst" -DEXAMPLE_SOURCE="$root/examples/train_and_query.cc" \
     -DCMAKE_BUILD_TYPE=Release > "$OUT/cmake.log" 2>&1 && cmake --build "$OUT/cmake-build" >> "$OUT/cmake.log" 2>&1; then
  pass; run_example "$OUT/cmake-build/train_and_query" cmake
else
  fail "build with CMake find_package: $(tail -5 "$OUT/cmake.log")"
fi
# find_package refuses versions this release does not satisfy.
for wanted in 0.2 0.4 1.0; do
  mkdir -p "$OUT/cmake-$wanted"
  sed "s/find_package(wordvec 0.3 REQUIRED)/find_package(wordvec $wanted REQUIRED)/" "$here/cmake/CMakeLists.txt" \
    > "$OUT/cmake-$wanted/CMakeLists.txt"
  check "find_package(wordvec $wanted) refused" \
    bash -c "! cmake -S '$OUT/cmake-$wanted' -B '$OUT/cmake-$wanted/build' -DCMAKE_PREFIX_PATH='$inst' -DEXAMPLE_SOURCE=x > /dev/null 2>&1"
done

# Man pages render; bash completion completes commands, options and values.
check "man page renders" bash -c "MANWIDTH=80 man -l '$inst/share/man/man1/wordvec-train.1.gz' 2>/dev/null | grep -q -- '--subwords'"
check "man page lists exit statuses" bash -c "MANWIDTH=80 man -l '$inst/share/man/man1/wordvec.1.gz' 2>/dev/null | grep -q 'EXIT STATUS'"
complete_line() {  # WORDS... -> the completions of the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _wordvec; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$inst/share/bash-completion/completions/wordvec" "$@"
}
check "completion: commands" test "$(complete_line "$inst/bin/wordvec" tr)" = train
check "completion: every command of --help (se -> serve)" test "$(complete_line "$inst/bin/wordvec" se)" = serve
check "completion: help COMMAND" test "$(complete_line "$inst/bin/wordvec" help ser)" = serve
opts=$(complete_line "$inst/bin/wordvec" train --sub)
check "completion: train --sub -> --subwords (got '$opts')" test "$opts" = --subwords
vals=$(complete_line "$inst/bin/wordvec" train --model "" | tr '\n' ' ')
check "completion: --model values (got '$vals')" test "$vals" = "skipgram cbow glove "
vals=$(complete_line "$inst/bin/wordvec" convert --to n | tr '\n' ' ')
check "completion: --to n -> npy (got '$vals')" test "$vals" = "npy "

# Uninstall leaves nothing behind but empty folders.
make -C "$root" --no-print-directory -s uninstall DESTDIR="$stage" PREFIX=$prefix > /dev/null 2>&1
left=$(find "$stage" -type f -o -type l)
check "uninstall removes every file (left: $left)" test -z "$left"

# The Debian package: its files, its control data, lintian without errors.
if [ "${DEB:-1}" = 1 ]; then
  if make -C "$root" --no-print-directory deb > "$OUT/deb.log" 2>&1; then
    pass
    deb=$(ls "$root"/build/wordvec_"$version"_*.deb)
    contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
    for f in ./usr/bin/wordvec ./usr/lib/x86_64-linux-gnu/libwordvec.so.$version ./usr/include/wordvec/wordvec.h \
             ./usr/lib/x86_64-linux-gnu/pkgconfig/wordvec.pc ./usr/lib/x86_64-linux-gnu/cmake/wordvec/wordvecConfig.cmake \
             ./usr/share/man/man1/wordvec-train.1.gz ./usr/share/bash-completion/completions/wordvec \
             ./usr/share/doc/wordvec/copyright ./usr/share/doc/wordvec/changelog.gz; do
      check ".deb holds $f" grep -qxF "$f" <<< "$contents"
    done
    check ".deb depends on OpenBLAS" bash -c "dpkg-deb -f '$deb' Depends | grep -q libopenblas"
    check ".deb binary is stripped" bash -c "dpkg-deb --fsys-tarfile '$deb' | tar -xO ./usr/bin/wordvec > '$OUT/wordvec.stripped' && ! objdump -h '$OUT/wordvec.stripped' | grep -q debug_info"
  else
    fail "make deb (lintian errors?): $(grep -E '^E:' "$OUT/deb.log" | head -5; tail -3 "$OUT/deb.log")"
  fi
fi

echo "packaging: $((checks - failed)) of $checks checks passed"
[ "$failed" = 0 ]
