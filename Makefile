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

GEN_SRCS := $(filter-out gen/embed.c,$(wildcard gen/*.c))
GEN_HDRS := $(wildcard gen/*.h) gen/sg_regs.def
TEMPLATES := $(sort $(wildcard rtl_templates/*.v))

.PHONY: all
all: $(B)/bin/sparsegen

$(B)/bin/sg_embed: gen/embed.c | $(B)/bin
	$(CC) $(CFLAGS_SG) -o $@ $<

$(B)/obj/templates.c: $(TEMPLATES) $(B)/bin/sg_embed | $(B)/obj
	$(B)/bin/sg_embed $@ $(TEMPLATES)

$(B)/bin/sparsegen: $(GEN_SRCS) $(GEN_HDRS) $(B)/obj/templates.c | $(B)/bin
	$(CC) $(CFLAGS_SG) -Igen -o $@ $(GEN_SRCS) $(B)/obj/templates.c

$(B)/bin $(B)/obj:
	mkdir -p $@

.PHONY: clean
clean:
	rm -rf $(B)
