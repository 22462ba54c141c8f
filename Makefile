# make run   set up (install missing packages, configure, build) and start isitdown
# make test  the same set-up, then every test; ends with "N passed, N failed"
#            (after the suites of $(BUILD): the unit tests under valgrind and
#            under ASan+UBSan, and each fuzz target for 5 s; TEST_EXTRAS= skips them)
# make fuzz  each fuzz target for FUZZ_SECONDS (default 60)
# make bench the five performance tables of README "Performance", isitdown beside
#            its peers (BENCH_QUICK=1 for a quick pass; see tests/bench/run)
BUILD ?= build
MESON_OPTS ?=
ARGS ?=
ASAN_BUILD ?= $(BUILD)-asan
FUZZ_BUILD ?= $(BUILD)-fuzz
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
TEST_EXTRAS ?= valgrind asan fuzz

.PHONY: all run test build deps bench fuzz clean

all: build

deps:
	@scripts/ensure-deps

$(BUILD)/build.ninja:
	@meson setup $(BUILD) $(MESON_OPTS) >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

run: build
	@$(BUILD)/isitdown $(ARGS)

test:
	@scripts/ensure-deps test
	@$(MAKE) --no-print-directory build
	@scripts/run-tests $(BUILD) $(if $(filter valgrind,$(TEST_EXTRAS)),--valgrind) \
		$(if $(filter asan,$(TEST_EXTRAS)),--asan $(ASAN_BUILD)) \
		$(if $(filter fuzz,$(TEST_EXTRAS)),--fuzz $(FUZZ_BUILD))

# New inputs stay in $(FUZZ_BUILD)/tests/fuzz/TARGET/corpus, crashes in .../crashes
fuzz:
	@scripts/ensure-deps test
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) scripts/run-tests --fuzz $(FUZZ_BUILD)

bench: build
	@scripts/ensure-deps bench
	@ninja -C $(BUILD) >/dev/null
	@tests/bench/run $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-*
