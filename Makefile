# sparsegen top-level Makefile. `make` builds the generator; see README.md for the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := all

CC       ?= gcc
CXX      ?= g++
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN     := -Wall -Wextra -Werror
OPT      ?= -O2 -g
CFLAGS_SG = $(CSTD) $(WARN) $(OPT)
B        := build

# contract/: the hardware contract (register table, parameter rules, arithmetic, cycle model)
# that gen/, golden/, host/ and tb/ all read
CONTRACT_SRCS := $(wildcard contract/*.c)
CONTRACT_HDRS := $(wildcard contract/*.h) contract/sg_regs.def

GEN_SRCS := $(filter-out gen/embed.c,$(wildcard gen/*.c)) $(CONTRACT_SRCS)
GEN_HDRS := $(wildcard gen/*.h) $(CONTRACT_HDRS)
TEMPLATES := $(sort $(wildcard rtl_templates/*.v))

.PHONY: all
all: $(B)/bin/sparsegen

$(B)/bin/sg_embed: gen/embed.c | $(B)/bin
	$(CC) $(CFLAGS_SG) -o $@ $<

$(B)/obj/templates.c: $(TEMPLATES) $(B)/bin/sg_embed | $(B)/obj
	$(B)/bin/sg_embed $@ $(TEMPLATES)

$(B)/bin/sparsegen: $(GEN_SRCS) $(GEN_HDRS) $(B)/obj/templates.c | $(B)/bin
	$(CC) $(CFLAGS_SG) -Igen -Icontract -o $@ $(GEN_SRCS) $(B)/obj/templates.c

$(B)/bin $(B)/obj:
	mkdir -p $@

.PHONY: clean
clean:
	rm -rf $(B)

# ---------------------------------------------------------------- host, golden and test libraries
# libsg_host.a: what a board driver links: contract/ + host/, built without golden/.
# libsg_sw.a:   everything the test benches link: contract/, golden/, host/ and the
#               golden-backed device model tb/golddev.c and the device checks tb/devcheck.c.
HOST_SRCS := $(CONTRACT_SRCS) $(wildcard host/*.c)
HOST_HDRS := $(CONTRACT_HDRS) $(wildcard host/*.h)
SW_SRCS := $(HOST_SRCS) $(wildcard golden/*.c) tb/golddev.c tb/devcheck.c
SW_HDRS := $(HOST_HDRS) $(wildcard golden/*.h) tb/golddev.h tb/devcheck.h
SW_INC  := -Icontract -Igolden -Ihost -Itb
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

$(B)/lib/libsg_host.a: $(HOST_SRCS) $(HOST_HDRS)
	@mkdir -p $(B)/lib $(B)/obj/host
	@set -e; for s in $(HOST_SRCS); do $(CC) $(CFLAGS_SG) -Icontract -Ihost -c $$s -o $(B)/obj/host/$$(basename $${s%.c}).o; done
	rm -f $@ && ar rcs $@ $(B)/obj/host/*.o

$(B)/lib/libsg_sw.a: $(SW_SRCS) $(SW_HDRS) $(B)/lib/libsg_host.a
	@mkdir -p $(B)/lib $(B)/obj/sw
	@set -e; for s in $(SW_SRCS); do $(CC) $(CFLAGS_SG) $(SW_INC) -c $$s -o $(B)/obj/sw/$$(basename $${s%.c}).o; done
	rm -f $@ && ar rcs $@ $(B)/obj/sw/*.o

# docs/registers.md: its register table is generated from the contract (make docs); the
# software tests fail when it is stale.
$(B)/bin/sg_regdoc: contract/tools/regdoc.c $(CONTRACT_SRCS) $(CONTRACT_HDRS) | $(B)/bin
	$(CC) $(CFLAGS_SG) -Icontract -o $@ contract/tools/regdoc.c $(CONTRACT_SRCS)

# `make docs` also writes the measured numbers of README.md and docs/ (docs_sync, below)
.PHONY: docs
docs: $(B)/bin/sg_regdoc all
	$(B)/bin/sg_regdoc docs/registers.md
	@python3 scripts/docs_sync.py write

TEST_SW_SRCS := tb/test_golden.c tb/test_host_mtx.c tb/test_host_stream.c tb/test_host_driver.c \
                tb/test_contract.c tb/test_sw_main.c
TEST_SW_DEFS := -DSG_SRC_ROOT='"$(CURDIR)"'
$(B)/bin/test_sw: $(TEST_SW_SRCS) tb/test_sw.h $(B)/lib/libsg_sw.a | $(B)/bin
	$(CC) $(CFLAGS_SG) $(TEST_SW_DEFS) $(SW_INC) $(CHECK_CFLAGS) -o $@ $(TEST_SW_SRCS) $(B)/lib/libsg_sw.a $(CHECK_LIBS)

# the same tests over the same sources, under AddressSanitizer and UBSan
$(B)/bin/test_sw_san: $(TEST_SW_SRCS) tb/test_sw.h $(SW_SRCS) $(SW_HDRS) | $(B)/bin
	$(CC) $(CFLAGS_SG) $(TEST_SW_DEFS) $(SAN) $(SW_INC) $(CHECK_CFLAGS) -o $@ $(TEST_SW_SRCS) $(SW_SRCS) $(CHECK_LIBS)

$(B)/bin/sparsegen_san: $(GEN_SRCS) $(GEN_HDRS) $(B)/obj/templates.c | $(B)/bin
	$(CC) $(CFLAGS_SG) $(SAN) -Igen -Icontract -o $@ $(GEN_SRCS) $(B)/obj/templates.c

# generator tests: the CLI (run as a program) and the template filler (linked in)
$(B)/bin/test_gen: tb/test_gen.c tb/tb_check.h gen/tmpl.c gen/sb.c $(B)/obj/templates.c $(B)/bin/sparsegen | $(B)/bin
	$(CC) $(CFLAGS_SG) -Igen $(CHECK_CFLAGS) -o $@ tb/test_gen.c gen/tmpl.c gen/sb.c $(B)/obj/templates.c $(CHECK_LIBS)

# the parsers of untrusted text (config file, Matrix Market): limits and a seeded fuzz run,
# under AddressSanitizer and UBSan (tb/test_inputs.c)
INPUTS_SRCS := tb/test_inputs.c gen/cfg.c gen/sb.c host/host_mtx.c host/host_err.c $(CONTRACT_SRCS)
$(B)/bin/test_inputs_san: $(INPUTS_SRCS) gen/cfg.h gen/sb.h host/host_mtx.h host/host_err.h tb/tb_check.h $(wildcard contract/*.h contract/*.def) | $(B)/bin
	$(CC) $(CFLAGS_SG) $(SAN) -Igen -Icontract -Ihost $(CHECK_CFLAGS) -o $@ $(INPUTS_SRCS) $(CHECK_LIBS)

# ---------------------------------------------------------------- product targets
PROFILE ?= default
DATA    ?= ../shared/data

.PHONY: deps demo bench verify lint
deps:
	@scripts/deps.sh core

# The main job: generate the default 8x8 variant, run a real GraphChallenge workload through
# its Verilator model in DENSE, SPARSE and AUTO, check it against golden, print the result.
demo: deps
	@scripts/demo.sh

bench: deps
	@scripts/deps.sh plot || echo "bench: continuing without the plot"
	@scripts/bench.sh
	@python3 scripts/docs_sync.py write bench

verify: deps
	@scripts/verify.sh $(PROFILE)

# ---------------------------------------------------------------- synthesis (docs/synthesis.md)
TARGET ?= generic
PART   ?=
.PHONY: synth area
synth: all
	@test -n "$(VARIANT)" || { echo "usage: make synth VARIANT=<generated dir> TARGET=generic|ice40|xc7|asic [PART=up5k/sg48]" >&2; exit 2; }
	@scripts/deps.sh core synth
	scripts/synth.sh $(VARIANT) $(TARGET) $(PART)
	@python3 scripts/docs_sync.py write synth verify

area: all
	@scripts/deps.sh core fpga asic plot
	scripts/area.sh
	@python3 scripts/docs_sync.py write area

# ---------------------------------------------------------------- docs (scripts/docs_sync.py)
# Numbers in README.md and docs/ live between <!-- sg:begin NAME --> markers. make bench,
# make area and make synth rewrite the blocks they measure; `make docs` rewrites every block
# whose report exists under build/ (the `docs` rule above, which also regenerates
# docs/registers.md); `make docs-check` compares without writing (make verify runs it on the
# reports of its own run: step `docs`).
.PHONY: docs-check
docs-check: all
	@python3 scripts/docs_sync.py check

# ---------------------------------------------------------------- front door (docs/run.md)
# the `sparsegen run|list|synth` cases and the runner's bad inputs, alone (also a verify step)
.PHONY: test-cli
test-cli: all
	tb/test_cli.sh
