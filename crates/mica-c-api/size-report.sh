#!/usr/bin/env bash
# Prints the code size (`size -A`'s .text, x86_64) of
#   - a C program embedding Mica through wasm.h with one host function and no WASI
#     (examples/host_function.c), linked with the C library built for size: the `size`
#     profile (opt-level z, fat LTO, one codegen unit, panic = abort) with no default
#     feature (no `std`, no `fast`, no `simd`). Fails if that is over 400 KB, if it does not
#     run its example, or if it runs a SIMD module;
#   - the same with the library's default features (std, fast, simd);
#   - the `mica` CLI with everything (WASI, the text format, spec scripts, SIMD) in the size
#     profile without `fast` (fails if that is over 1.5 MB), and in the release profile (the
#     default build);
#   - with a nightly toolchain that has `rust-src`, the two size builds again with the
#     standard library rebuilt for size (`-Zbuild-std`, `optimize_for_size`, panics that
#     abort at once).
# Then the code of the C program's and the CLI's size builds per crate.
#
# The size builds set an empty RUSTFLAGS: it replaces the repository's `.cargo/config.toml`
# flags, which align every function to 64 bytes for speed at 10 % of the code.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
text() { size -A "$1" | awk '$1 == ".text" { print $2 }'; }
kb() { echo "$(( $1 / 1000 )) KB"; }
example=crates/mica-c-api/examples/host_function.c
link() { cc -Os -Icrates/mica-c-api/include "$example" "$1" -Wl,--gc-sections -lpthread -ldl -lm -o "$2"; }
row() { printf '%-78s %s\n' "$1" "$2"; }

RUSTFLAGS= cargo build -q --profile size -p mica-c-api --no-default-features
link "$target/size/libmica.a" "$target/size/host_function_small"
RUSTFLAGS= cargo build -q --profile size -p mica-c-api
link "$target/size/libmica.a" "$target/size/host_function_std"
RUSTFLAGS= cargo build -q --profile size -p mica-cli --no-default-features
cp "$target/size/mica" "$target/size/mica-cli-size"
cargo build -q --release -p mica-cli

# The small build must run its example, and refuse a SIMD module that the default build runs
# (why it refuses is `mica`'s test `simd_is_left_out_with_a_clear_error`: the standard C API
# has no error message for a module it cannot create).
small="$target/size/host_function_small"
simd=crates/mica-c-api/tests/fixtures/simd.wasm
"$small" crates/mica-c-api/examples/host_function.wasm >/dev/null
"$target/size/host_function_std" "$simd" >/dev/null
if "$small" "$simd" 2>/dev/null; then
  echo "the size build ran a SIMD module" >&2
  exit 1
fi

small_text=$(text "$small")
row "C program + libmica (size profile, no std, no fast, no simd)" "$(kb "$small_text")"
row "C program + libmica (size profile, default features: std, fast, simd)" "$(kb "$(text "$target/size/host_function_std")")"
row "mica CLI, everything (size profile, no fast)" "$(kb "$(text "$target/size/mica-cli-size")")"
row "mica CLI, everything (release profile, default features)" "$(kb "$(text "$target/release/mica")")"

# The standard library rebuilt for size, where a nightly toolchain with its sources exists.
if cargo +nightly --version >/dev/null 2>&1 && [ -d "$(rustc +nightly --print sysroot)/lib/rustlib/src/rust/library" ]; then
  nightly_target=${CARGO_TARGET_DIR:-target}/nightly
  host=$(rustc -vV | sed -n 's/^host: //p')
  build_std() {
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" cargo +nightly build -q --profile size \
      -Zbuild-std=core,alloc,std,panic_abort -Zbuild-std-features=optimize_for_size \
      --target "$host" --target-dir "$nightly_target" "$@"
  }
  build_std -p mica-c-api --no-default-features
  link "$nightly_target/$host/size/libmica.a" "$nightly_target/host_function_small"
  "$nightly_target/host_function_small" crates/mica-c-api/examples/host_function.wasm >/dev/null
  build_std -p mica-cli --no-default-features
  row "C program + libmica (as above, nightly build-std)" "$(kb "$(text "$nightly_target/host_function_small")")"
  row "mica CLI, everything (as above, nightly build-std)" "$(kb "$(text "$nightly_target/$host/size/mica")")"
