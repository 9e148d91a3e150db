# wordvec — build, test, demo and benchmark.
#   make demo    build, train on the bundled corpus in data/, show nearest neighbours
#   make test    build and run every test (unit, CLI end-to-end, examples, sanitizers, TSan, fuzzing)
#   make check   the quick subset for iteration: build, layering, clang -Werror, unit, CLI, example and Python tests
#   make python  the Python module in place (python/wordvec); `pip install --no-build-isolation .` installs it
#   make bench   train wordvec and the peers side by side (tests/bench/); bench-glove, bench-ingest too
# Each target first runs `make deps`, which installs missing Debian packages
# when run as root, and otherwise prints the apt-get command to run.

CXX      ?= g++
BUILD    ?= build
OPT      ?= -O3
# Full debug information in the main build; the test-only builds (sanitizers,
# fuzzing, aarch64) take line tables (-g1: a sanitizer's stack still has file
# and line) or none, which compiles a fifth to a third faster.
DEBUG    ?= -g
# Every object is position-independent, so the one build serves the program,
# the shared library and the Python module (a second build for them cost ~2.5
# min of make test). Without semantic interposition the code is as fast as the
# default PIE: skip-gram, CBOW, subwords, GloVe and hierarchical softmax
# trained within 1-6 % of it either way, in noise (docs/experiments.md).
PIC      := -fPIC -fno-semantic-interposition
CXXFLAGS ?=
# Portable x86-64 by default: only src/simd/kernels_<isa>.cc get ISA flags.
# Libraries are found through pkg-config (PKG_CONFIG: a cross build names its
# own). The library needs OpenBLAS, xxHash, zlib, liblzma, libzstd (compressed
# corpora) and ICU (normalisation); the CLI adds spdlog and fmt. libbz2 and
# Boost.ProgramOptions ship no .pc file in Debian, so they are named directly.
# Each query runs once, on first use (after `make deps` has installed pkgconf).
PKG_CONFIG ?= pkg-config
LIB_PKGS := openblas libxxhash zlib liblzma libzstd icu-uc
CLI_PKGS := spdlog fmt
pkg_query = $(or $(shell $(PKG_CONFIG) $(1) $(2)),$(error $(PKG_CONFIG) $(1) $(2) failed: run 'make deps'))
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(call pkg_query,--cflags,$(LIB_PKGS) $(CLI_PKGS)))$(PKG_CFLAGS)
LIB_LDLIBS = $(eval LIB_LDLIBS := $$(call pkg_query,--libs,$(LIB_PKGS)) -lbz2 -pthread)$(LIB_LDLIBS)
CLI_LDLIBS = $(eval CLI_LDLIBS := -lboost_program_options $$(call pkg_query,--libs,$(CLI_PKGS)))$(CLI_LDLIBS)
BASEFLAGS = -std=c++20 $(OPT) $(DEBUG) $(PIC) -Wall -Wextra -pthread -Iinclude -Isrc $(PKG_CFLAGS) $(CXXFLAGS)
LDLIBS    = $(CLI_LDLIBS) $(LIB_LDLIBS)
# `wordvec serve` alone uses cpp-httplib (Debian builds it as a library with
# TLS and compression on: its .pc file's flags must match): only serve.o is
# compiled with them and only the command links it (not the Python module).
HTTP_CFLAGS = $(eval HTTP_CFLAGS := $$(call pkg_query,--cflags,cpp-httplib))$(HTTP_CFLAGS)
HTTP_LIBS   = $(eval HTTP_LIBS := $$(call pkg_query,--libs,cpp-httplib))$(HTTP_LIBS)

DEB_PACKAGES := g++ make pkgconf libboost-program-options-dev libopenblas-dev libspdlog-dev libgtest-dev libxxhash-dev \
                zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libicu-dev nlohmann-json3-dev libcpp-httplib-dev
# Only the tests need these: a real gensim to check interoperability, bc for
# timings, clang with its sanitizer/fuzzer runtimes for the fuzz targets, the
# compressors that make the compressed test corpora; CMake, help2man, lintian
# and dpkg-dev for the packaging test (install, consumers, man pages, .deb).
TEST_PACKAGES := python3-gensim bc clang libclang-rt-14-dev gzip bzip2 xz-utils zstd \
                 cmake help2man lintian dpkg-dev man-db

