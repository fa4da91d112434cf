# tenantsite — the two commands a newcomer runs: `make site` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE_BIN := .build/release/tenantsite

.PHONY: site build test deps clean check

## Install what is missing, build in release mode, render the demo content/ into output/.
site: deps
	$(SWIFT) build -c release --product tenantsite
	$(RELEASE_BIN) build --content content --templates templates --output output
	@echo "Open output/index.html in a browser."

## Validate the demo content and templates without writing anything.
check: deps
	$(SWIFT) build -c release --product tenantsite
	$(RELEASE_BIN) check

## Unit, property and end-to-end tests.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## System packages the build needs (Debian): the cmark-gfm C library and its GFM extensions.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf .build output
