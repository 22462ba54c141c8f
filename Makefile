# make run   set up (install missing packages, configure, build) and start isitdown
# make test  the same set-up, then every test; ends with "N passed, N failed"
BUILD ?= build
MESON_OPTS ?=
ARGS ?=

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
	@scripts/run-tests $(BUILD)

bench: build
	@scripts/ensure-deps test
	@ninja -C $(BUILD) >/dev/null
	@tests/bench/run $(BUILD)

clean:
	rm -rf $(BUILD) build-*
