#!/bin/sh
# runtime/build: compiles one C file through a content-addressed object cache shared by every build on this machine.
# Usage (from the Makefile): sh runtime/build/objcache.sh <object> <source> <compiler and flags...>
# The key is the SHA-256 of the preprocessed source (so every header counts), the compiler's identity
# (`--version` and target) and the flags; a hit copies the object, a miss compiles the preprocessed text
# it already has (`-x cpp-output`: the same object, without preprocessing twice) and stores the object.
# Cache folder: $RECOMP_CACHE_DIR, else $XDG_CACHE_HOME/recomp, else ~/.cache/recomp; objects/ in it is
# kept under $RECOMP_CACHE_MAX_MB megabytes (default 2048) by removing the least recently used objects.
# RECOMP_CACHE_DIR=off compiles without the cache. RECOMP_CACHE_LOG=<file> appends "hit|miss <source>".
set -eu
object=$1
source=$2
shift 2

# The object appears only complete (compiled to a temporary, then renamed): a build killed midway leaves no
# truncated object newer than its source. Temporaries such a build left for this object are removed first.
compile() { "$@" -c -o "$object.tmp.$$" "$source" && mv "$object.tmp.$$" "$object"; }
rm -f -- "$object".tmp.*

if [ "${RECOMP_CACHE_DIR:-}" = off ]; then compile "$@"; exit 0; fi
if [ -n "${RECOMP_CACHE_DIR:-}" ]; then root=$RECOMP_CACHE_DIR
elif [ -n "${XDG_CACHE_HOME:-}" ]; then root=$XDG_CACHE_HOME/recomp
else root=${HOME:?set HOME or RECOMP_CACHE_DIR}/.cache/recomp
fi
objects=$root/objects
mkdir -p "$objects"

# In the temp folder, not beside the object: a build killed here must leave nothing in the build folder.
preprocessed=$(mktemp "${TMPDIR:-/tmp}/recomp-objcache.XXXXXX")
trap 'rm -f "$preprocessed"' EXIT
"$@" -E -o "$preprocessed" "$source"
key=$( {
  printf 'recomp objcache 1\n'
  printf '%s\n' "$@"
  "$1" --version 2>&1
  "$1" -dumpmachine 2>&1 || true
  cat "$preprocessed"
} | sha256sum | cut -c1-64)
cached=$objects/$key.o

log() { if [ -n "${RECOMP_CACHE_LOG:-}" ]; then printf '%s %s\n' "$1" "$source" >> "$RECOMP_CACHE_LOG"; fi; }

# A hit copies (another build may evict the entry meanwhile: then this is a miss).
if cp "$cached" "$object.tmp.$$" 2>/dev/null; then
  mv "$object.tmp.$$" "$object"
  touch "$cached" 2>/dev/null || true
  log hit
  exit 0
fi
rm -f "$object.tmp.$$"

"$@" -c -o "$object.tmp.$$" -x cpp-output "$preprocessed"
mv "$object.tmp.$$" "$object"
log miss
cp "$object" "$cached.tmp.$$" && mv "$cached.tmp.$$" "$cached"

# Bound the cache: oldest objects (by last use) go first until it is at most 90% of the limit.
limit_kb=$(( ${RECOMP_CACHE_MAX_MB:-2048} * 1024 ))
used_kb=$(du -sk "$objects" | cut -f1)
if [ "$used_kb" -gt "$limit_kb" ]; then
  target_kb=$(( limit_kb * 9 / 10 ))
  # shellcheck disable=SC2012 # names are hex digests: ls -tr is safe and portable here
  for old in $(ls -tr "$objects" | grep '\.o$'); do
    [ "$used_kb" -le "$target_kb" ] && break
    size_kb=$(du -k "$objects/$old" | cut -f1)
    rm -f "$objects/$old"
    used_kb=$(( used_kb - size_kb ))
  done
fi
