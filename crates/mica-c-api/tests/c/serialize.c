/* serialize: a module serialized and deserialized, instantiated and run; shared with
 * wasm_module_share and obtained in another store; bytes that are not a serialized module
 * give NULL. */
#include "wasm_test_util.h"

static wasm_trap_t* hello(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  printf("hello %" PRId32 "\n", args->data[0].of.i32);
  return NULL;
}

static void run(wasm_store_t* store, const wasm_module_t* module, int32_t x) {
  wasm_functype_t* type = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_func_t* f = wasm_func_new(store, type, hello);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(f);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t as[] = {WASM_I32_VAL(x)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(export_func(&exports, 0), &args, &none) == NULL);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, "serialize.wasm");

  wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  CHECK(serialized.size > 0);
  printf("serialized\n");
  wasm_module_t* deserialized = wasm_module_deserialize(store, &serialized);
  CHECK(deserialized != NULL);
  printf("deserialized\n");
  run(store, deserialized, 1);

  wasm_importtype_vec_t imports;
  wasm_module_imports(deserialized, &imports);
  printf("deserialized module imports %zu function(s)\n", imports.size);
  wasm_importtype_vec_delete(&imports);

  /* A corrupted copy is refused. */
  wasm_byte_vec_t corrupted;
  wasm_byte_vec_copy(&corrupted, &serialized);
  corrupted.data[corrupted.size / 2] ^= 0x55;
  CHECK(wasm_module_deserialize(store, &corrupted) == NULL);
  wasm_byte_vec_delete(&corrupted);
  /* So is the module's own binary. */
  wasm_byte_vec_t binary;
  read_binary("serialize.wasm", &binary);
  CHECK(wasm_module_deserialize(store, &binary) == NULL);
  wasm_byte_vec_delete(&binary);
  wasm_byte_vec_delete(&serialized);
  printf("bad bytes refused\n");

  /* Sharing: obtained in a store of another engine. */
  wasm_shared_module_t* shared = wasm_module_share(module);
  CHECK(shared != NULL);
  wasm_engine_t* engine2 = wasm_engine_new_with_config(wasm_config_new());
  wasm_store_t* store2 = wasm_store_new(engine2);
  wasm_module_t* obtained = wasm_module_obtain(store2, shared);
  CHECK(obtained != NULL);
  wasm_shared_module_delete(shared);
  run(store2, obtained, 2);

  wasm_module_delete(obtained);
  wasm_module_delete(deserialized);
  wasm_module_delete(module);
  wasm_store_delete(store2);
  wasm_engine_delete(engine2);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
