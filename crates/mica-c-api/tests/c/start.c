/* start: a start function that traps makes instantiation fail with that trap (its message
 * and frames); one that returns runs before wasm_instance_new returns. */
#include "wasm_test_util.h"

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "start.wasm");

  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_trap_t* trap = (wasm_trap_t*)(uintptr_t)1; /* overwritten either way */
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance == NULL && trap != NULL);
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("instantiation trapped: %s\n", message.data);
  wasm_name_delete(&message);
  wasm_frame_t* origin = wasm_trap_origin(trap);
  CHECK(origin != NULL);
  printf("origin: func %" PRIu32 ", func offset 0x%zx, module offset 0x%zx, instance %s\n",
         wasm_frame_func_index(origin), wasm_frame_func_offset(origin), wasm_frame_module_offset(origin),
         wasm_frame_instance(origin) ? "known" : "none");
  wasm_frame_delete(origin);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  printf("trace: %zu frame(s)\n", trace.size);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
  /* Without a trap pointer the failure is just NULL. */
  CHECK(wasm_instance_new(store, module, &imports, NULL) == NULL);
  wasm_module_delete(module);

  module = load_module(store, "start_ok.wasm");
  instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t ran;
  wasm_global_get(wasm_extern_as_global(exports.data[0]), &ran);
  printf("start function ran: %" PRId32 "\n", ran.of.i32);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);

  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
