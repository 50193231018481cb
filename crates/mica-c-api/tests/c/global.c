/* global: host globals as imports, exported globals, reads and writes through the API and
 * through wasm, types and mutability, copies. */
#include "wasm_test_util.h"

static wasm_val_t get(const wasm_global_t* g) {
  wasm_val_t v;
  wasm_global_get(g, &v);
  return v;
}

static wasm_val_t call0(const wasm_func_t* f) {
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC;
  wasm_val_vec_t results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return rs[0];
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "global.wasm");

  wasm_globaltype_t* const_i32 = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_globaltype_t* var_f32 = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_VAR);
  wasm_globaltype_t* var_i64 = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  CHECK(wasm_globaltype_mutability(const_i32) == WASM_CONST);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(var_f32)) == WASM_F32);
  wasm_val_t seven = WASM_I32_VAL(7);
  wasm_val_t half = WASM_F32_VAL(0.5f);
  wasm_val_t big = WASM_I64_VAL(INT64_C(1) << 40);
  wasm_global_t* g_const = wasm_global_new(store, const_i32, &seven);
  wasm_global_t* g_f32 = wasm_global_new(store, var_f32, &half);
  wasm_global_t* g_i64 = wasm_global_new(store, var_i64, &big);
  CHECK(g_const && g_f32 && g_i64);
  /* A value of the wrong kind makes no global. */
  CHECK(wasm_global_new(store, var_f32, &seven) == NULL);
  wasm_globaltype_delete(const_i32);
  wasm_globaltype_delete(var_f32);
  wasm_globaltype_delete(var_i64);

  wasm_extern_t* externs[] = {wasm_global_as_extern(g_const), wasm_global_as_extern(g_f32),
                              wasm_global_as_extern(g_i64)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_module_delete(module);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_instance_delete(instance);
  CHECK(exports.size == 7);
  wasm_global_t* e_f64 = wasm_extern_as_global(exports.data[0]);
  wasm_global_t* e_counter = wasm_extern_as_global(exports.data[1]);
  CHECK(e_f64 && e_counter);
  wasm_func_t* get_const = export_func(&exports, 2);
  wasm_func_t* get_f32 = export_func(&exports, 3);
  wasm_func_t* set_f32 = export_func(&exports, 4);
  wasm_func_t* get_i64 = export_func(&exports, 5);
  wasm_func_t* bump = export_func(&exports, 6);

  printf("const i32 import: %" PRId32 " (wasm sees %" PRId32 ")\n", get(g_const).of.i32, call0(get_const).of.i32);
  printf("var f32 import: %g (wasm sees %g)\n", get(g_f32).of.f32, call0(get_f32).of.f32);
  printf("var i64 import: %" PRId64 " (wasm sees %" PRId64 ")\n", get(g_i64).of.i64, call0(get_i64).of.i64);
  printf("const f64 export: %g\n", get(e_f64).of.f64);

  /* Writes through the API are seen by wasm, and the other way round. */
  wasm_val_t quarter = WASM_F32_VAL(0.25f);
  wasm_global_set(g_f32, &quarter);
  printf("after set: wasm sees %g\n", call0(get_f32).of.f32);
  wasm_val_t args1[] = {WASM_F32_VAL(8.0f)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(args1);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(set_f32, &args, &none) == NULL);
  printf("after wasm set: API sees %g\n", get(g_f32).of.f32);
  int32_t first = call0(bump).of.i32;
  int32_t second = call0(bump).of.i32;
  printf("bump: %" PRId32 ", %" PRId32 "; counter %" PRId32 "\n", first, second, get(e_counter).of.i32);

  /* Immutable globals and wrong kinds are not written. */
  wasm_val_t eight = WASM_I32_VAL(8);
  wasm_global_set(g_const, &eight);
  wasm_global_set(e_counter, &half);
  printf("unchanged: %" PRId32 ", %" PRId32 "\n", get(g_const).of.i32, get(e_counter).of.i32);

  /* Types and copies. */
  wasm_globaltype_t* t = wasm_global_type(e_counter);
  printf("counter type: %s %s\n", wasm_globaltype_mutability(t) == WASM_VAR ? "var" : "const",
         wasm_valtype_kind(wasm_globaltype_content(t)) == WASM_I32 ? "i32" : "?");
  wasm_globaltype_delete(t);
  wasm_global_t* copy = wasm_global_copy(g_f32);
  CHECK(wasm_global_same(copy, g_f32) && !wasm_global_same(copy, g_i64));
  wasm_global_delete(copy);

  wasm_global_delete(g_const);
  wasm_global_delete(g_f32);
  wasm_global_delete(g_i64);
  wasm_extern_vec_delete(&exports);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
