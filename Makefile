# Two commands do everything on a fresh machine:
#   make demo   set up, build the demo store (once) and start the dashboard on it
#   make test   set up (packages and Debian's chromium), lint (ruff) and run every test: unit, AppTest and browser
# And: make bench [BENCH_ARGS="--sizes 10000,100000 --repeat 3"]   the benchmark table (README, Benchmark)
DEMO_DB ?= data/store/demo.duckdb
PORT ?= 8501
BENCH_ARGS ?=

.PHONY: demo test bench setup

setup:
	@bash scripts/setup.sh

demo: setup
	@[ -f $(DEMO_DB) ] || .venv/bin/python -m analytics demo --db $(DEMO_DB)
	ANTQ_DB=$(DEMO_DB) .venv/bin/python scripts/serve.py --server.port $(PORT)

test:
	@bash scripts/setup.sh --browser
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
	.venv/bin/python -m pytest -q -p no:cacheprovider tests

bench:
	@bash scripts/setup.sh --browser
	.venv/bin/python -m bench $(BENCH_ARGS)
