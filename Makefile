# The two commands of the README, and the benchmark.
#   make demo   install what is missing, build, serve the Gaoqiao 2021 campaign on 127.0.0.1:8080
#   make test   install what is missing, build, run every test
#   make bench  build in release mode, print this machine's figures, write them to bench/results/
#               (BENCH_ARGS="--seconds 8 --repeats 3" and the like: bench/README.md); then the
#               PostgreSQL figures (bench/postgres_bench.sh; PG_BENCH_SECONDS, default 8)
#   make fuzz   build the libFuzzer harnesses with clang and run each for FUZZ_SECONDS (tests/fuzz)
#   make torture  SIGKILL `rectify serve` KILLS times under WRITERS clients, checking after each
#               restart that no acknowledged write is lost, on SQLite and then on PostgreSQL
#               (crashed too, every tenth kill) (scripts/kill_torture.py)
BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
DEMO_DB    ?= demo.sqlite
PORT       ?= 8080
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
PG_BENCH_SECONDS ?= 8
KILLS   ?= 50
WRITERS ?= 8

.PHONY: deps build test demo bench fuzz torture clean

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	$(BUILD)/app/rectify demo --db $(DEMO_DB) --port $(PORT)

bench:
	@bash scripts/install-deps.sh --bench
	cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release
	cmake --build build-release -j $(JOBS) --target rectify_bench rectify
	build-release/bench/rectify_bench $(BENCH_ARGS)
	bash bench/postgres_bench.sh build-release bench/results $(PG_BENCH_SECONDS)

fuzz:
	@bash scripts/install-deps.sh --fuzz
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECTIFY_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_harnesses
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" bash scripts/fuzz.sh $(FUZZ_BUILD)

torture: build
	python3 scripts/kill_torture.py $(BUILD)/app/rectify workflows/gaoqiao-2021-autumn.json \
	  --kills $(KILLS) --writers $(WRITERS)
	python3 scripts/kill_torture.py $(BUILD)/app/rectify workflows/gaoqiao-2021-autumn.json \
	  --kills $(KILLS) --writers $(WRITERS) --postgres /tmp/rectify-torture-pg-$$$$

clean:
	rm -rf $(BUILD) build-release $(FUZZ_BUILD)
