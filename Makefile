# Thin wrapper over CMake/CTest. Every entry point runs scripts/setup.sh first, which
# installs missing Debian packages (as root) or prints the apt-get line to run.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
FUSEGEN := $(BUILD)/fusegen

.PHONY: all setup configure build test demo regress-long bench clean

all: build

setup:
	@bash scripts/setup.sh

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: setup $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# All tests but the long opt-in sweeps (label "long").
test: build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure -LE long

# Long sweeps: larger arrays, more seeds, million-access cache runs.
regress-long: build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure -L long

demo: build
	@bash scripts/demo.sh $(BUILD)

bench: build
	@bash scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)
