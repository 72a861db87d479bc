#!/bin/sh
# Builds test/fixtures/libnx/audren-tone.{nro,elf} from scripts/libnx-audren-tone (its source and libnx's standard
# Makefile) with a devkitPro-style libnx toolchain (switchbrew libnx 4d8cc7fe…, see test/fixtures/libnx/NOTICE).
# Not part of the test command: the fixture is committed.
#
#   DEVKITPRO=/path/to/dkp sh scripts/build-libnx-audren-tone.sh
set -eu
: "${DEVKITPRO:?set DEVKITPRO to a libnx toolchain prefix (devkitA64, libnx, tools)}"
export DEVKITPRO
PATH="$DEVKITPRO/devkitA64/bin:$DEVKITPRO/tools/bin:$PATH"
export PATH
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/scripts/libnx-audren-tone" "$work/audren-tone"
make -s -C "$work/audren-tone"
# As the other fixtures: the ELF with symbols kept and debug info stripped.
aarch64-none-elf-strip --strip-debug -o "$repo/test/fixtures/libnx/audren-tone.elf" "$work/audren-tone/audren-tone.elf"
cp "$work/audren-tone/audren-tone.nro" "$repo/test/fixtures/libnx/audren-tone.nro"
