/* misuse: wrong arguments to many entry points give error values (NULL, false, 0, a trap),
 * never a crash, a sanitizer report or a leak; traps from callbacks cross two levels of
 * nesting; objects outlive their store's handle. */
#include "wasm_test_util.h"

static wasm_store_t* the_store = NULL;
static const wasm_func_t* inner_func = NULL;

/* Called by wasm ("run outer"); calls "inner" (wasm), whose host import traps. The trap
 * comes back from wasm_func_call and is returned as this callback's own. */
static wasm_trap_t* outer_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_val_vec_t resv = WASM_ARRAY_VEC(rs);
  wasm_trap_t* trap = wasm_func_call(inner_func, &none, &resv);
  CHECK(trap != NULL);
  printf("outer callback got a trap from inner; returning it\n");
  return trap;
}

static wasm_trap_t* fail_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  wasm_message_t message;
  wasm_name_new_from_string(&message, "deep failure");
  wasm_trap_t* trap = wasm_trap_new(the_store, &message);
  wasm_name_delete(&message);
  return trap;
}

static wasm_trap_t* wrong_result(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  results->data[0].kind = WASM_F64;
  results->data[0].of.f64 = 1.0;
  return NULL;
}

static wasm_trap_t* not_a_trap(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  return (wasm_trap_t*)wasm_foreign_new((wasm_store_t*)env);
}

static void expect_trap(const char* what, wasm_trap_t* trap) {
  printf("%s: ", what);
  print_trap("", trap);
}

