#!/bin/sh
# Rebuilds the committed .wasm fixtures from their C sources. Needs clang, lld and wasi-libc:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
# The tests use the committed .wasm files, so CI needs none of this.
set -eu
cd "$(dirname "$0")"
for src in *.c; do
    clang --target=wasm32-wasi --sysroot=/usr -O2 -o "${src%.c}.wasm" "$src" -lm
done
