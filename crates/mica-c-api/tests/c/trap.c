/* trap: a trap made by a host function (wasm_trap_new, with the store as its environment)
 * and traps of wasm code: messages, origins and traces with function indices and offsets. */
#include "wasm_test_util.h"

static wasm_trap_t* fail(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  printf("host: failing\n");
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "the host says no");
  wasm_trap_t* trap = wasm_trap_new((wasm_store_t*)env, &message);
  wasm_name_delete(&message);
  return trap;
}

static void print_frame(const char* what, const wasm_frame_t* frame, const wasm_instance_t* expected) {
  /* The instance is printed as whether it is the module's instance: its address varies. */
  wasm_instance_t* instance = wasm_frame_instance(frame);
  printf("%s: func %" PRIu32 " at func offset 0x%zx, module offset 0x%zx, instance %s\n", what,
         wasm_frame_func_index(frame), wasm_frame_func_offset(frame), wasm_frame_module_offset(frame),
         instance == NULL ? "none" : wasm_instance_same(instance, expected) ? "ours" : "another");
}

static void report(wasm_trap_t* trap, const wasm_instance_t* instance) {
  CHECK(trap != NULL);
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("message: %s\n", message.data);
  wasm_name_delete(&message);
  wasm_frame_t* origin = wasm_trap_origin(trap);
  if (origin) {
    print_frame("origin", origin, instance);
    wasm_frame_t* copy = wasm_frame_copy(origin);
    CHECK(wasm_frame_func_index(copy) == wasm_frame_func_index(origin));
    wasm_frame_delete(copy);
    wasm_frame_delete(origin);
  } else {
    printf("origin: none\n");
  }
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  for (size_t i = 0; i < trace.size; i++) print_frame("  frame", trace.data[i], instance);
  wasm_frame_vec_delete(&trace);
  wasm_trap_delete(trap);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "trap.wasm");
  wasm_functype_t* v_i = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* fail_func = wasm_func_new_with_env(store, v_i, fail, store, NULL);
  wasm_functype_delete(v_i);
  wasm_extern_t* externs[] = {wasm_func_as_extern(fail_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(fail_func);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  for (size_t i = 0; i < 2; i++) {
    printf("calling export %zu\n", i);
    wasm_val_t rs[] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_EMPTY_VEC;
    wasm_val_vec_t results = WASM_ARRAY_VEC(rs);
    report(wasm_func_call(export_func(&exports, i), &args, &results), instance);
  }
  printf("calling divide(1, 0)\n");
  wasm_val_t as[] = {WASM_I32_VAL(1), WASM_I32_VAL(0)};
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  wasm_val_vec_t results = WASM_ARRAY_VEC(rs);
  report(wasm_func_call(export_func(&exports, 2), &args, &results), instance);

  /* A trap made by the host, never thrown: no frames. Copies are the same trap. */
  wasm_message_t message;
  wasm_name_new_from_string(&message, "made by hand");
  wasm_trap_t* trap = wasm_trap_new(store, &message);
  wasm_name_delete(&message);
  wasm_trap_t* copy = wasm_trap_copy(trap);
  CHECK(wasm_trap_same(trap, copy));
  wasm_trap_delete(copy);
  report(trap, instance);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
