/* reflect: a module's import and export types, an instance's exports and their current
 * types, function arities; building and copying type descriptions by hand. */
#include "wasm_test_util.h"

static void print_valtype(const wasm_valtype_t* t) {
  switch (wasm_valtype_kind(t)) {
    case WASM_I32: printf("i32"); break;
    case WASM_I64: printf("i64"); break;
    case WASM_F32: printf("f32"); break;
    case WASM_F64: printf("f64"); break;
    case WASM_ANYREF: printf("anyref"); break;
    case WASM_FUNCREF: printf("funcref"); break;
    default: printf("other"); break;
  }
}

static void print_valtypes(const wasm_valtype_vec_t* ts) {
  printf("(");
  for (size_t i = 0; i < ts->size; i++) {
    if (i) printf(" ");
    print_valtype(ts->data[i]);
  }
  printf(")");
}

static void print_limits(const wasm_limits_t* l) {
  printf("%" PRIu32, l->min);
  if (l->max != wasm_limits_max_default) printf("..%" PRIu32, l->max);
}

static void print_externtype(const wasm_externtype_t* t) {
  switch (wasm_externtype_kind(t)) {
    case WASM_EXTERN_FUNC: {
      const wasm_functype_t* f = wasm_externtype_as_functype_const(t);
      printf("func ");
      print_valtypes(wasm_functype_params(f));
      printf(" -> ");
      print_valtypes(wasm_functype_results(f));
    } break;
    case WASM_EXTERN_GLOBAL: {
      const wasm_globaltype_t* g = wasm_externtype_as_globaltype_const(t);
      printf("global %s ", wasm_globaltype_mutability(g) == WASM_VAR ? "var" : "const");
      print_valtype(wasm_globaltype_content(g));
    } break;
    case WASM_EXTERN_TABLE: {
      const wasm_tabletype_t* tt = wasm_externtype_as_tabletype_const(t);
      printf("table ");
      print_limits(wasm_tabletype_limits(tt));
      printf(" ");
      print_valtype(wasm_tabletype_element(tt));
    } break;
    case WASM_EXTERN_MEMORY:
      printf("memory ");
      print_limits(wasm_memorytype_limits(wasm_externtype_as_memorytype_const(t)));
      break;
  }
}

static void print_name(const wasm_name_t* name) { printf("\"%.*s\"", (int)name->size, name->data); }

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "reflect.wasm");

  wasm_importtype_vec_t import_types;
  wasm_module_imports(module, &import_types);
  for (size_t i = 0; i < import_types.size; i++) {
    printf("import %zu: ", i);
    print_name(wasm_importtype_module(import_types.data[i]));
    printf(" ");
    print_name(wasm_importtype_name(import_types.data[i]));
    printf(" ");
    print_externtype(wasm_importtype_type(import_types.data[i]));
    printf("\n");
  }

  /* Provide the imports, made from the import types themselves. */
  wasm_functype_t* log_type = wasm_functype_copy(wasm_externtype_as_functype_const(wasm_importtype_type(import_types.data[0])));
  wasm_func_t* log_func = wasm_func_new(store, log_type, NULL);
  CHECK(log_func == NULL); /* a null callback makes no function */
  wasm_globaltype_t* limit_type = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t limit_val = WASM_I32_VAL(9);
  wasm_global_t* limit = wasm_global_new(store, limit_type, &limit_val);
  wasm_limits_t heap_limits = {1, wasm_limits_max_default};
  wasm_memorytype_t* heap_type = wasm_memorytype_new(&heap_limits);
  wasm_memory_t* heap = wasm_memory_new(store, heap_type);
  wasm_globaltype_delete(limit_type);
  wasm_memorytype_delete(heap_type);

  /* A function type built by hand equals the import's. */
  wasm_valtype_t* ps[] = {wasm_valtype_new_i32(), wasm_valtype_new_i64()};
  wasm_valtype_vec_t params, results, params_copy;
  wasm_valtype_vec_new(&params, 2, ps);
  wasm_valtype_vec_copy(&params_copy, &params);
  wasm_valtype_vec_new_empty(&results);
  wasm_functype_t* built = wasm_functype_new(&params, &results);
  CHECK(params.size == 0 && params.data == NULL); /* taken over */
  CHECK(params_copy.size == 2 && wasm_valtype_kind(params_copy.data[1]) == WASM_I64);
  wasm_valtype_vec_delete(&params_copy);
  printf("built: ");
  print_externtype(wasm_functype_as_externtype(built));
  printf("\n");
  wasm_functype_delete(built);
  wasm_functype_delete(log_type);

  wasm_module_delete(module);
  wasm_importtype_vec_delete(&import_types);
  wasm_global_delete(limit);
  wasm_memory_delete(heap);

  /* Exports of a module without imports, and of its instance. */
  module = load_module(store, "reflect_exports.wasm");
  wasm_exporttype_vec_t export_types;
  wasm_module_exports(module, &export_types);
  wasm_instance_t* instance = wasm_instance_new(store, module, NULL, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == export_types.size);
  for (size_t i = 0; i < exports.size; i++) {
    const wasm_externtype_t* declared = wasm_exporttype_type(export_types.data[i]);
    CHECK(wasm_extern_kind(exports.data[i]) == wasm_externtype_kind(declared));
    printf("export %zu ", i);
    print_name(wasm_exporttype_name(export_types.data[i]));
    printf(": ");
    print_externtype(declared);
    wasm_externtype_t* current = wasm_extern_type(exports.data[i]);
    printf("; now ");
    print_externtype(current);
    wasm_externtype_delete(current);
    wasm_func_t* f = wasm_extern_as_func(exports.data[i]);
    if (f) printf("; arity %zu -> %zu", wasm_func_param_arity(f), wasm_func_result_arity(f));
    printf("\n");
  }
  wasm_table_grow(wasm_extern_as_table(exports.data[2]), 3, NULL);
  wasm_externtype_t* grown = wasm_extern_type(exports.data[2]);
  printf("table after growing by 3: ");
  print_externtype(grown);
  printf("\n");
  wasm_externtype_delete(grown);

  wasm_exporttype_vec_t copied;
  wasm_exporttype_vec_copy(&copied, &export_types);
  CHECK(copied.size == export_types.size);
  wasm_exporttype_vec_delete(&copied);

  wasm_extern_vec_delete(&exports);
  wasm_exporttype_vec_delete(&export_types);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
