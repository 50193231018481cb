/* hostref: foreign objects as anyref (externref) values through globals, tables and
 * functions, host info travelling with the object, ref_same, ref copies and conversions. */
#include "wasm_test_util.h"

static wasm_trap_t* echo(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  const wasm_ref_t* r = args->data[0].of.ref;
  printf("host echo: %s, host info 0x%" PRIxPTR "\n", r ? "a reference" : "null",
         (uintptr_t)(r ? wasm_ref_get_host_info(r) : NULL));
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_ref_t* call_r(const wasm_func_t* f, size_t n, wasm_val_t* args) {
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t argv = {n, args};
  wasm_val_vec_t resv = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(f, &argv, &resv) == NULL);
  CHECK(rs[0].kind == WASM_ANYREF);
  return rs[0].of.ref;
}

static void call_v(const wasm_func_t* f, size_t n, wasm_val_t* args) {
  wasm_val_vec_t argv = {n, args};
  wasm_val_vec_t resv = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(f, &argv, &resv) == NULL);
}

static int32_t call_i32_ref(const wasm_func_t* f, wasm_ref_t* r) {
  wasm_val_t as[] = {WASM_REF_VAL(r)};
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t argv = WASM_ARRAY_VEC(as);
  wasm_val_vec_t resv = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(f, &argv, &resv) == NULL);
  return rs[0].of.i32;
}

/* Takes `actual` over; checks it names the same object as `expected` (or both are null). */
static void expect(wasm_ref_t* actual, const wasm_ref_t* expected, const char* what) {
  bool ok = actual == expected || (actual && expected && wasm_ref_same(actual, expected));
  printf("%s: %s (host info 0x%" PRIxPTR ")\n", what, ok ? "ok" : "MISMATCH",
         (uintptr_t)(actual ? wasm_ref_get_host_info(actual) : NULL));
  CHECK(ok);
  wasm_ref_delete(actual);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "hostref.wasm");
  wasm_functype_t* r_r = wasm_functype_new_1_1(wasm_valtype_new_anyref(), wasm_valtype_new_anyref());
  wasm_func_t* echo_func = wasm_func_new(store, r_r, echo);
  wasm_functype_delete(r_r);
  wasm_extern_t* externs[] = {wasm_func_as_extern(echo_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(echo_func);
  wasm_module_delete(module);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_instance_delete(instance);
  wasm_global_t* global = wasm_extern_as_global(exports.data[0]);
  wasm_table_t* table = wasm_extern_as_table(exports.data[1]);
  wasm_func_t* global_set = export_func(&exports, 2);
  wasm_func_t* global_get = export_func(&exports, 3);
  wasm_func_t* table_set = export_func(&exports, 4);
  wasm_func_t* table_get = export_func(&exports, 5);
  wasm_func_t* echo_export = export_func(&exports, 6);
  wasm_func_t* is_null = export_func(&exports, 7);

  wasm_ref_t* host1 = wasm_foreign_as_ref(wasm_foreign_new(store));
  wasm_ref_t* host2 = wasm_foreign_as_ref(wasm_foreign_new(store));
  CHECK(host1 && host2 && !wasm_ref_same(host1, host2));
  wasm_ref_set_host_info(host1, (void*)0x11);
  wasm_ref_set_host_info(host2, (void*)0x22);
  CHECK(wasm_ref_as_foreign(host1) != NULL && wasm_ref_as_func(host1) == NULL);

  /* Copies and values. */
  wasm_val_t val = WASM_REF_VAL(wasm_ref_copy(host1));
  wasm_val_t val_copy;
  wasm_val_copy(&val_copy, &val);
  expect(wasm_ref_copy(val_copy.of.ref), host1, "value copy");
  wasm_val_delete(&val);
  wasm_val_delete(&val_copy);

  printf("global\n");
  expect(call_r(global_get, 0, NULL), NULL, "initially");
  wasm_val_t a1[] = {WASM_REF_VAL(host1)};
  call_v(global_set, 1, a1);
  expect(call_r(global_get, 0, NULL), host1, "set by wasm");
  wasm_val_t v2 = WASM_REF_VAL(host2);
  wasm_global_set(global, &v2);
  wasm_global_get(global, &val);
  CHECK(val.kind == WASM_ANYREF);
  expect(val.of.ref, host2, "set by the API");

  printf("table\n");
  wasm_val_t t0[] = {WASM_I32_VAL(0), WASM_REF_VAL(host1)};
  call_v(table_set, 2, t0);
  CHECK(wasm_table_set(table, 1, host2));
  wasm_val_t i0[] = {WASM_I32_VAL(0)};
  wasm_val_t i1[] = {WASM_I32_VAL(1)};
  expect(call_r(table_get, 1, i0), host1, "slot 0 by wasm");
  expect(wasm_table_get(table, 1), host2, "slot 1 by the API");
  expect(call_r(table_get, 1, i1), host2, "slot 1 by wasm");
  expect(wasm_table_get(table, 2), NULL, "slot 2");
  CHECK(wasm_table_grow(table, 2, host1));
  expect(wasm_table_get(table, 5), host1, "grown slot 5");

  printf("functions\n");
  wasm_val_t e1[] = {WASM_REF_VAL(host1)};
  expect(call_r(echo_export, 1, e1), host1, "echo host1");
  wasm_val_t e0[] = {WASM_REF_VAL(NULL)};
  expect(call_r(echo_export, 1, e0), NULL, "echo null");
  int32_t null_is_null = call_i32_ref(is_null, NULL);
  int32_t host_is_null = call_i32_ref(is_null, host2);
  printf("is_null(null) = %" PRId32 ", is_null(host2) = %" PRId32 "\n", null_is_null, host_is_null);

  /* A function reference is not an anyref. */
  wasm_val_t bad[] = {WASM_REF_VAL(wasm_func_as_ref(is_null))};
  wasm_val_vec_t badv = WASM_ARRAY_VEC(bad);
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t resv = WASM_ARRAY_VEC(rs);
  print_trap("function as anyref: ", wasm_func_call(is_null, &badv, &resv));

  wasm_ref_delete(host1);
  wasm_ref_delete(host2);
  wasm_extern_vec_delete(&exports);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
