#!/usr/bin/env bash
# Install what a make target needs from Debian's packages, or say exactly how to.
#   scripts/deps.sh GROUP ...      GROUP = core | fpga | asic | synth | formal | plot
# core    compilers, Verilator, Yosys, Check, Icarus, ccache (make demo, make verify)
# fpga    iCE40 place and route and timing: nextpnr-ice40, fpga-icestorm and its chip database
#         fpga-icestorm-chipdb (only a Recommends of fpga-icestorm, and icetime fails without
#         it), python3 for the report parser (make verify's FPGA steps, make synth)
# asic    the OSU 0.18 um standard cells, qflow-tech-osu018 (make synth TARGET=asic, make area)
# synth   fpga + asic
# formal  z3 for yosys-smtbmc (bounded model checks)
# plot    gnuplot-nox (the plots of make bench and make area)
# Packages are installed without recommends, so every package a step needs is named here.
# As root it runs apt-get; otherwise it prints the command and exits 1.
set -euo pipefail
need_pkgs=()
want() { # want PACKAGE TEST-COMMAND...
  local pkg=$1
  shift
  "$@" >/dev/null 2>&1 || need_pkgs+=("$pkg")
}
for group in "${@:-core}"; do
  case "$group" in
    core)
      want gcc command -v gcc
      want g++ command -v g++
      want make command -v make
      want pkg-config command -v pkg-config
      want check pkg-config --exists check
      want verilator command -v verilator
      want yosys command -v yosys
      want ccache command -v ccache
      want iverilog command -v iverilog
      ;;
    fpga | synth)
      want nextpnr-ice40 command -v nextpnr-ice40
      want fpga-icestorm command -v icetime
      want fpga-icestorm-chipdb dpkg -s fpga-icestorm-chipdb
      want python3 command -v python3
      ;;&
    asic | synth)
      want qflow-tech-osu018 dpkg -s qflow-tech-osu018
      want python3 command -v python3
      ;;
    fpga) ;;
    formal)
      want z3 command -v z3
      want yosys command -v yosys-smtbmc
      ;;
    plot) want gnuplot-nox command -v gnuplot ;;
    *) echo "deps.sh: unknown group '$group' (core, fpga, asic, synth, formal, plot)" >&2; exit 2 ;;
  esac
done
[ ${#need_pkgs[@]} -eq 0 ] && exit 0
# shellcheck disable=SC2207
need_pkgs=($(printf '%s\n' "${need_pkgs[@]}" | awk '!seen[$0]++'))
cmd="apt-get install -y --no-install-recommends ${need_pkgs[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "sparsegen needs: ${need_pkgs[*]}" >&2
  echo "run as root:  apt-get update && $cmd" >&2
  exit 1
fi
echo "deps: installing ${need_pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$cmd >/tmp/sparsegen-apt.log 2>&1 || { tail -20 /tmp/sparsegen-apt.log; exit 1; }
