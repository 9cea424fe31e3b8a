# Convenience entry points; the build itself is meson.
#   make run   build, create a demo database, show it with kontor-cli
#   make test  exactly what CI runs (.ci/run): packages, build, all tests,
#              sanitizer run, "N passed, N failed"
BUILD ?= _build
DEMO_DB ?= $(BUILD)/demo.db

.PHONY: all deps build run test clean

all: build

deps:
	@tools/install-deps

build: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD)
	ninja -C $(BUILD)

run: build
	@tools/run-demo $(BUILD) $(DEMO_DB)

# the same as tools/run, which needs no make

test:
	bash .ci/run

clean:
	rm -rf $(BUILD) _ci
