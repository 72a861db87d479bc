#!/bin/sh
# runtime/build: compiles one C file through a content-addressed object cache shared by every build on this machine.
# Usage (from the Makefile):
#   sh runtime/build/objcache.sh --base <compiler> <project headers...> -- <project sources...>
#     prints the key base, once per build: the compiler's identity (`--version`, target), CPATH and
#     C_INCLUDE_PATH, the names and contents of the project's headers, and the contents of the system
#     headers the project includes (a libc update changes them without changing the compiler);
#   sh runtime/build/objcache.sh <base> <object> <source> <compiler and flags...>
#     compiles <source> into <object>. The key is the SHA-256 of the base and the flags, with the SHA-256 of
#     the source's bytes: one process per unit besides the compiler on a miss, and no preprocessing (every
#     header the source can include is in the base). A hit copies the object; a miss compiles and stores it.
# Cache folder: $RECOMP_CACHE_DIR, else $XDG_CACHE_HOME/recomp, else ~/.cache/recomp; objects/ in it is
# kept under $RECOMP_CACHE_MAX_MB megabytes (default 2048) by removing the least recently used objects.
# RECOMP_CACHE_DIR=off compiles without the cache. RECOMP_CACHE_LOG=<file> appends "hit|miss <source>".
set -eu

if [ "$1" = --base ]; then
  compiler=$2
  shift 2
  headers=
  while [ "$#" -gt 0 ] && [ "$1" != -- ]; do headers="$headers $1"; shift; done
  [ "$#" -gt 0 ] && shift
  # shellcheck disable=SC2086 # project file names: recomp's own, without spaces
  {
    printf 'recomp objcache 2\n%s\n%s\n' "${CPATH:-}" "${C_INCLUDE_PATH:-}"
    "$compiler" --version 2>&1
    "$compiler" -dumpmachine 2>&1 || true
    if [ -n "$headers" ]; then sha256sum $headers; fi
    # Every <...> include of the project, listed by the compiler (-MG: one it lacks is a name, not an error).
    cat $headers "$@" /dev/null | grep -h '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' | sort -u |
      "$compiler" -M -MG -x c - 2>/dev/null | tr ' \\' '\n\n' | grep '^/.*\.h$' | sort -u | xargs sha256sum 2>/dev/null || true
  } | sha256sum | cut -c1-64
  exit 0
fi

base=$1
object=$2
source=$3
shift 3
case $base in
  *[!0-9a-f]* | "") echo "objcache: '$base' is not a key base (the Makefile's OBJCACHE_BASE: sh $0 --base failed)" >&2; exit 2 ;;
esac

# The object appears only complete (compiled to a temporary, then renamed): a build killed midway leaves no
# truncated object newer than its source. Temporaries such a build left for this object are removed first.
compile() { "$@" -c -o "$object.tmp.$$" "$source" && mv "$object.tmp.$$" "$object"; }
for leftover in "$object".tmp.*; do
  if [ -e "$leftover" ]; then rm -f -- "$object".tmp.*; fi
  break
done

if [ "${RECOMP_CACHE_DIR:-}" = off ]; then compile "$@"; exit 0; fi
if [ -n "${RECOMP_CACHE_DIR:-}" ]; then root=$RECOMP_CACHE_DIR
elif [ -n "${XDG_CACHE_HOME:-}" ]; then root=$XDG_CACHE_HOME/recomp
else root=${HOME:?set HOME or RECOMP_CACHE_DIR}/.cache/recomp
fi
objects=$root/objects
[ -d "$objects" ] || mkdir -p "$objects"

# Two digests from one sha256sum: of the base and flags (stdin), and of the source's bytes.
digests=$(printf '%s\n' "$base" "$@" | sha256sum - "$source")
flags_digest=${digests%%[!0-9a-f]*}
source_digest=${digests#*"
"}
source_digest=${source_digest%%[!0-9a-f]*}
if [ ${#flags_digest} -ne 64 ] || [ ${#source_digest} -ne 64 ]; then
  echo "objcache: cannot hash $source" >&2
  exit 2
fi
cached=$objects/$flags_digest$source_digest.o

log() { if [ -n "${RECOMP_CACHE_LOG:-}" ]; then printf '%s %s\n' "$1" "$source" >> "$RECOMP_CACHE_LOG"; fi; }

# A hit copies (another build may evict the entry meanwhile: then this is a miss).
if cp "$cached" "$object.tmp.$$" 2>/dev/null; then
  mv "$object.tmp.$$" "$object"
  touch "$cached" 2>/dev/null || true
  log hit
  exit 0
fi
if [ -e "$object.tmp.$$" ]; then rm -f "$object.tmp.$$"; fi

compile "$@"
log miss
cp "$object" "$cached.tmp.$$" && mv "$cached.tmp.$$" "$cached"

# Bound the cache: oldest objects (by last use) go first until it is at most 90% of the limit.
limit_kb=$(( ${RECOMP_CACHE_MAX_MB:-2048} * 1024 ))
# Another build's temporaries may vanish while du walks the folder: its complaint is no failure of this compile.
used_kb=$(du -sk "$objects" 2>/dev/null || true)
used_kb=${used_kb%%[!0-9]*}
used_kb=${used_kb:-0}
if [ "$used_kb" -gt "$limit_kb" ]; then
  target_kb=$(( limit_kb * 9 / 10 ))
  # shellcheck disable=SC2012 # names are hex digests: ls -tr is safe and portable here
  for old in $(ls -tr "$objects" | grep '\.o$'); do
    [ "$used_kb" -le "$target_kb" ] && break
    size_kb=$(du -k "$objects/$old" 2>/dev/null | cut -f1)
    rm -f "$objects/$old"
    used_kb=$(( used_kb - ${size_kb:-0} ))
  done
fi
