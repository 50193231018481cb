/* finalize: host info and finalizers. Many instances get host info with a finalizer and are
 * deleted at once; the finalizers run, each once, when their store goes. Host info belongs
 * to the object, so other handles (copies, exports) see it. Traps and modules finalize when
 * their last handle goes; a host function's environment with its store. */
#include "wasm_test_util.h"

enum { ROUNDS = 1000 };

static int live = 0;
static int finalized_sum = 0;

static void finalize(void* data) {
  int i = (int)(intptr_t)data;
  if (i % (ROUNDS / 4) == 0) printf("finalizing #%d\n", i);
  finalized_sum += i;
  live--;
}

static void run_in_store(wasm_store_t* store, int base) {
  wasm_module_t* module = load_module(store, "finalize.wasm");
  for (int i = 0; i < ROUNDS; i++) {
    wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
    CHECK(instance != NULL);
    wasm_instance_set_host_info_with_finalizer(instance, (void*)(intptr_t)(base + i), finalize);
    CHECK(wasm_instance_get_host_info(instance) == (void*)(intptr_t)(base + i));
    wasm_instance_delete(instance);
    live++;
  }
  wasm_module_delete(module);
}

static wasm_trap_t* nothing(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)env;
  (void)args;
  (void)results;
  return NULL;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store1 = wasm_store_new(engine);
  wasm_store_t* store2 = wasm_store_new(engine);

  run_in_store(store1, 0);
  run_in_store(store2, ROUNDS);
  printf("live after two runs: %d\n", live);
  wasm_store_delete(store2);
  printf("live after deleting store 2: %d\n", live);

  /* Host info is the object's: a copy and the same export obtained again both see it. */
  wasm_module_t* module = load_module(store1, "finalize.wasm");
  wasm_instance_t* instance = wasm_instance_new(store1, module, NULL, NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_func_set_host_info_with_finalizer(wasm_extern_as_func(exports.data[0]), (void*)(intptr_t)-1, finalize);
  wasm_global_set_host_info(wasm_extern_as_global(exports.data[1]), (void*)0x1234);
  live++;
  wasm_extern_vec_t again;
  wasm_instance_exports(instance, &again);
  CHECK(wasm_func_get_host_info(wasm_extern_as_func(again.data[0])) == (void*)(intptr_t)-1);
  CHECK(wasm_global_get_host_info(wasm_extern_as_global(again.data[1])) == (void*)0x1234);
  CHECK(wasm_extern_get_host_info(again.data[1]) == (void*)0x1234);
  CHECK(wasm_table_get_host_info(wasm_extern_as_table(again.data[2])) == NULL);
  wasm_ref_t* as_ref = wasm_global_as_ref(wasm_extern_as_global(again.data[1]));
  CHECK(wasm_ref_get_host_info(as_ref) == (void*)0x1234);
  wasm_extern_vec_delete(&again);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);

  /* Setting host info again replaces it (the previous finalizer does not run). */
  wasm_foreign_t* foreign = wasm_foreign_new(store1);
  wasm_foreign_set_host_info_with_finalizer(foreign, (void*)(intptr_t)-100, finalize);
  wasm_foreign_set_host_info_with_finalizer(foreign, (void*)(intptr_t)-2, finalize);
  live++;
  wasm_foreign_t* foreign_copy = wasm_foreign_copy(foreign);
  CHECK(wasm_foreign_get_host_info(foreign_copy) == (void*)(intptr_t)-2);
  wasm_foreign_delete(foreign);
  wasm_foreign_delete(foreign_copy);

  /* A function's environment is finalized with its store. */
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* func = wasm_func_new_with_env(store1, type, nothing, (void*)(intptr_t)-3, finalize);
  wasm_functype_delete(type);
  live++;
  wasm_func_delete(func);

  /* A trap and a module are finalized with their last handle. */
  wasm_message_t message;
  wasm_name_new_from_string(&message, "finalized");
  wasm_trap_t* trap = wasm_trap_new(store1, &message);
  wasm_name_delete(&message);
  wasm_trap_set_host_info_with_finalizer(trap, (void*)(intptr_t)-4, finalize);
  live++;
  wasm_trap_t* trap_copy = wasm_trap_copy(trap);
  wasm_trap_delete(trap);
  CHECK(wasm_trap_get_host_info(trap_copy) == (void*)(intptr_t)-4);
  int before = live;
  wasm_trap_delete(trap_copy);
  printf("trap finalized with its last handle: %s\n", live == before - 1 ? "yes" : "no");
  wasm_module_set_host_info_with_finalizer(module, (void*)(intptr_t)-5, finalize);
  live++;
  wasm_module_delete(module);
  printf("module finalized with its last handle: %s\n", live == before - 1 ? "yes" : "no");

  printf("live before deleting store 1: %d\n", live);
  wasm_store_delete(store1);
  printf("live after deleting store 1: %d\n", live);
  CHECK(live == 0);
  CHECK(finalized_sum == (2 * ROUNDS) * (2 * ROUNDS - 1) / 2 - 1 - 2 - 3 - 4 - 5);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