# The AVX2 and AVX-512 kernels are x86-64 code, built when the compiler targets
# x86-64; on any other CPU (make test-aarch64) the scalar kernels are the one variant.
X86_ISA_SRC := src/simd/kernels_avx2.cc src/simd/kernels_avx512.cc
ISA_SRC  := $(if $(findstring x86_64,$(shell $(CXX) -dumpmachine)),$(X86_ISA_SRC))
# The library's layers, bottom to top (tests/layering.sh keeps includes flowing downwards).
LAYERS   := core text simd train io query dist
LIB_SRC  := $(filter-out $(X86_ISA_SRC),$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.cc)))
CLI_SRC  := $(wildcard src/cli/*.cc)
TEST_SRC := $(wildcard tests/unit/*.cc)

LIB_OBJ  := $(LIB_SRC:%.cc=$(BUILD)/%.o) $(ISA_SRC:%.cc=$(BUILD)/%.o)
# The explorer page (src/cli/explorer.html) is compiled in as a string.
SERVE_OBJ := $(BUILD)/src/cli/serve.o $(BUILD)/gen/explorer_page.o
CLI_OBJ  := $(CLI_SRC:%.cc=$(BUILD)/%.o) $(BUILD)/gen/explorer_page.o
TEST_OBJ := $(TEST_SRC:%.cc=$(BUILD)/%.o)

LIB      := $(BUILD)/libwordvec.a
WORDVEC  := $(BUILD)/wordvec
UNIT     := $(BUILD)/wordvec_tests
EXAMPLE  := $(BUILD)/examples/train_and_query
CORPUS   := $(BUILD)/data/corpus.txt


.PHONY: mpi mpi-deps mpi-test bench-mpi install-mpi
.PHONY: all deps test-deps install-packages check test layering clang-werror test-aarch64 unit-test cli-test example-test browser-test bench-dim sanitize tsan fuzz demo bench \
        bench-quick bench-glove bench-hs-seeds bench-subwords bench-oov bench-ingest bench-continue bench-micro native clean python python-deps \
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

# Objects depend on the flags they were compiled with: a build tree made with
# another CXX, OPT, DEBUG, PIC or CXXFLAGS is rebuilt, not mixed. (Not BASEFLAGS
# itself: the per-object additions below would leak into this prerequisite.)
# $(call write-if-changed,TEXT): a stamp file whose time moves only when TEXT does.
write-if-changed = @mkdir -p $(dir $@) && echo '$(1)' | cmp -s - $@ || echo '$(1)' > $@
BUILD_FLAGS = $(CXX) $(OPT) $(DEBUG) $(PIC) $(CXXFLAGS) HOGWILD_UNCHECKED=$(HOGWILD_UNCHECKED)
$(BUILD)/compile-flags: FORCE
	$(call write-if-changed,$(BUILD_FLAGS))

$(BUILD)/%.o: %.cc $(BUILD)/compile-flags | deps
	@mkdir -p $(dir $@)
	$(CXX) $(BASEFLAGS) -MMD -MP -c $< -o $@

# The ThreadSanitizer build leaves the SIMD kernels uninstrumented: they are the
# only code that touches embedding rows, where Hogwild races are intended.
ifeq ($(HOGWILD_UNCHECKED),1)
$(BUILD)/src/simd/kernels_%.o: BASEFLAGS += -fno-sanitize=thread
endif
$(BUILD)/src/simd/kernels_avx2.o: BASEFLAGS += -mavx2 -mfma -mf16c
$(BUILD)/src/simd/kernels_avx512.o: BASEFLAGS += -mavx512f -mfma

# --version names the commit: version.o is rebuilt when it changes.
GIT_COMMIT := $(shell git describe --always --dirty 2>/dev/null)
$(BUILD)/git-commit: FORCE
	$(call write-if-changed,$(GIT_COMMIT))
$(BUILD)/src/cli/version.o: $(BUILD)/git-commit
$(BUILD)/src/cli/version.o: BASEFLAGS += -DWORDVEC_GIT_COMMIT='"$(GIT_COMMIT)"'
FORCE:

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(WORDVEC): $(CLI_OBJ) $(LIB)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) $(HTTP_LIBS) -o $@

$(BUILD)/src/cli/serve.o: BASEFLAGS += $(HTTP_CFLAGS)
$(BUILD)/gen/explorer_page.cc: src/cli/explorer.html
	@mkdir -p $(dir $@)
	{ printf 'namespace wordvec::cli {\nextern const char kExplorerPage[];\nconst char kExplorerPage[] = R"explorer_page('; \
	  cat $<; printf ')explorer_page";\n}  // namespace wordvec::cli\n'; } > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/explorer_page.o: $(BUILD)/gen/explorer_page.cc $(BUILD)/compile-flags | deps
	$(CXX) $(BASEFLAGS) -c $< -o $@

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

# run.sh (it times how fast signals stop a run) and serve.py (latency) run
# alone; the other scripts two at a time (tests/cli/together.sh).
# The scripts that time the command (stop_time.sh, serve.py's latency) run
# alone; the rest side by side, the longest first.
CLI_SCRIPTS_TOGETHER := reliability run quality wiring models subwords simd gensim_agreement
cli-test: $(WORDVEC) $(CORPUS) | test-deps
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/stop_time.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) /usr/bin/python3 tests/cli/serve.py
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/together.sh $(CLI_SCRIPTS_TOGETHER:%=tests/cli/%.sh)

# Distributed training (docs/distributed.md): `make mpi` builds $(BUILD)/wordvec-mpi,
# the same command with MPI (Open MPI from Debian). Run alone it is wordvec;
# under `mpirun -np P` each process trains a share of the corpus. The default
# build stays free of MPI; only main.cc and the MPI communicator differ.
MPI_PACKAGES := openmpi-bin libopenmpi-dev
MPI_WORDVEC  := $(BUILD)/wordvec-mpi
MPI_OBJ      := $(BUILD)/mpi/src/cli/main.o $(BUILD)/mpi/src/dist/mpi/mpi_communicator.o
MPI_CFLAGS    = $(eval MPI_CFLAGS := $$(call pkg_query,--cflags,ompi))$(MPI_CFLAGS)
MPI_LDLIBS    = $(eval MPI_LDLIBS := $$(call pkg_query,--libs,ompi))$(MPI_LDLIBS)

mpi-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(MPI_PACKAGES)"

mpi: mpi-deps
	@$(MAKE) --no-print-directory $(MPI_WORDVEC)

$(BUILD)/mpi/%.o: %.cc $(BUILD)/compile-flags | deps
	@mkdir -p $(dir $@)
	$(CXX) $(BASEFLAGS) $(MPI_CFLAGS) -DWORDVEC_MPI -DOMPI_SKIP_MPICXX -MMD -MP -c $< -o $@

$(MPI_WORDVEC): $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ)) $(MPI_OBJ) $(LIB)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) $(HTTP_LIBS) $(MPI_LDLIBS) -o $@

# 2 processes (shared memory, TCP) against 1 process of 2 threads; the scaling model (tests/bench/mpi.sh).
bench-mpi: mpi
	@$(MAKE) --no-print-directory install-packages PACKAGES="time"
	WORDVEC_MPI=$(MPI_WORDVEC) bash tests/bench/mpi.sh

# Under mpirun on this machine: 2 and 3 processes on loopback (tests/cli/mpi.sh).
mpi-test: mpi $(WORDVEC) $(CORPUS) | test-deps
	WORDVEC=$(WORDVEC) WORDVEC_MPI=$(MPI_WORDVEC) CORPUS=$(CORPUS) bash tests/cli/mpi.sh

example-test: $(EXAMPLE) $(WORDVEC) $(CORPUS)
	EXAMPLE=$(EXAMPLE) WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) OUT=$(BUILD)/examples bash tests/cli/examples.sh

# The explorer page in headless Chromium (Debian's), driven by puppeteer-core
# from npm (installed into $(BROWSER), for the test only: the page itself needs
# no npm). A subword model of the bundled corpus, the sweeps of
# examples/sweep/vocab-sizes; screenshots land in $(BROWSER)/shots.
BROWSER   := $(BUILD)/browser
PUPPETEER := puppeteer-core@24.8.2
browser-test: $(WORDVEC) $(CORPUS)
	@$(MAKE) --no-print-directory install-packages PACKAGES="chromium"
	@command -v node > /dev/null && command -v npm > /dev/null \
	  || $(MAKE) --no-print-directory install-packages PACKAGES="nodejs npm"
	@[ -f $(BROWSER)/node_modules/puppeteer-core/package.json ] || { mkdir -p $(BROWSER) \
	  && echo "browser-test: npm install $(PUPPETEER) into $(BROWSER)" \
	  && cd $(BROWSER) && npm install --no-audit --no-fund --no-save --silent $(PUPPETEER); }
	$(WORDVEC) train --quiet --input $(CORPUS) --subwords --buckets 200000 --epochs 3 \
	  --save-model $(BROWSER)/model.wvm --output $(BROWSER)/vectors.bin 2> /dev/null
	WORDVEC=$(WORDVEC) MODEL=$(BROWSER)/model.wvm SWEEP=examples/sweep/vocab-sizes SHOTS=$(BROWSER)/shots \
	  NODE_PATH=$(abspath $(BROWSER))/node_modules node tests/browser/explorer.js

# Portability: the library, CLI and unit tests cross-compiled for aarch64 (Debian's
# g++-aarch64-linux-gnu against the arm64 libraries of multiarch) and the unit
# tests run under qemu-user-static. Adds the arm64 architecture to dpkg once (as root).
AARCH64_BUILD    := build-aarch64
AARCH64_PACKAGES := g++-aarch64-linux-gnu qemu-user-static libc6:arm64 libopenblas-dev:arm64 libboost-program-options-dev:arm64 \
                    libspdlog-dev:arm64 libfmt-dev:arm64 libgtest-dev:arm64 libxxhash-dev:arm64 zlib1g-dev:arm64 \
                    libbz2-dev:arm64 liblzma-dev:arm64 libzstd-dev:arm64 libicu-dev:arm64 libcpp-httplib-dev:arm64
AARCH64_PKG      := env PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig pkg-config
# The arm64 programs run with the arm64 loader and libc of multiarch (libc6:arm64),
# not with qemu's -L /usr/aarch64-linux-gnu: that prefix's loader is the cross
# toolchain's, older than the multiarch libc it then loads, and threads hang.
AARCH64_RUN      := qemu-aarch64-static
# Every unit test but the nine that train on the bundled corpus for quality (a
# minute or more each under emulation; the scalar kernels they would use are
# checked against finite differences here, and training is checked below).
AARCH64_GTEST_FILTER := -*OnTheBundledCorpus:TrainingOnBundledCorpus.*
test-aarch64: deps $(CORPUS)
	@dpkg --print-foreign-architectures | grep -qx arm64 || { \
	  if [ "$$(id -u)" = 0 ]; then dpkg --add-architecture arm64 && apt-get update -qq; \
	  else echo "make test-aarch64: run  sudo dpkg --add-architecture arm64 && sudo apt-get update"; exit 1; fi; }
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(AARCH64_PACKAGES)"
	$(MAKE) -j$$(nproc) BUILD=$(AARCH64_BUILD) DEBUG=-g0 CXX=aarch64-linux-gnu-g++ PKG_CONFIG="$(AARCH64_PKG)" \
	  $(AARCH64_BUILD)/wordvec_tests $(AARCH64_BUILD)/wordvec
	file $(AARCH64_BUILD)/wordvec | grep -q 'ARM aarch64'
	WORDVEC_TEST_CORPUS=$(CORPUS) $(AARCH64_RUN) $(AARCH64_BUILD)/wordvec_tests --gtest_brief=1 \
	  --gtest_filter='$(AARCH64_GTEST_FILTER)'
	$(AARCH64_RUN) $(AARCH64_BUILD)/wordvec --version | grep -q 'SIMD kernels: scalar'
	@# Trained on aarch64, the vectors must rank WS353 pairs as x86-64's do (Spearman
	@# 0.38-0.41 there after this one epoch at 4x the default rate, the cheapest run
	@# that ranks well under emulation: 3 epochs at the default rate give 0.28 in
	@# three times the time; random vectors give 0 +- 0.06).
	$(AARCH64_RUN) $(AARCH64_BUILD)/wordvec train --quiet --input $(CORPUS) --output $(AARCH64_BUILD)/v.bin --epochs 1 --alpha 0.1
	$(AARCH64_RUN) $(AARCH64_BUILD)/wordvec eval --vectors $(AARCH64_BUILD)/v.bin --similarity data/ws353.tsv --json \
	  | /usr/bin/python3 -c 'import json, sys; r = json.load(sys.stdin)["similarity"][0]["spearman"]; \
	    print("aarch64 WS353 Spearman", r); sys.exit(r < 0.18)'
	$(AARCH64_RUN) $(AARCH64_BUILD)/wordvec nn --vectors $(AARCH64_BUILD)/v.bin -k 3 king
	@echo "test-aarch64: unit tests and a training run pass on aarch64 (qemu)"

# Warning-free under clang too (the g++ build has -Wall -Wextra and no warning):
# every source, its ISA flags included, through clang++ -fsyntax-only -Werror
# (clang's warnings come from its front end, so no code needs generating).
WARN_BUILD := $(BUILD)/clang-werror
WARN_SRC   := $(LIB_SRC) $(ISA_SRC) $(CLI_SRC) $(TEST_SRC) examples/train_and_query.cc
WARN_OK    := $(WARN_SRC:%=$(WARN_BUILD)/%.ok)
clang-werror: test-deps
	$(MAKE) -j$$(nproc) $(WARN_OK)
	@echo "clang-werror: $(words $(WARN_OK)) files compile warning-free under clang++ -Wall -Wextra -Werror"

$(WARN_BUILD)/%.cc.ok: %.cc
	@mkdir -p $(dir $@)
	clang++ $(BASEFLAGS) -Werror -fsyntax-only -MMD -MP -MF $@.d -MT $@ $<
	@touch $@
$(WARN_BUILD)/src/cli/serve.cc.ok: BASEFLAGS += $(HTTP_CFLAGS)
$(WARN_BUILD)/src/simd/kernels_avx2.cc.ok: BASEFLAGS += -mavx2 -mfma -mf16c
$(WARN_BUILD)/src/simd/kernels_avx512.cc.ok: BASEFLAGS += -mavx512f -mfma
-include $(WARN_OK:.ok=.ok.d)

# Quick iteration: build, unit, CLI and example tests (no sanitizers, TSan or fuzzing).
# The suites run one after another; each one's wall time is printed as it ends
# and again, all together, at the end (where a slow make test spends its time).
CHECK_SUITES := layering clang-werror unit-test cli-test example-test python-test
TEST_SUITES  := layering clang-werror unit-test cli-test example-test browser-test python-test packaging-test \
                mpi-test sanitize tsan fuzz test-aarch64
run-suites = @rm -f $(BUILD)/suite-times.txt; for suite in $(1); do \
	  start=$$(date +%s); $(MAKE) --no-print-directory $$suite || exit 1; \
	  echo "$$suite $$(( $$(date +%s) - start )) s" | tee -a $(BUILD)/suite-times.txt; \
	done; echo "suite times:"; sed 's/^/  /' $(BUILD)/suite-times.txt

check: test-deps
	$(MAKE) -j$$(nproc) $(UNIT) $(WORDVEC) $(EXAMPLE) $(CORPUS)
	$(call run-suites,$(CHECK_SUITES))
	@echo "make check: unit, CLI, example and Python tests passed"

# Build everything in parallel first; the suites then run one after another
# (the CLI tests time signal handling and must not compete for the cores).
test: test-deps
	$(MAKE) -j$$(nproc) $(UNIT) $(WORDVEC) $(EXAMPLE) $(CORPUS)
	$(call run-suites,$(TEST_SUITES))
	@echo "make test: all suites passed"

# ---- hardening (part of make test): the same tests under sanitizers, and fuzzing.
# AddressSanitizer + UndefinedBehaviorSanitizer: the unit tests and five CLI scripts.
ASAN_BUILD := build-asan
SAN_FLAGS  := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
# A sanitizer finding exits 86, a status no CLI check expects (errors are 1
# and 2), and its report goes to a file in SAN_REPORTS, not to a stderr that a
# check may expect an error on or pipe into grep: any report fails the target.
SAN_REPORTS := $(abspath $(ASAN_BUILD))/reports
SAN_RUN    := ASAN_OPTIONS=detect_leaks=1:exitcode=86:log_path=$(SAN_REPORTS)/asan \
              UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$(SAN_REPORTS)/ubsan \
              OPENBLAS_NUM_THREADS=1
# The unit tests that train on the whole bundled corpus to check quality took
# 262 of the 288 s under ASan; the CLI scripts below train the same paths
# (GloVe, hierarchical softmax, subwords, CBOW, checkpoints) under ASan, so
# only the distributed ones, which no script runs in one process, stay.
ASAN_GTEST_FILTER := -TrainingOnBundledCorpus.*:GloveTrainer.PlacesRelatedWordsCloserOnTheBundledCorpus
sanitize: test-deps $(CORPUS)
	$(MAKE) -j$$(nproc) BUILD=$(ASAN_BUILD) OPT=-O1 DEBUG=-g1 CXXFLAGS="$(SAN_FLAGS)" $(ASAN_BUILD)/wordvec_tests $(ASAN_BUILD)/wordvec
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 OPENBLAS_NUM_THREADS=1 \
	  WORDVEC_TEST_CORPUS=$(CORPUS) $(ASAN_BUILD)/wordvec_tests --gtest_brief=1 --gtest_filter='$(ASAN_GTEST_FILTER)'
	rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS) && chmod 1777 $(SAN_REPORTS)
	$(SAN_RUN) WORDVEC=$(ASAN_BUILD)/wordvec CORPUS=$(CORPUS) bash tests/cli/stop_time.sh
	$(SAN_RUN) WORDVEC=$(ASAN_BUILD)/wordvec CORPUS=$(CORPUS) bash tests/cli/together.sh \
	  tests/cli/reliability.sh tests/cli/run.sh tests/cli/models.sh tests/cli/subwords.sh
	@if [ -n "$$(ls -A $(SAN_REPORTS))" ]; then echo "sanitize: sanitizer reports:"; cat $(SAN_REPORTS)/*; exit 1; fi
	@echo "sanitize: ASan + UBSan clean"

# ThreadSanitizer: short multithreaded runs of every trainer. Only the
# intentional Hogwild races on embedding rows go unchecked: the SIMD kernel
# files, the only code that reads or writes rows during training, are built
# without instrumentation (HOGWILD_UNCHECKED); everything else is checked.
TSAN_BUILD := build-tsan
tsan: test-deps $(CORPUS)
	$(MAKE) -j$$(nproc) BUILD=$(TSAN_BUILD) OPT=-O1 DEBUG=-g1 CXXFLAGS="-fsanitize=thread" HOGWILD_UNCHECKED=1 \
	  $(TSAN_BUILD)/wordvec $(TSAN_BUILD)/wordvec_threads_tests
	WORDVEC=$(TSAN_BUILD)/wordvec CORPUS=$(CORPUS) bash tests/tsan/run.sh
	@# The coordinator's exchanges and snapshots, and the in-process collectives, under TSan.
	TSAN_OPTIONS=halt_on_error=1 WORDVEC_TEST_CORPUS=$(CORPUS) $(TSAN_BUILD)/wordvec_threads_tests --gtest_brief=1

# The unit tests of threads working together (the distributed collectives run
# in one process, snapshots that pause the workers): the only ones TSan runs,
# so its build compiles these two files, not every test file.
THREADS_TEST_SRC := tests/unit/test_distributed.cc tests/unit/test_checkpoint.cc
$(BUILD)/wordvec_threads_tests: $(THREADS_TEST_SRC:%.cc=$(BUILD)/%.o) $(LIB)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) -lgtest -lgtest_main -o $@

# libFuzzer (clang): tokenizer and file readers, FUZZ_SECONDS each, from the seeds in tests/fuzz/seeds/.
FUZZ_BUILD   := build-fuzz
FUZZ_TARGETS := tokenizer vectors cooccurrence checkpoint normalizer model
FUZZ_SECONDS ?= 12
FUZZ_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz: test-deps
	$(MAKE) -j$$(nproc) CXX=clang++ BUILD=$(FUZZ_BUILD) OPT=-O1 DEBUG=-g1 CXXFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
	  $(FUZZ_BUILD)/libwordvec.a
	$(MAKE) -j$$(nproc) $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@# One target per core at a time: each fuzzer is one process on one core.
	$(MAKE) --no-print-directory -j$$(nproc) $(FUZZ_TARGETS:%=fuzz-run-%)
	@echo "fuzz: no crashes"

fuzz-run-%: $(FUZZ_BUILD)/fuzz_%
	@mkdir -p $(FUZZ_BUILD)/corpus-$*
	@echo "fuzz: $* for $(FUZZ_SECONDS) s"
	@$< -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 \
	    $(FUZZ_BUILD)/corpus-$* tests/fuzz/seeds/$* 2> $(FUZZ_BUILD)/fuzz_$*.log \
	  && grep -H -E '^(stat::number_of_executed_units|Done)' $(FUZZ_BUILD)/fuzz_$*.log \
	  || { tail -40 $(FUZZ_BUILD)/fuzz_$*.log; exit 1; }

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.cc tests/fuzz/fuzz_input.h $(FUZZ_BUILD)/libwordvec.a
	clang++ -std=c++20 -O1 -g -Iinclude -Isrc $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(FUZZ_BUILD)/libwordvec.a \
	  $(LIB_LDLIBS) -o $@

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

# Hierarchical softmax against word2vec.c over several seeds (word2vec.c has none of its own).
bench-hs-seeds: $(WORDVEC)
	@$(MAKE) --no-print-directory install-packages PACKAGES="gcc time npm"
	bash tests/bench/hs_seeds.sh

bench-glove: $(WORDVEC)
	bash tests/bench/glove.sh

# The dimension rule's evidence: sweeps of several vocabulary sizes, knee against N (docs/dimension.md).
bench-dim: $(WORDVEC)
	bash tests/bench/dimension.sh

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
# ---- Python: `import wordvec` (python/). The extension links the library and the
# CLI's train command (every object is position-independent: PIC above) into
# python/wordvec/_wordvec*.so, beside the pure-Python package, for Debian's python3.
PYTHON      := /usr/bin/python3
PY_PACKAGES := python3-dev pybind11-dev python3-numpy python3-pytest python3-venv python3-pip python3-setuptools \
               python3-wheel python3-gensim
PY_EXT      := python/wordvec/_wordvec$(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))" 2>/dev/null)
PY_INCLUDE  := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_paths()['include'])" 2>/dev/null)
PY_CLI_OBJ  := $(filter-out $(BUILD)/src/cli/main.o $(SERVE_OBJ),$(CLI_OBJ))

python-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(PY_PACKAGES)"

# The sub-makes read PY_EXT and PY_INCLUDE after python-deps has installed python3-dev.
python: python-deps
	$(MAKE) -j$$(nproc) python-extension

python-extension: $(PY_EXT)

$(PY_EXT): python/src/module.cc $(PY_CLI_OBJ) $(LIB)
	$(CXX) $(BASEFLAGS) -g0 -shared -fvisibility=hidden -Wl,--strip-debug -I$(PY_INCLUDE) -MMD -MP -MF $(BUILD)/module.d \
	  $< $(PY_CLI_OBJ) $(LIB) $(LDLIBS) -o $@

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

# ---- install, uninstall, shared library, man pages, Debian package (docs/install.md)
#   make install [PREFIX=/usr/local] [DESTDIR=stage] [LIBDIR=...]    make uninstall (same variables)
#   make deb     wordvec_VERSION_ARCH.deb in $(BUILD), checked by lintian
VERSION       := $(shell sed -n 's/^\#define WORDVEC_VERSION_STRING "\(.*\)"$$/\1/p' include/wordvec/core/version.h)
VERSION_MAJOR := $(word 1,$(subst ., ,$(VERSION)))
VERSION_MINOR := $(word 2,$(subst ., ,$(VERSION)))
# While the major version is 0 a minor release may break the ABI: the SONAME carries both.
SONAME        := libwordvec.so.$(VERSION_MAJOR).$(VERSION_MINOR)
SHARED_LIB    := $(BUILD)/libwordvec.so.$(VERSION)
COMMANDS      := train dim nn analogy eval convert prepare phrases info vectors serve
PREFIX        ?= /usr/local
BINDIR        ?= $(PREFIX)/bin
LIBDIR        ?= $(PREFIX)/lib
INCLUDEDIR    ?= $(PREFIX)/include
DATADIR       ?= $(PREFIX)/share
MANDIR        ?= $(DATADIR)/man
DOCDIR        ?= $(DATADIR)/doc/wordvec
COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
CMAKEDIR      := $(LIBDIR)/cmake/wordvec
GEN           := $(BUILD)/packaging
MAN_PAGES     := $(GEN)/man/wordvec.1 $(COMMANDS:%=$(GEN)/man/wordvec-%.1)
DOCS          := README.md $(wildcard docs/*.md)
# The configuration files name where they were installed (and, for CMake, paths relative to themselves).
SUBSTITUTE     = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
                     -e 's|@VERSION@|$(VERSION)|g' -e 's|@VERSION_MAJOR@|$(VERSION_MAJOR)|g' \
                     -e 's|@VERSION_MINOR@|$(VERSION_MINOR)|g' -e 's|@SONAME@|$(SONAME)|g' \
                     -e 's|@LIBS_PRIVATE@|$(LIB_LDLIBS)|g' -e 's|@LIBDIR_FROM_CMAKEDIR@|../..|g' \
                     -e 's|@INCLUDEDIR_FROM_CMAKEDIR@|$(shell realpath -m --relative-to=$(CMAKEDIR) $(INCLUDEDIR))|g'

.PHONY: shared man install uninstall deb packaging-test

# make install into a staging folder, programs built against it with pkg-config
# and CMake, man pages, completion, uninstall, and the .deb with lintian.
packaging-test: $(WORDVEC) $(CORPUS) | test-deps
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) OUT=$(BUILD)/packaging-test bash tests/packaging/consumer.sh

# The shared library links the library's objects (position-independent, as the Python module's).
shared: deps
	$(MAKE) -j$$(nproc) $(SHARED_LIB)

$(BUILD)/libwordvec.so.$(VERSION): $(LIB_OBJ)
	$(CXX) $(BASEFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $^ $(LIB_LDLIBS) -o $@

# Man pages come from the commands' own --help (help2man), so they cannot drift.
man: $(MAN_PAGES)

$(GEN)/man/wordvec.1: $(WORDVEC) packaging/wordvec.h2m
	@$(MAKE) --no-print-directory install-packages PACKAGES=help2man
	@mkdir -p $(dir $@)
	help2man -N --version-string=$(VERSION) -n "train, size, query and convert word embeddings" \
	  -i packaging/wordvec.h2m -o $@ $(WORDVEC)

# help2man runs a program: a two-line wrapper named after the page runs the command.
$(GEN)/man/wordvec-%.1: $(WORDVEC) packaging/command.h2m
	@$(MAKE) --no-print-directory install-packages PACKAGES=help2man
	@mkdir -p $(GEN)/man/bin
	printf '#!/bin/sh\nexec "%s" %s "$$@"\n' "$(abspath $(WORDVEC))" $* > $(GEN)/man/bin/wordvec-$*
	chmod +x $(GEN)/man/bin/wordvec-$*
	help2man -N --version-string=$(VERSION) -i packaging/command.h2m \
	  -n "$$($(WORDVEC) --help | sed -n 's/^  $* *//p')" -o $@ $(GEN)/man/bin/wordvec-$*

install: $(WORDVEC) $(LIB) shared man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(DOCDIR) $(DESTDIR)$(COMPLETIONDIR)
	install -m 755 $(WORDVEC) $(DESTDIR)$(BINDIR)/wordvec
	install -m 644 $(LIB) $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sfn libwordvec.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sfn $(SONAME) $(DESTDIR)$(LIBDIR)/libwordvec.so
	cd include && find wordvec -type d -exec install -d $(abspath $(DESTDIR)$(INCLUDEDIR))/{} \; \
	  && find wordvec -type f -name '*.h' -exec install -m 644 {} $(abspath $(DESTDIR)$(INCLUDEDIR))/{} \;
	$(SUBSTITUTE) packaging/wordvec.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/wordvec.pc
	$(SUBSTITUTE) packaging/wordvecConfig.cmake.in > $(DESTDIR)$(CMAKEDIR)/wordvecConfig.cmake
	$(SUBSTITUTE) packaging/wordvecConfigVersion.cmake.in > $(DESTDIR)$(CMAKEDIR)/wordvecConfigVersion.cmake
	for page in $(MAN_PAGES); do gzip -9n < $$page > $(DESTDIR)$(MANDIR)/man1/$$(basename $$page).gz; done
	install -m 644 packaging/wordvec.bash $(DESTDIR)$(COMPLETIONDIR)/wordvec
	install -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)/

