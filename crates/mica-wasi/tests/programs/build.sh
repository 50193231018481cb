#!/bin/sh
# Rebuilds the committed .wasm fixtures from their sources: the C programs against wasi-libc, the
# Rust programs (*.rs) with std for wasm32-wasip1. Needs clang, lld, wasi-libc and the Rust target:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
#   rustup target add wasm32-wasip1
# The tests use the committed .wasm files, so CI needs none of this.
set -eu
cd "$(dirname "$0")"
for src in *.c; do
    clang --target=wasm32-wasi --sysroot=/usr -O2 -o "${src%.c}.wasm" "$src" -lm
done
for src in *.rs; do
    rustc --edition 2024 --target wasm32-wasip1 -O -C strip=debuginfo -o "${src%.rs}.wasm" "$src"
done
