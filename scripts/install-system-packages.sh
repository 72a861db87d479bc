#!/usr/bin/env bash
# Installs the Debian packages recomp's loop and tests use for real (as root, or through sudo).
# Used by .ci/run and by the README's quick start; installs only what is missing.
set -euo pipefail
packages=(ffmpeg chromium gcc make gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user lz4 openssl git
  gcc-12-source picolibc-aarch64-linux-gnu)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -ne 0 ] && as_root=(sudo)
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
