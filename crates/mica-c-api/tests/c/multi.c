/* multi: functions with several parameters and results, through a host function and from
 * C, and a function type built from vectors (wasm_valtype_vec_new and _copy). */
#include "wasm_test_util.h"

static wasm_trap_t* swap(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 4 && results->size == 4);
  printf("host: %" PRId32 " %" PRId64 " %" PRId64 " %" PRId32 "\n", args->data[0].of.i32, args->data[1].of.i64,
         args->data[2].of.i64, args->data[3].of.i32);
  wasm_val_copy(&results->data[0], &args->data[3]);
  wasm_val_copy(&results->data[1], &args->data[2]);
  wasm_val_copy(&results->data[2], &args->data[1]);
  wasm_val_copy(&results->data[3], &args->data[0]);
  return NULL;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "multi.wasm");

  wasm_valtype_t* types[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                              wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, 4, types);
  wasm_valtype_vec_copy(&results, &params);
  wasm_functype_t* type = wasm_functype_new(&params, &results);
  wasm_func_t* swap_func = wasm_func_new(store, type, swap);
  wasm_functype_delete(type);

  wasm_extern_t* externs[] = {wasm_func_as_extern(swap_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(swap_func);
  wasm_module_delete(module);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_instance_delete(instance);

  wasm_val_t as[4] = {WASM_I32_VAL(1), WASM_I64_VAL(INT64_C(2) << 33), WASM_I64_VAL(-3), WASM_I32_VAL(4)};
  wasm_val_t rs[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  wasm_val_vec_t res = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(export_func(&exports, 0), &args, &res) == NULL);
  CHECK(rs[0].kind == WASM_I32 && rs[1].kind == WASM_I64 && rs[2].kind == WASM_I64 && rs[3].kind == WASM_I32);
  printf("results: %" PRId32 " %" PRId64 " %" PRId64 " %" PRId32 "\n", rs[0].of.i32, rs[1].of.i64, rs[2].of.i64,
         rs[3].of.i32);

  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_val_vec_t two;
  wasm_val_vec_new_uninitialized(&two, 2);
  CHECK(wasm_func_call(export_func(&exports, 1), &none, &two) == NULL);
  CHECK(two.data[0].kind == WASM_F32 && two.data[1].kind == WASM_F64);
  printf("pair: %g %g\n", two.data[0].of.f32, two.data[1].of.f64);
  wasm_val_vec_t two_copy;
  wasm_val_vec_copy(&two_copy, &two);
  CHECK(two_copy.size == 2 && two_copy.data[1].of.f64 == -2.25);
  wasm_val_vec_delete(&two_copy);
  wasm_val_vec_delete(&two);

  wasm_extern_vec_delete(&exports);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