# The MPI build beside wordvec (make mpi; docs/distributed.md).
install-mpi: mpi
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(MPI_WORDVEC) $(DESTDIR)$(BINDIR)/wordvec-mpi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wordvec $(DESTDIR)$(BINDIR)/wordvec-mpi $(DESTDIR)$(LIBDIR)/libwordvec.a $(DESTDIR)$(LIBDIR)/libwordvec.so \
	  $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libwordvec.so.$(VERSION) $(DESTDIR)$(LIBDIR)/pkgconfig/wordvec.pc \
	  $(DESTDIR)$(COMPLETIONDIR)/wordvec $(MAN_PAGES:$(GEN)/man/%=$(DESTDIR)$(MANDIR)/man1/%.gz)
	rm -rf $(DESTDIR)$(INCLUDEDIR)/wordvec $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(DOCDIR)

# A Debian package of the installed tree (prefix /usr, multiarch libdir), built
# with dpkg-deb and checked by lintian (errors fail; warnings are listed).
DEB_ARCH      = $(shell dpkg --print-architecture)
DEB_MULTIARCH = $(shell $(CXX) -print-multiarch)
DEB_MAINTAINER ?= wordvec developers <wordvec@example.org>
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
DEB_STAGE     := $(BUILD)/deb
deb: $(WORDVEC) $(LIB)
	@$(MAKE) --no-print-directory install-packages PACKAGES="dpkg-dev lintian help2man"
	rm -rf $(DEB_STAGE) && mkdir -p $(DEB_STAGE)/root/DEBIAN $(DEB_STAGE)/debian
	$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_STAGE)/root) PREFIX=/usr \
	  LIBDIR=/usr/lib/$(DEB_MULTIARCH)
	cd $(DEB_STAGE)/root && strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	  usr/bin/wordvec usr/lib/$(DEB_MULTIARCH)/libwordvec.so.$(VERSION) \
	  && strip --strip-debug usr/lib/$(DEB_MULTIARCH)/libwordvec.a
	install -m 644 packaging/copyright $(DEB_STAGE)/root/usr/share/doc/wordvec/copyright
	printf 'wordvec (%s) unstable; urgency=medium\n\n  * Built by make deb from %s.\n\n -- %s  %s\n' \
	  "$(VERSION)" "$(or $(GIT_COMMIT),a source tree)" "$(DEB_MAINTAINER)" "$$(date -R -u -d @$(SOURCE_DATE_EPOCH))" \
	  | gzip -9n > $(DEB_STAGE)/root/usr/share/doc/wordvec/changelog.gz
	cd $(DEB_STAGE)/root/usr/share/doc/wordvec && for f in *.md; do [ $$(stat -c %s $$f) -lt 4096 ] || gzip -9n $$f; done
	printf 'Source: wordvec\n\nPackage: wordvec\nArchitecture: any\n' > $(DEB_STAGE)/debian/control
	cd $(DEB_STAGE) && dpkg-shlibdeps -O -eroot/usr/bin/wordvec -eroot/usr/lib/$(DEB_MULTIARCH)/libwordvec.so.$(VERSION) \
	  2>/dev/null | sed 's/^shlibs:Depends=//' > depends
	echo 'libwordvec $(VERSION_MAJOR).$(VERSION_MINOR) wordvec (>= $(VERSION))' > $(DEB_STAGE)/root/DEBIAN/shlibs
	echo 'activate-noawait ldconfig' > $(DEB_STAGE)/root/DEBIAN/triggers
	{ echo 'Package: wordvec'; echo 'Version: $(VERSION)'; echo 'Architecture: $(DEB_ARCH)'; \
	  echo 'Maintainer: $(DEB_MAINTAINER)'; echo "Depends: $$(cat $(DEB_STAGE)/depends)"; \
	  echo 'Section: science'; echo 'Priority: optional'; \
	  echo "Installed-Size: $$(du -sk --exclude=DEBIAN $(DEB_STAGE)/root | cut -f1)"; \
	  echo 'Description: word embeddings: train, size, query and convert word vectors'; \
	  echo ' Skip-gram and CBOW with negative sampling or hierarchical softmax, subword'; \
	  echo ' (fastText) vectors and GloVe, with SIMD kernels chosen at run time; the'; \
	  echo ' minimum-entropy dimension suggestion; nearest neighbours, analogies,'; \
	  echo ' evaluation and every common vector format. Includes the C++ library'; \
	  echo ' (static and shared), headers, pkg-config and CMake files, man pages and'; \
	  echo ' bash completion.'; } > $(DEB_STAGE)/root/DEBIAN/control
	cd $(DEB_STAGE)/root && find usr -type f -exec md5sum {} + | sort -k2 > DEBIAN/md5sums
	find $(DEB_STAGE)/root -type d -exec chmod 755 {} +
	dpkg-deb --root-owner-group -Zxz --build $(DEB_STAGE)/root $(BUILD)/wordvec_$(VERSION)_$(DEB_ARCH).deb
	lintian --fail-on error --suppress-tags-from-file packaging/lintian-overrides \
	  $(BUILD)/wordvec_$(VERSION)_$(DEB_ARCH).deb

clean:
	rm -rf $(BUILD) build-native $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) $(AARCH64_BUILD) python/wordvec/_wordvec*.so

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/module.d $(MPI_OBJ:.o=.d)
