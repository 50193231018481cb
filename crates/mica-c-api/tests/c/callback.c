/* callback: host functions with and without an environment, values copied from arguments
 * to results, an environment finalizer, and a host function calling back into wasm. */
#include "wasm_test_util.h"

static int finalized = 0;
static const wasm_func_t* double_func = NULL;

static wasm_trap_t* print_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 1 && results->size == 1 && args->data[0].kind == WASM_I32);
  printf("print: %" PRId32 "\n", args->data[0].of.i32);
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_trap_t* closure_callback(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 0 && results->size == 1);
  int* counter = env;
  (*counter)++;
  printf("closure: call %d\n", *counter);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = 100 * *counter;
  return NULL;
}

static void finalize_counter(void* env) {
  int* counter = env;
  printf("finalizer: counter ended at %d\n", *counter);
  finalized++;
}

/* Called from wasm; calls wasm's "double" on the same store before returning. */
static wasm_trap_t* reenter_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  int32_t x = args->data[0].of.i32;
  int32_t doubled = call_i32(double_func, 1, &x);
  printf("reenter: double(%" PRId32 ") = %" PRId32 "\n", x, doubled);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = doubled;
  return NULL;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "callback.wasm");

  wasm_functype_t* i_i = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_functype_t* v_i = wasm_functype_new_0_1(wasm_valtype_new_i32());
  static int counter = 0;
  wasm_func_t* print = wasm_func_new(store, i_i, print_callback);
  wasm_func_t* closure = wasm_func_new_with_env(store, v_i, closure_callback, &counter, finalize_counter);
  wasm_func_t* reenter = wasm_func_new(store, i_i, reenter_callback);
  CHECK(print && closure && reenter);
  CHECK(wasm_func_param_arity(print) == 1 && wasm_func_result_arity(print) == 1);
  CHECK(wasm_func_param_arity(closure) == 0 && wasm_func_result_arity(closure) == 1);
  wasm_functype_t* got = wasm_func_type(closure);
  CHECK(wasm_functype_params(got)->size == 0 && wasm_functype_results(got)->size == 1);
  CHECK(wasm_valtype_kind(wasm_functype_results(got)->data[0]) == WASM_I32);
  wasm_functype_delete(got);
  wasm_functype_delete(i_i);
  wasm_functype_delete(v_i);

  wasm_extern_t* externs[] = {wasm_func_as_extern(print), wasm_func_as_extern(closure), wasm_func_as_extern(reenter)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_func_delete(print);
  wasm_func_delete(closure);
  wasm_func_delete(reenter);
  wasm_module_delete(module);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 3);
  wasm_func_t* run = export_func(&exports, 0);
  double_func = export_func(&exports, 1);
  wasm_func_t* nested = export_func(&exports, 2);
  wasm_instance_delete(instance);

  int32_t xs[2] = {3, 4};
  printf("run(3, 4) = %" PRId32 "\n", call_i32(run, 2, xs));
  printf("run(3, 4) = %" PRId32 "\n", call_i32(run, 2, xs));
  int32_t n = 20;
  printf("nested(20) = %" PRId32 "\n", call_i32(nested, 1, &n));

  wasm_extern_vec_delete(&exports);
  CHECK(finalized == 0);
  wasm_store_delete(store);
  CHECK(finalized == 1);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