else
  echo "(no nightly toolchain with rust-src: the build-std figures are left out)"
fi

# Code per crate: each function's size (`nm`) added to the crate that names it (the first
# `name::` in its demangled name, so a generic instantiation counts for the crate of its
# outer type, as `cargo bloat --crates` counts it). The C API's library is named `mica` too:
# its modules (`mica::wasm`, `mica::wamr`, ...) and exported functions count as mica-c-api.
per_crate() {
  nm -C -S -t d --size-sort "$1" | awk '
    $3 ~ /^[tTwW]$/ {
      name = $0
      sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", name)
      crate = "(the C program, libc glue)"
      if (match(name, /[A-Za-z_][A-Za-z0-9_]*::/)) crate = substr(name, RSTART, RLENGTH - 2)
      else if (name ~ /^(wasm_|mica_)/) crate = "mica-c-api"
      if (crate == "mica" && name ~ /mica::(wasm|wamr|boundary|runtime)::/) crate = "mica-c-api"
      size[crate] += $2
    }
    END { for (c in size) printf "  %5d KB  %s\n", size[c] / 1000, c }' | sort -rn | head -"$2"
}
echo "-- the C program's code per crate (size build)"
per_crate "$small" 10
echo "-- the CLI's code per crate (size profile, no fast)"
per_crate "$target/size/mica-cli-size" 14

# Peak resident memory of `mica run` on an empty C program (`tests/fixtures/empty.c`, wasi-libc
# start-up and an empty main), against the wasmi CLI's
# (`cargo install wasmi_cli`) where one is on the PATH: both binaries read whole into the page
# cache first (what the kernel maps around a page fault depends on what is cached), then 41
# runs each, interleaved; the medians of /usr/bin/time's maximum resident set size.
empty=crates/mica-c-api/tests/fixtures/empty.wasm
if command -v wasmi >/dev/null && [ -x /usr/bin/time ]; then
  cat "$target/release/mica" "$(command -v wasmi)" >/dev/null
  for _ in $(seq 41); do
    echo "mica $(/usr/bin/time -f %M "$target/release/mica" run "$empty" 2>&1 >/dev/null)"
    echo "wasmi $(/usr/bin/time -f %M wasmi "$empty" 2>&1 >/dev/null)"
  done >"$target/rss.txt"
  median() { awk -v b="$1" '$1 == b { print $2 }' "$target/rss.txt" | sort -n | sed -n 21p; }
  row "peak RSS, mica run empty.wasm (release) / wasmi CLI" "$(median mica) KB / $(median wasmi) KB"
else
  echo "(no wasmi CLI on the PATH, or no /usr/bin/time: peak RSS against wasmi left out)"
fi

if [ "$small_text" -gt 400000 ]; then
  echo "the C program with the size build of libmica has $small_text bytes of code: more than 400 KB" >&2
  exit 1
fi
cli_text=$(text "$target/size/mica-cli-size")
if [ "$cli_text" -gt 1500000 ]; then
  echo "the size build of the mica CLI has $cli_text bytes of code: more than 1.5 MB" >&2
  exit 1
fi
# No size build formats a decoded operator: `Operator`'s `Debug` is 20 KB of code, and one
# panic message naming an operator links all of it (`validate::check` says where it came in).
for build in "$small" "$target/size/mica-cli-size"; do
  if nm -C "$build" | grep -q 'wasmparser::readers::core::operators::Operator as core::fmt::Debug'; then
    echo "$build links wasmparser's Operator Debug (20 KB): something formats an operator" >&2
    exit 1
  fi
done
