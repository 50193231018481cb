/* memory: an exported memory's bytes, size and growth seen from C and from wasm, out of
 * bounds accesses trapping, and a memory made by the host. */
#include "wasm_test_util.h"

static bool traps(const wasm_func_t* f, size_t n, wasm_val_t* args, size_t nresults) {
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t argv = {n, args};
  wasm_val_vec_t resv = {nresults, rs};
  wasm_trap_t* trap = wasm_func_call(f, &argv, &resv);
  if (!trap) return false;
  print_trap("trap: ", trap);
  return true;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "memory.wasm");
  wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
  CHECK(memory != NULL);
  wasm_func_t* size = export_func(&exports, 1);
  wasm_func_t* load = export_func(&exports, 2);
  wasm_func_t* store_fn = export_func(&exports, 3);

  printf("pages %" PRIu32 ", bytes 0x%zx, wasm size %" PRId32 "\n", wasm_memory_size(memory),
         wasm_memory_data_size(memory), call_i32(size, 0, NULL));
  printf("data at 0x100: %.4s\n", wasm_memory_data(memory) + 0x100);

  wasm_memory_data(memory)[0x200] = 42;
  int32_t at = 0x200;
  printf("wasm reads what C wrote: %" PRId32 "\n", call_i32(load, 1, &at));
  wasm_val_t st[] = {WASM_I32_VAL(0x201), WASM_I32_VAL(99)};
  wasm_val_vec_t st_args = WASM_ARRAY_VEC(st);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(store_fn, &st_args, &none) == NULL);
  printf("C reads what wasm wrote: %d\n", wasm_memory_data(memory)[0x201]);

  wasm_val_t past[] = {WASM_I32_VAL(0x20000)};
  CHECK(traps(load, 1, past, 1));

  CHECK(wasm_memory_grow(memory, 1));
  printf("grown: pages %" PRIu32 ", bytes 0x%zx\n", wasm_memory_size(memory), wasm_memory_data_size(memory));
  CHECK(!traps(load, 1, past, 1));
  CHECK(!wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_grow(memory, 0));

  wasm_memorytype_t* type = wasm_memory_type(memory);
  const wasm_limits_t* limits = wasm_memorytype_limits(type);
  printf("type: min %" PRIu32 " max %" PRIu32 "\n", limits->min, limits->max);
  wasm_memorytype_delete(type);
  wasm_externtype_t* now = wasm_extern_type(exports.data[0]);
  printf("extern type now: min %" PRIu32 "\n", wasm_memorytype_limits(wasm_externtype_as_memorytype(now))->min);
  wasm_externtype_delete(now);

  wasm_memory_t* copy = wasm_memory_copy(memory);
  CHECK(wasm_memory_same(copy, memory));
  wasm_memory_delete(copy);

  wasm_limits_t one_to_two = {1, 2};
  wasm_memorytype_t* mt = wasm_memorytype_new(&one_to_two);
  wasm_memory_t* own_memory = wasm_memory_new(store, mt);
  wasm_memorytype_delete(mt);
  CHECK(own_memory != NULL);
  wasm_memory_data(own_memory)[65535] = 1;
  printf("host memory: pages %" PRIu32 "\n", wasm_memory_size(own_memory));
  CHECK(wasm_memory_grow(own_memory, 1));
  CHECK(!wasm_memory_grow(own_memory, 1));
  printf("host memory grown to its maximum: pages %" PRIu32 "\n", wasm_memory_size(own_memory));
  wasm_memory_delete(own_memory);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