static wasm_trap_t* call(const wasm_func_t* f, size_t nargs, wasm_val_t* args, size_t nresults) {
  wasm_val_t rs[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t argv = {nargs, args};
  wasm_val_vec_t resv = {nresults, rs};
  return wasm_func_call(f, &argv, &resv);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_store_t* other = wasm_store_new(engine);
  the_store = store;

  printf("-- null and invalid arguments\n");
  CHECK(wasm_store_new(NULL) == NULL);
  CHECK(wasm_engine_new_with_config(NULL) == NULL);
  wasm_byte_vec_t binary;
  read_binary("misuse.wasm", &binary);
  wasm_byte_vec_t broken = {16, NULL};
  wasm_byte_vec_t garbage;
  wasm_byte_vec_new(&garbage, 4, "\0asm");
  CHECK(wasm_module_new(NULL, &binary) == NULL);
  CHECK(wasm_module_new(store, NULL) == NULL);
  CHECK(wasm_module_new(store, &broken) == NULL);
  CHECK(wasm_module_new(store, &garbage) == NULL);
  CHECK(!wasm_module_validate(store, &garbage));
  CHECK(!wasm_module_validate(NULL, &binary));
  wasm_byte_vec_delete(&garbage);
  CHECK(wasm_valtype_new(7) == NULL);
  CHECK(wasm_valtype_kind(NULL) == MICA_WASM_OTHER);
  CHECK(wasm_functype_new(NULL, NULL) == NULL);
  wasm_valtype_vec_t bad_types = {1, NULL};
  wasm_valtype_vec_t no_types = WASM_EMPTY_VEC;
  CHECK(wasm_functype_new(&bad_types, &no_types) == NULL);
  wasm_limits_t backwards = {5, 1};
  CHECK(wasm_memorytype_new(&backwards) == NULL);
  CHECK(wasm_memorytype_new(NULL) == NULL);
  wasm_limits_t ok_limits = {1, 2};
  CHECK(wasm_tabletype_new(wasm_valtype_new_i32(), &ok_limits) == NULL); /* takes the valtype */
  CHECK(wasm_globaltype_new(NULL, WASM_CONST) == NULL);
  CHECK(wasm_functype_params(NULL) == NULL);
  CHECK(wasm_extern_as_func(NULL) == NULL);
  CHECK(wasm_ref_as_func(NULL) == NULL);
  CHECK(wasm_memory_data(NULL) == NULL && wasm_memory_size(NULL) == 0 && !wasm_memory_grow(NULL, 1));
  CHECK(wasm_table_get(NULL, 0) == NULL && !wasm_table_set(NULL, 0, NULL) && wasm_table_size(NULL) == 0);
  CHECK(wasm_trap_origin(NULL) == NULL);
  CHECK(wasm_foreign_new(NULL) == NULL);
  CHECK(wasm_func_param_arity(NULL) == 0 && wasm_func_type(NULL) == NULL);
  CHECK(!wasm_ref_same(NULL, NULL) && wasm_ref_get_host_info(NULL) == NULL);
  wasm_ref_set_host_info(NULL, (void*)1);
  wasm_message_t message;
  wasm_trap_message(NULL, &message);
  CHECK(message.size == 0 && message.data == NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(NULL, &exports);
  CHECK(exports.size == 0);
  wasm_val_t val;
  wasm_global_get(NULL, &val);
  CHECK(val.kind == WASM_ANYREF && val.of.ref == NULL);
  wasm_global_set(NULL, &val);
  wasm_val_delete(NULL);
  wasm_module_imports(NULL, NULL);
  wasm_byte_vec_new_empty(NULL);
  wasm_byte_vec_delete(NULL);
  wasm_func_delete(NULL);
  wasm_module_delete(NULL);
  wasm_store_delete(NULL);
  wasm_engine_delete(NULL);
  wasm_trap_delete(NULL);
  wasm_frame_delete(NULL);
  wasm_valtype_delete(NULL);
  wasm_functype_delete(NULL);
  wasm_shared_module_delete(NULL);
  CHECK(wasm_module_share(NULL) == NULL && wasm_module_obtain(store, NULL) == NULL);
  expect_trap("call of a null function", wasm_func_call(NULL, NULL, NULL));
  printf("ok\n");

  printf("-- instantiation\n");
  wasm_module_t* module = wasm_module_new(store, &binary);
  CHECK(module != NULL);
  wasm_byte_vec_delete(&binary);
  wasm_trap_t* trap = NULL;
  CHECK(wasm_instance_new(store, module, NULL, &trap) == NULL);
  expect_trap("no imports", trap);
  wasm_functype_t* i_i = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* outer = wasm_func_new(store, i_i, outer_callback);
  wasm_func_t* outer_elsewhere = wasm_func_new(other, i_i, outer_callback);
  wasm_func_t* wrong = wasm_func_new(store, i_i, wrong_result);
  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t one = WASM_I32_VAL(1);
  wasm_global_t* g = wasm_global_new(store, gt, &one);
  CHECK(wasm_global_new(store, gt, NULL) == NULL);
  wasm_globaltype_delete(gt);

  wasm_extern_t* from_other[] = {wasm_func_as_extern(outer_elsewhere), wasm_global_as_extern(g)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(from_other);
  CHECK(wasm_instance_new(store, module, &imports, &trap) == NULL);
  expect_trap("an import of another store", trap);
  wasm_extern_t* swapped[] = {wasm_global_as_extern(g), wasm_func_as_extern(outer)};
  imports = (wasm_extern_vec_t)WASM_ARRAY_VEC(swapped);
  CHECK(wasm_instance_new(store, module, &imports, &trap) == NULL);
  expect_trap("imports in the wrong order", trap);
  wasm_extern_t* with_null[] = {wasm_func_as_extern(outer), NULL};
  imports = (wasm_extern_vec_t)WASM_ARRAY_VEC(with_null);
  CHECK(wasm_instance_new(store, module, &imports, &trap) == NULL);
  expect_trap("a null import", trap);
  wasm_extern_vec_t no_data = {2, NULL};
  CHECK(wasm_instance_new(store, module, &no_data, &trap) == NULL);
  expect_trap("imports with no data", trap);
  CHECK(wasm_instance_new(NULL, module, NULL, &trap) == NULL);
  expect_trap("no store", trap);

  wasm_extern_t* good[] = {wasm_func_as_extern(outer), wasm_global_as_extern(g)};
  imports = (wasm_extern_vec_t)WASM_ARRAY_VEC(good);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_instance_exports(instance, &exports);
  wasm_func_t* add = export_func(&exports, 0);
  wasm_func_t* run_outer = export_func(&exports, 1);
  wasm_func_t* vec_func = export_func(&exports, 2);
  wasm_table_t* table = wasm_extern_as_table(exports.data[3]);
  printf("ok\n");

  printf("-- calls\n");
  wasm_val_t two_i32[] = {WASM_I32_VAL(1), WASM_I32_VAL(2)};
  wasm_val_t i32_f32[] = {WASM_I32_VAL(1), WASM_F32_VAL(2)};
  expect_trap("too few arguments", call(add, 1, two_i32, 1));
  expect_trap("too many results", call(add, 2, two_i32, 2));
  expect_trap("no room for results", call(add, 2, two_i32, 0));
  expect_trap("an argument of the wrong kind", call(add, 2, i32_f32, 1));
  wasm_val_vec_t args_no_data = {2, NULL};
  expect_trap("arguments with no data", wasm_func_call(add, &args_no_data, NULL));
  wasm_val_t v128_arg[] = {WASM_I64_VAL(0)};
  expect_trap("a v128 parameter", call(vec_func, 1, v128_arg, 1));
  expect_trap("a host result of the wrong kind", call(wrong, 1, two_i32, 1));
  wasm_functype_t* v_i = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* bogus = wasm_func_new_with_env(store, v_i, not_a_trap, store, NULL);
  expect_trap("a callback returning a foreign object as its trap", call(bogus, 0, NULL, 1));
  wasm_func_delete(bogus);
  wasm_functype_t* vec_type = wasm_func_type(vec_func);
  CHECK(wasm_valtype_kind(wasm_functype_params(vec_type)->data[0]) == MICA_WASM_OTHER);
  CHECK(wasm_func_new(store, vec_type, wrong_result) == NULL);
  wasm_functype_delete(vec_type);

  /* References of another store. */
  wasm_foreign_t* foreign_elsewhere = wasm_foreign_new(other);
  CHECK(!wasm_table_set(table, 0, wasm_func_as_ref(outer_elsewhere)));
  CHECK(!wasm_table_set(table, 0, wasm_foreign_as_ref(foreign_elsewhere)));
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(add)));
  CHECK(!wasm_table_grow(table, 1, wasm_func_as_ref(outer_elsewhere)));
  wasm_foreign_delete(foreign_elsewhere);
  printf("ok\n");

  printf("-- a trap through two levels of nesting\n");
  wasm_module_t* inner_module = load_module(store, "misuse_inner.wasm");
  wasm_func_t* fail = wasm_func_new(store, v_i, fail_callback);
  wasm_functype_delete(v_i);
  wasm_extern_t* inner_imports[] = {wasm_func_as_extern(fail)};
  wasm_extern_vec_t inner_vec = WASM_ARRAY_VEC(inner_imports);
  wasm_instance_t* inner_instance = wasm_instance_new(store, inner_module, &inner_vec, NULL);
  CHECK(inner_instance != NULL);
  wasm_extern_vec_t inner_exports;
  wasm_instance_exports(inner_instance, &inner_exports);
  inner_func = export_func(&inner_exports, 0);
  wasm_val_t seven[] = {WASM_I32_VAL(7)};
  trap = call(run_outer, 1, seven, 1);
  CHECK(trap != NULL);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  printf("frames (innermost first):");
  for (size_t i = 0; i < trace.size; i++) printf(" %" PRIu32, wasm_frame_func_index(trace.data[i]));
  printf("\n");
  wasm_frame_vec_delete(&trace);
  expect_trap("the outer call", trap);
  /* The size of `results` is checked once the function returns: a call that traps returns
   * its own trap even with no room for its result (the standard's trap.c relies on it). */
  expect_trap("a trapping call with no room for its result", call(inner_func, 0, NULL, 0));
  /* The store still works afterwards. */
  int32_t xs[] = {20, 22};
  printf("add(20, 22) = %" PRId32 "\n", call_i32(add, 2, xs));

  printf("-- objects outliving their store's handle\n");
  wasm_store_delete(store);
  printf("add(1, 2) after wasm_store_delete = %" PRId32 "\n", call_i32(add, 2, xs));
  wasm_extern_vec_delete(&inner_exports);
  wasm_instance_delete(inner_instance);
  wasm_module_delete(inner_module);
  wasm_func_delete(fail);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_func_delete(outer);
  wasm_func_delete(wrong);
  wasm_global_delete(g);
  wasm_functype_delete(i_i);
  wasm_func_delete(outer_elsewhere);
  wasm_store_delete(other);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
