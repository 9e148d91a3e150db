# wordvec — build, test, demo and benchmark.
#   make demo    build, train on the bundled corpus in data/, show nearest neighbours
#   make test    build and run every test (unit, CLI end-to-end, examples, sanitizers, TSan, fuzzing)
#   make check   the quick subset for iteration: build, layering, unit, CLI, example and Python tests
#   make python  the Python module in place (python/wordvec); `pip install --no-build-isolation .` installs it
#   make bench   train wordvec and the peers side by side (tests/bench/); bench-glove, bench-ingest too
# Each target first runs `make deps`, which installs missing Debian packages
# when run as root, and otherwise prints the apt-get command to run.

CXX      ?= g++
BUILD    ?= build
OPT      ?= -O3
CXXFLAGS ?=
# Portable x86-64 by default: only src/simd/kernels_<isa>.cc get ISA flags.
BASEFLAGS := -std=c++20 $(OPT) -g -Wall -Wextra -pthread -Iinclude -Isrc \
             -I/usr/include/x86_64-linux-gnu/openblas-pthread -DSPDLOG_FMT_EXTERNAL $(CXXFLAGS)
# zlib, libbz2, liblzma, libzstd: compressed corpora (src/text/corpus_input.cc,
# src/io/compressed_output.cc); ICU: text normalisation (src/text/normalize.cc).
CORPUS_LIBS := -lz -lbz2 -llzma -lzstd -licuuc -licudata
LDLIBS   := -lboost_program_options -lspdlog -lfmt -lopenblas -lxxhash $(CORPUS_LIBS) -pthread

DEB_PACKAGES := g++ make libboost-program-options-dev libopenblas-dev libspdlog-dev libgtest-dev libxxhash-dev \
                zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libicu-dev nlohmann-json3-dev
# Only the tests need these: a real gensim to check interoperability, bc for
# timings, clang with its sanitizer/fuzzer runtimes for the fuzz targets, the
# compressors that make the compressed test corpora.
TEST_PACKAGES := python3-gensim bc clang libclang-rt-14-dev gzip bzip2 xz-utils zstd

