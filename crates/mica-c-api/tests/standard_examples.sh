#!/usr/bin/env bash
# Fetches the WebAssembly C API's example programs at the pinned commit (see
# standard_examples.rs), checks their SHA-256 against tests/standard/SHA256SUMS, compiles
# them unchanged (but for one bug the standard fixed later: UPSTREAM_FIXES there) against
# include/wasm.h and libmica.a, runs them and compares their output with
# tests/standard/<name>.expected.
#
#   tests/standard_examples.sh            check (CI)
#   tests/standard_examples.sh --record   pin the hashes and record missing outputs
#                                         (review the diff before committing)
#   MICA_STANDARD_EXAMPLES_DIR=dir ...    use local copies instead of the network
set -euo pipefail
cd "$(dirname "$0")/.."
mode=1
if [[ "${1:-}" == "--record" ]]; then mode=record; fi
MICA_STANDARD_EXAMPLES="$mode" exec cargo test -p mica-c-api --test standard_examples -- --nocapture
