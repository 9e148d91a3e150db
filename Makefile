# wordvec — build, test, demo and benchmark.
#   make demo    build, train on the bundled corpus in data/, show nearest neighbours
#   make test    build and run every test (unit, CLI end-to-end, examples)
#   make bench   train wordvec and the peers side by side (tests/bench/)
# Each target first runs `make deps`, which installs missing Debian packages
# when run as root, and otherwise prints the apt-get command to run.

CXX      ?= g++
BUILD    ?= build
OPT      ?= -O3
CXXFLAGS ?=
# Portable x86-64 by default: only src/simd/kernels_<isa>.cc get ISA flags.
BASEFLAGS := -std=c++20 $(OPT) -g -Wall -Wextra -pthread -Iinclude \
             -I/usr/include/x86_64-linux-gnu/openblas-pthread -DSPDLOG_FMT_EXTERNAL $(CXXFLAGS)
LDLIBS   := -lboost_program_options -lspdlog -lfmt -lopenblas -pthread

DEB_PACKAGES := g++ make libboost-program-options-dev libopenblas-dev libspdlog-dev libgtest-dev
# Only the tests need these: a real gensim to check interoperability, bc for timings.
TEST_PACKAGES := python3-gensim bc

LIB_SRC  := $(wildcard src/*.cc) src/simd/dispatch.cc src/simd/kernels_scalar.cc
ISA_SRC  := src/simd/kernels_avx2.cc src/simd/kernels_avx512.cc
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

.PHONY: all deps test-deps install-packages test unit-test cli-test example-test demo bench bench-quick bench-glove native clean

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

$(BUILD)/src/simd/kernels_avx2.o: BASEFLAGS += -mavx2 -mfma
$(BUILD)/src/simd/kernels_avx512.o: BASEFLAGS += -mavx512f -mfma

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(WORDVEC): $(CLI_OBJ) $(LIB)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) -o $@

$(UNIT): $(TEST_OBJ) $(LIB)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) -lgtest -lgtest_main -o $@

$(EXAMPLE): examples/train_and_query.cc $(LIB) | deps
	@mkdir -p $(dir $@)
	$(CXX) $(BASEFLAGS) $^ $(LDLIBS) -o $@

# The bundled corpus is stored compressed; tests and the demo read it unpacked.
$(CORPUS): data/corpus-small.txt.gz
	@mkdir -p $(dir $@)
	gzip -dc $< > $@.tmp && mv $@.tmp $@

unit-test: $(UNIT) $(CORPUS)
	WORDVEC_TEST_CORPUS=$(CORPUS) $(UNIT) --gtest_brief=1

cli-test: $(WORDVEC) $(CORPUS)
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/run.sh
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) bash tests/cli/gensim_agreement.sh

example-test: $(EXAMPLE) $(WORDVEC) $(CORPUS)
	$(EXAMPLE) $(CORPUS) > $(BUILD)/examples/train_and_query.out
	WORDVEC=$(WORDVEC) CORPUS=$(CORPUS) OUT=$(BUILD)/examples bash examples/walkthrough.sh > $(BUILD)/examples/walkthrough.out
	@echo "examples: ok"

# Build everything in parallel first; the suites then run one after another
# (the CLI tests time signal handling and must not compete for the cores).
test: test-deps
	$(MAKE) -j$$(nproc) $(UNIT) $(WORDVEC) $(EXAMPLE) $(CORPUS)
	$(MAKE) unit-test cli-test example-test
	@echo "make test: all suites passed"

demo: $(WORDVEC) $(CORPUS)
	$(WORDVEC) train --input $(CORPUS) --output $(BUILD)/demo-vectors.bin --epochs 3
	$(WORDVEC) nn --vectors $(BUILD)/demo-vectors.bin -k 8 france king water computer three

bench: $(WORDVEC)
	bash tests/bench/run.sh

bench-quick: $(WORDVEC)
	QUICK=1 bash tests/bench/run.sh

bench-glove: $(WORDVEC)
	bash tests/bench/glove.sh

# Opt-in build tuned for this machine (not the default: it may not run elsewhere).
native:
	$(MAKE) BUILD=build-native CXXFLAGS="-march=native"

clean:
	rm -rf $(BUILD) build-native

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