ISA_SRC  := src/simd/kernels_avx2.cc src/simd/kernels_avx512.cc
# The library's layers, bottom to top (tests/layering.sh keeps includes flowing downwards).
LAYERS   := core text simd train io query
LIB_SRC  := $(filter-out $(ISA_SRC),$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.cc)))
CLI_SRC  := $(wildcard src/cli/*.cc)
TEST_SRC := $(wildcard tests/unit/*.cc)

LIB_OBJ  := $(LIB_SRC:%.cc=$(BUILD)/%.o) $(ISA_SRC:%.cc=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.cc=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.cc=$(BUILD)/%.o)

LIB      := $(BUILD)/libwordvec.a
WORDVEC  := $(BUILD)/wordvec
UNIT     := $(BUILD)/wordvec_tests
EXAMPLE  := $(BUILD)/examples/train_and_query
CORPUS   := $(BUILD)/data/corpus.txt

.PHONY: all deps test-deps install-packages check test layering unit-test cli-test example-test sanitize tsan fuzz demo bench \
        bench-quick bench-glove bench-ingest bench-continue bench-micro native clean python python-deps python-objects \
        python-extension python-test bench-python

all: $(WORDVEC) $(LIB)

deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PACKAGES)"

test-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES)"

install-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "make deps: missing Debian packages. Run:  sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

$(BUILD)/%.o: %.cc | deps
	@mkdir -p $(dir $@)
	$(CXX) $(BASEFLAGS) -MMD -MP -c $< -o $@

# The ThreadSanitizer build leaves the SIMD kernels uninstrumented: they are the
# only code that touches embedding rows, where Hogwild races are intended.
ifeq ($(HOGWILD_UNCHECKED),1)
$(BUILD)/src/simd/kernels_%.o: BASEFLAGS += -fno-sanitize=thread
endif
$(BUILD)/src/simd/kernels_avx2.o: BASEFLAGS += -mavx2 -mfma
$(BUILD)/src/simd/kernels_avx512.o: BASEFLAGS += -mavx512f -mfma

# --version names the commit: version.o is rebuilt when it changes.
GIT_COMMIT := $(shell git describe --always --dirty 2>/dev/null)
$(BUILD)/git-commit: FORCE
	@mkdir -p $(dir $@)
	@echo '$(GIT_COMMIT)' | cmp -s - $@ || echo '$(GIT_COMMIT)' > $@
$(BUILD)/src/cli/version.o: $(BUILD)/git-commit
$(BUILD)/src/cli/version.o: BASEFLAGS += -DWORDVEC_GIT_COMMIT='"$(GIT_COMMIT)"'
FORCE:

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(WORDVEC): $(CLI_OBJ) $(LIB)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) -o $@

# The unit tests also cover the CLI's rendering of a sweep (no Boost or spdlog in it).
$(UNIT): $(TEST_OBJ) $(BUILD)/src/cli/sweep_report.o $(LIB)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) -lgtest -lgtest_main -o $@

$(EXAMPLE): examples/train_and_query.cc $(LIB) | deps
	@mkdir -p $(dir $@)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) -o $@

# The bundled corpus is stored compressed; tests and the demo read it unpacked.
$(CORPUS): data/corpus-small.txt.gz
	@mkdir -p $(dir $@)
	gzip -dc $< > $@.tmp && mv $@.tmp $@

# Includes go down the layers only (see docs/design.md).
layering:
	bash tests/layering.sh

unit-test: $(UNIT) $(CORPUS)
	WORDVEC_TEST_CORPUS=$(CORPUS) $(UNIT) --gtest_brief=1

cli-test: $(WORDVEC) $(CORPUS) | test-deps
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/run.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/models.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/subwords.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/reliability.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/quality.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/wiring.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/simd.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/gensim_agreement.sh

example-test: $(EXAMPLE) $(WORDVEC) $(CORPUS)
	EXAMPLE=$(EXAMPLE) WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) OUT=$(BUILD)/examples bash tests/cli/examples.sh

# Quick iteration: build, unit, CLI and example tests (no sanitizers, TSan or fuzzing).
check: test-deps
	$(MAKE) -j$$(nproc) $(UNIT) $(WORDVEC) $(EXAMPLE) $(CORPUS)
	$(MAKE) layering unit-test cli-test example-test python-test
	@echo "make check: unit, CLI, example and Python tests passed"

# Build everything in parallel first; the suites then run one after another
# (the CLI tests time signal handling and must not compete for the cores).
test: test-deps
	$(MAKE) -j$$(nproc) $(UNIT) $(WORDVEC) $(EXAMPLE) $(CORPUS)
	$(MAKE) layering unit-test cli-test example-test python-test
	$(MAKE) sanitize tsan fuzz
	@echo "make test: all suites passed"

# ---- hardening (part of make test): the same tests under sanitizers, and fuzzing.
# AddressSanitizer + UndefinedBehaviorSanitizer: every unit and CLI test.
ASAN_BUILD := build-asan
SAN_FLAGS  := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
# A sanitizer finding exits 86, a status no CLI check expects (errors are 1
# and 2), and its report goes to a file in SAN_REPORTS, not to a stderr that a
# check may expect an error on or pipe into grep: any report fails the target.
SAN_REPORTS := $(abspath $(ASAN_BUILD))/reports
SAN_RUN    := ASAN_OPTIONS=detect_leaks=1:exitcode=86:log_path=$(SAN_REPORTS)/asan \
              UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$(SAN_REPORTS)/ubsan \
              OPENBLAS_NUM_THREADS=1
sanitize: test-deps $(CORPUS)
	$(MAKE) -j$$(nproc) BUILD=$(ASAN_BUILD) OPT=-O1 CXXFLAGS="$(SAN_FLAGS)" $(ASAN_BUILD)/wordvec_tests $(ASAN_BUILD)/wordvec
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 OPENBLAS_NUM_THREADS=1 \
	  WORDVEC_TEST_CORPUS=$(CORPUS) $(ASAN_BUILD)/wordvec_tests --gtest_brief=1
	rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS) && chmod 1777 $(SAN_REPORTS)
	$(SAN_RUN) WORDVEC=$(ASAN_BUILD)/wordvec CORPUS=$(CORPUS) bash tests/cli/run.sh
	$(SAN_RUN) WORDVEC=$(ASAN_BUILD)/wordvec CORPUS=$(CORPUS) bash tests/cli/models.sh
	$(SAN_RUN) WORDVEC=$(ASAN_BUILD)/wordvec CORPUS=$(CORPUS) bash tests/cli/subwords.sh
	$(SAN_RUN) WORDVEC=$(ASAN_BUILD)/wordvec CORPUS=$(CORPUS) bash tests/cli/reliability.sh
	@if [ -n "$$(ls -A $(SAN_REPORTS))" ]; then echo "sanitize: sanitizer reports:"; cat $(SAN_REPORTS)/*; exit 1; fi
	@echo "sanitize: ASan + UBSan clean"

# ThreadSanitizer: short multithreaded runs of every trainer. Only the
# intentional Hogwild races on embedding rows go unchecked: the SIMD kernel
# files, the only code that reads or writes rows during training, are built
# without instrumentation (HOGWILD_UNCHECKED); everything else is checked.
TSAN_BUILD := build-tsan
tsan: test-deps $(CORPUS)
	$(MAKE) -j$$(nproc) BUILD=$(TSAN_BUILD) OPT=-O1 CXXFLAGS="-fsanitize=thread" HOGWILD_UNCHECKED=1 \
	  $(TSAN_BUILD)/wordvec
	WORDVEC=$(TSAN_BUILD)/wordvec CORPUS=$(CORPUS) bash tests/tsan/run.sh

# libFuzzer (clang): tokenizer and file readers, FUZZ_SECONDS each, from the seeds in tests/fuzz/seeds/.
FUZZ_BUILD   := build-fuzz
FUZZ_TARGETS := tokenizer vectors cooccurrence checkpoint normalizer model
FUZZ_SECONDS ?= 12
FUZZ_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz: test-deps
	$(MAKE) -j$$(nproc) CXX=clang++ BUILD=$(FUZZ_BUILD) OPT=-O1 CXXFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
	  $(FUZZ_BUILD)/libwordvec.a
	$(MAKE) -j$$(nproc) $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus-$$t && \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s" && \
	  $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 \
	    $(FUZZ_BUILD)/corpus-$$t tests/fuzz/seeds/$$t 2> $(FUZZ_BUILD)/fuzz_$$t.log \
	  && grep -E '^(stat::number_of_executed_units|Done)' $(FUZZ_BUILD)/fuzz_$$t.log \
	  || { tail -40 $(FUZZ_BUILD)/fuzz_$$t.log; exit 1; }; \
	done
	@echo "fuzz: no crashes"

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.cc tests/fuzz/fuzz_input.h $(FUZZ_BUILD)/libwordvec.a
	clang++ -std=c++20 -O1 -g -Iinclude -Isrc $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(FUZZ_BUILD)/libwordvec.a \
	  -lopenblas -lxxhash $(CORPUS_LIBS) -pthread -o $@

demo: $(WORDVEC) $(CORPUS)
	$(WORDVEC) train --input $(CORPUS) --output $(BUILD)/demo-vectors.bin --epochs 3
	$(WORDVEC) nn --vectors $(BUILD)/demo-vectors.bin -k 8 france king water computer three

bench: $(WORDVEC)
	bash tests/bench/run.sh

bench-quick: $(WORDVEC)
	QUICK=1 bash tests/bench/run.sh

# Subwords against fastText, hierarchical softmax against word2vec.c (tests/bench/run.sh).
bench-subwords: $(WORDVEC)
	@$(MAKE) --no-print-directory install-packages PACKAGES="fasttext python3-gensim time npm"
	RUNS="wv-sg-sub wv-cbow-sub ft-sg-sub ft-cbow-sub wv-sg-hs wv-cbow-hs w2v-sg-hs w2v-cbow-hs" bash tests/bench/run.sh

# Unseen words: wordvec's and fastText's subword vectors on pairs outside a reduced vocabulary.
bench-oov: $(WORDVEC)
	@$(MAKE) --no-print-directory install-packages PACKAGES="fasttext time"
	bash tests/bench/oov.sh

bench-glove: $(WORDVEC)
	bash tests/bench/glove.sh

# Compressed, sharded and oversized input, and phrases against word2phrase.
bench-ingest: $(WORDVEC)
	@$(MAKE) --no-print-directory install-packages PACKAGES="gzip zstd npm"
	bash tests/bench/ingest.sh

# Continued training and --init against one run over the whole corpus (tests/bench/continue.sh).
bench-continue: $(WORDVEC)
	@$(MAKE) --no-print-directory install-packages PACKAGES="python3-gensim time"
	bash tests/bench/continue.sh

# Kernel, update-step and one-thread training micro-benchmarks (Google Benchmark).
BENCH_MICRO := $(BUILD)/bench_micro
# ---- Python: `import wordvec` (python/). The extension links a position-independent
# build of the library and of the CLI's train command (PIC_BUILD) into
# python/wordvec/_wordvec*.so, beside the pure-Python package, for Debian's python3.
PYTHON      := /usr/bin/python3
PY_PACKAGES := python3-dev pybind11-dev python3-numpy python3-pytest python3-venv python3-pip python3-setuptools \
               python3-wheel python3-gensim
PIC_BUILD   := build-pic
PY_EXT      := python/wordvec/_wordvec$(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))" 2>/dev/null)
PY_INCLUDE  := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_paths()['include'])" 2>/dev/null)
PIC_CLI_OBJ := $(filter-out $(PIC_BUILD)/src/cli/main.o,$(CLI_SRC:%.cc=$(PIC_BUILD)/%.o))

python-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(PY_PACKAGES)"

# The sub-makes read PY_EXT and PY_INCLUDE after python-deps has installed python3-dev.
python: python-deps
	$(MAKE) -j$$(nproc) BUILD=$(PIC_BUILD) CXXFLAGS="-fPIC" python-objects
	$(MAKE) python-extension

python-extension: $(PY_EXT)

# (run with BUILD=$(PIC_BUILD)) the library and the CLI's objects but main.
python-objects: $(LIB) $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))

$(PY_EXT): python/src/module.cc $(PIC_CLI_OBJ) $(PIC_BUILD)/libwordvec.a
	$(CXX) $(BASEFLAGS) -g0 -fPIC -shared -fvisibility=hidden -Wl,--strip-debug -I$(PY_INCLUDE) -MMD -MP -MF $(PIC_BUILD)/module.d \
	  $< $(PIC_CLI_OBJ) $(PIC_BUILD)/libwordvec.a $(LDLIBS) -o $@

# pytest over the package in place, then an offline install into a fresh venv (as README says).
python-test: python $(WORDVEC) $(CORPUS)
	cd python && WORDVEC_TEST_CORPUS=$(abspath $(CORPUS)) WORDVEC=$(abspath $(WORDVEC)) \
	  $(PYTHON) -m pytest -q -p no:cacheprovider tests
	bash tests/python/install.sh

# The Python module against the CLI (path), gensim (iterable) and the query budget.
bench-python: python $(WORDVEC)
	bash ../shared/bench/make-corpus.sh bench-data
	CORPUS=$${CORPUS:-bench-data/corpus.txt} $(PYTHON) tests/bench/python.py

bench-micro: $(BENCH_MICRO) $(CORPUS)
	WORDVEC_TEST_CORPUS=$(CORPUS) $(BENCH_MICRO) --benchmark_counters_tabular=true

$(BENCH_MICRO): tests/bench/micro.cc $(LIB) | deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="libbenchmark-dev"
	$(CXX) $(BASEFLAGS) $< $(LIB) $(LDLIBS) -lbenchmark -o $@

# Opt-in build tuned for this machine (not the default: it may not run elsewhere).
native:
	$(MAKE) BUILD=build-native CXXFLAGS="-march=native"

clean:
	rm -rf $(BUILD) build-native $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) $(PIC_BUILD) python/wordvec/_wordvec*.so

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(PIC_BUILD)/module.d
