"""Benchmarks: `python -m bench [--sizes 10000,100000,1000000] [--repeat 5]` prints one table and writes
bench/results/latest.md. Each part runs in its own process so one part's caches and memory do not colour another's."""
