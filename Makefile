# Set-up and everyday commands. Each target creates the virtual environment it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench bench-accuracy bench-speed bench-scan clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

## demo: set up, then check the bundled example article in the terminal
demo: $(VENV)/.installed-test
	$(BIN)/unspun check examples/harbour-bridge.txt

## test: set up, then run the whole test suite (reads real news from ../shared/data)
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

## bench-accuracy: build the farm benchmark from ../shared/data and print the score table
bench-accuracy: $(VENV)/.installed-bench
	$(BIN)/python -m bench.farm.score --split heldout

## bench-speed: articles per second on one core, beside the datatrove filter stack
bench-speed: $(VENV)/.installed-bench
	$(BIN)/python -m bench.throughput

## bench-scan: unspun scan over all AllSides articles, 1 and 2 workers, local and Ray, beside datatrove
bench-scan: $(VENV)/.installed-bench
	$(BIN)/python -m bench.scan

bench: bench-accuracy bench-speed bench-scan

clean:
	rm -rf $(VENV) bench/out .pytest_cache
