#!/usr/bin/env bash
# Prints the code size (`size -A`'s .text, x86_64) of
#   - a C program embedding Mica through wasm.h with one host function and no WASI
#     (examples/host_function.c), linked with the C library built for size: the `size`
#     profile (opt-level z, fat LTO, one codegen unit, panic = abort) without `std` and
#     without fused instruction pairs (`--no-default-features`);
#   - the same with the library's default features (std, fused pairs), size profile;
#   - the `mica` CLI with everything (WASI, text format, spec scripts), size and release profiles.
# With `cargo bloat` installed (`cargo install cargo-bloat`), also the CLI's code per crate.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
text() { size -A "$1" | awk '$1 == ".text" { printf "%d KB", $2 / 1000 }'; }
example=crates/mica-c-api/examples/host_function.c

cargo build -q --profile size -p mica-c-api --no-default-features
cc -Os -Icrates/mica-c-api/include "$example" "$target/size/libmica.a" -Wl,--gc-sections -lpthread -ldl -lm \
  -o "$target/size/host_function_small"
cp "$target/size/libmica.a" "$target/size/libmica-small.a"
cargo build -q --profile size -p mica-c-api
cc -Os -Icrates/mica-c-api/include "$example" "$target/size/libmica.a" -Wl,--gc-sections -lpthread -ldl -lm \
  -o "$target/size/host_function_std"
cargo build -q --profile size -p mica-cli
cp "$target/size/mica" "$target/size/mica-cli-size"
cargo build -q --release -p mica-cli

# The small build must still run its example.
"$target/size/host_function_small" crates/mica-c-api/examples/host_function.wasm >/dev/null

printf '%-72s %s\n' "C program + libmica (size profile, no std, no fused pairs)" "$(text "$target/size/host_function_small")"
printf '%-72s %s\n' "C program + libmica (size profile, std, fused pairs)" "$(text "$target/size/host_function_std")"
printf '%-72s %s\n' "mica CLI (size profile)" "$(text "$target/size/mica-cli-size")"
printf '%-72s %s\n' "mica CLI (release profile)" "$(text "$target/release/mica")"
if command -v cargo-bloat >/dev/null; then
  echo "-- the CLI's code per crate (size profile)"
  cargo bloat -q --profile size -p mica-cli --crates -n 12 2>/dev/null | sed -n '2,16p'
fi
