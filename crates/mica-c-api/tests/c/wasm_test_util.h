/* Helpers shared by the wasm.h test programs: checks that exit on failure, and module
 * loading. Everything is static inline so that each program uses what it needs. */
#ifndef MICA_WASM_TEST_UTIL_H
#define MICA_WASM_TEST_UTIL_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm.h"

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      printf("FAILED: %s (%s:%d)\n", #cond, __FILE__, __LINE__);           \
      exit(1);                                                             \
    }                                                                      \
  } while (0)

/* Reads a file into a new byte vector (the caller deletes it). */
static inline void read_binary(const char* path, wasm_byte_vec_t* out) {
  FILE* file = fopen(path, "rb");
  CHECK(file != NULL);
  CHECK(fseek(file, 0L, SEEK_END) == 0);
  long size = ftell(file);
  CHECK(size > 0);
  CHECK(fseek(file, 0L, SEEK_SET) == 0);
  wasm_byte_vec_new_uninitialized(out, (size_t)size);
  CHECK(fread(out->data, (size_t)size, 1, file) == 1);
  fclose(file);
}

/* Compiles a module from a .wasm file (the caller deletes it). */
static inline wasm_module_t* load_module(wasm_store_t* store, const char* path) {
  wasm_byte_vec_t binary;
  read_binary(path, &binary);
  CHECK(wasm_module_validate(store, &binary));
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  return module;
}

/* Prints a trap's message (without its NUL) after a prefix, and deletes the trap. */
static inline void print_trap(const char* prefix, wasm_trap_t* trap) {
  CHECK(trap != NULL);
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  CHECK(message.size > 0 && message.data[message.size - 1] == '\0');
  printf("%s%s\n", prefix, message.data);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
}

/* The export at `i`, which must be a function. */
static inline wasm_func_t* export_func(const wasm_extern_vec_t* exports, size_t i) {
  CHECK(i < exports->size);
  wasm_func_t* f = wasm_extern_as_func(exports->data[i]);
  CHECK(f != NULL);
  return f;
}

/* Calls `f` with i32 arguments, expecting one i32 result. */
static inline int32_t call_i32(const wasm_func_t* f, size_t n, const int32_t* xs) {
  wasm_val_t args[4];
  CHECK(n <= 4);
  for (size_t i = 0; i < n; i++) {
    args[i].kind = WASM_I32;
    args[i].of.i32 = xs[i];
  }
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t argv = {n, args};
  wasm_val_vec_t resv = WASM_ARRAY_VEC(rs);
  wasm_trap_t* trap = wasm_func_call(f, &argv, &resv);
  if (trap) print_trap("unexpected trap: ", trap);
  CHECK(trap == NULL);
  CHECK(rs[0].kind == WASM_I32);
  return rs[0].of.i32;
}

#endif
