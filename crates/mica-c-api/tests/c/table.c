/* table: a funcref table read, written and grown from C, wasm functions and host functions
 * as its elements, calls through it, and a table made by the host. */
#include "wasm_test_util.h"

static wasm_trap_t* negate(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = -args->data[0].of.i32;
  return NULL;
}

static bool is_set(const wasm_table_t* table, uint32_t i) {
  wasm_ref_t* r = wasm_table_get(table, i);
  wasm_ref_delete(r);
  return r != NULL;
}

static void try_call(const wasm_func_t* call_indirect, int32_t x, int32_t slot) {
  wasm_val_t as[] = {WASM_I32_VAL(x), WASM_I32_VAL(slot)};
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  wasm_val_vec_t results = WASM_ARRAY_VEC(rs);
  wasm_trap_t* trap = wasm_func_call(call_indirect, &args, &results);
  if (trap) {
    printf("slot %" PRId32 ": ", slot);
    print_trap("trap: ", trap);
  } else {
    printf("slot %" PRId32 ": f(%" PRId32 ") = %" PRId32 "\n", slot, x, rs[0].of.i32);
  }
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "table.wasm");
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_table_t* table = wasm_extern_as_table(exports.data[0]);
  CHECK(table != NULL);
  wasm_func_t* call_indirect = export_func(&exports, 1);
  wasm_func_t* inc = export_func(&exports, 2);
  wasm_func_t* square = export_func(&exports, 3);

  wasm_functype_t* i_i = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* neg = wasm_func_new(store, i_i, negate);
  wasm_functype_delete(i_i);

  printf("size %" PRIu32 "; slot 0 set: %d; slot 1 set: %d\n", wasm_table_size(table), is_set(table, 0),
         is_set(table, 1));
  try_call(call_indirect, 5, 0);
  try_call(call_indirect, 5, 1);
  try_call(call_indirect, 5, 2);

  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(square)));
  CHECK(wasm_table_set(table, 1, NULL));
  CHECK(!wasm_table_set(table, 2, wasm_func_as_ref(inc)));
  try_call(call_indirect, 5, 0);
  try_call(call_indirect, 5, 1);

  /* The element read back is the same function. */
  wasm_ref_t* r = wasm_table_get(table, 0);
  CHECK(r != NULL && wasm_ref_as_func(r) != NULL);
  CHECK(wasm_func_same(wasm_ref_as_func(r), square));
  wasm_ref_delete(r);

  CHECK(wasm_table_grow(table, 3, wasm_func_as_ref(neg)));
  printf("grown to %" PRIu32 "\n", wasm_table_size(table));
  try_call(call_indirect, 5, 4);
  CHECK(!wasm_table_grow(table, 6, NULL));
  CHECK(wasm_table_grow(table, 0, NULL));

  wasm_tabletype_t* tt = wasm_table_type(table);
  printf("element %s, limits %" PRIu32 "..%" PRIu32 "\n",
         wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF ? "funcref" : "?",
         wasm_tabletype_limits(tt)->min, wasm_tabletype_limits(tt)->max);
  wasm_tabletype_delete(tt);

  wasm_table_t* copy = wasm_table_copy(table);
  CHECK(wasm_table_same(copy, table));
  wasm_table_delete(copy);

  wasm_limits_t limits = {3, wasm_limits_max_default};
  wasm_tabletype_t* type = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t* own_table = wasm_table_new(store, type, wasm_func_as_ref(inc));
  wasm_tabletype_delete(type);
  CHECK(own_table != NULL);
  printf("host table: size %" PRIu32 ", slot 2 set: %d\n", wasm_table_size(own_table), is_set(own_table, 2));
  CHECK(wasm_table_grow(own_table, 100, NULL));
  printf("host table grown to %" PRIu32 "\n", wasm_table_size(own_table));
  wasm_table_delete(own_table);

  wasm_func_delete(neg);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
