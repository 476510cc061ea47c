#!/usr/bin/env bash
# Install what a make target needs from Debian's packages, or say exactly how to.
#   scripts/deps.sh core|fpga|asic|synth|plot ...
# core: compilers, Verilator, Yosys, Check, Icarus; fpga: iCE40 place-and-route (and python3 for
# the report parser); asic: the OSU 0.18um standard cells; synth: fpga + asic; plot: gnuplot.
# As root it runs apt-get; otherwise it prints the command.
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
    fpga)
      want nextpnr-ice40 command -v nextpnr-ice40
      want fpga-icestorm command -v icepack
      want python3 command -v python3
      ;;
    asic)
      want qflow-tech-osu018 dpkg -s qflow-tech-osu018
      want python3 command -v python3
      ;;
    synth) # both
      want nextpnr-ice40 command -v nextpnr-ice40
      want fpga-icestorm command -v icepack
      want qflow-tech-osu018 dpkg -s qflow-tech-osu018
      want python3 command -v python3
      ;;
    plot) want gnuplot-nox command -v gnuplot ;;
    *) echo "deps.sh: unknown group '$group' (core, fpga, asic, synth, plot)" >&2; exit 2 ;;
  esac
done
[ ${#need_pkgs[@]} -eq 0 ] && exit 0
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
