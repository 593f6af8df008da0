# Set-up and everyday commands. Each target creates the virtual environment it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test chromium serve bench bench-accuracy bench-speed bench-serve bench-scan clean

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

## chromium: Debian's Chromium for the browser tests, installed when missing and run as root;
## without it those tests are skipped, so a failed install does not fail the set-up
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: the browser tests will be skipped"; \
	  else echo "no /usr/bin/chromium (and cannot install it here): the browser tests will be skipped"; fi; \
	fi

## serve: set up, then serve the page and the API on http://127.0.0.1:8000
serve: $(VENV)/.installed-test
	$(BIN)/unspun serve

## test: set up, then run the whole test suite (reads real news from ../shared/data)
test: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest

## bench-accuracy: build the farm benchmark from ../shared/data and print the score table
bench-accuracy: $(VENV)/.installed-bench
	$(BIN)/python -m bench.farm.score --split heldout

## bench-speed: articles per second on one core, beside the datatrove filter stack
bench-speed: $(VENV)/.installed-bench
	$(BIN)/python -m bench.throughput

## bench-serve: requests/s and latency of unspun serve on loopback, beside the library and the CLI
bench-serve: $(VENV)/.installed-bench
	$(BIN)/python -m bench.serve

## bench-scan: unspun scan over all AllSides articles, 1 and 2 workers, local and Ray, beside datatrove
bench-scan: $(VENV)/.installed-bench
	$(BIN)/python -m bench.scan

bench: bench-accuracy bench-speed bench-serve bench-scan

clean:
	rm -rf $(VENV) bench/out .pytest_cache
