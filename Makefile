# dkv top-level Makefile: everything delegates to src/Makefile, as Redis does.
#   make            build src/dkv-server
#   make deps       install system packages (idempotent)
#   make test       deps + build + every test; last line "N passed, N failed"
#   make run        deps + build + a node on port 6379 with data in ./data
#   make bench      side-by-side benchmark against redis-server
#   make SANITIZE=1 test   the same suite under ASan+UBSan

.PHONY: all deps test run bench clean unit fuzz

all:
	@$(MAKE) --no-print-directory -C src

deps:
	@sh deps/install.sh

test: deps
	@$(MAKE) --no-print-directory -C src test

unit: all
	@$(MAKE) --no-print-directory -C src unit

run: deps all
	@mkdir -p data
	./src/dkv-server conf/dkv.conf --port 6379 --dir ./data

fuzz: deps
	@$(MAKE) --no-print-directory -C src fuzz

bench: deps all
	./utils/dkv-bench

clean:
	@$(MAKE) --no-print-directory -C src clean
