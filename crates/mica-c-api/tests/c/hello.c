/* hello: the smallest round trip. A module imports a host function taking and returning
 * nothing; its export calls it twice. */
#include "wasm_test_util.h"

static int greetings = 0;

static wasm_trap_t* greet(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 0 && results->size == 0);
  greetings++;
  printf("host: hello #%d from wasm\n", greetings);
  return NULL;
}

int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  CHECK(engine != NULL);
  wasm_store_t* store = wasm_store_new(engine);
  CHECK(store != NULL);
  wasm_module_t* module = load_module(store, "hello.wasm");
  printf("compiled hello.wasm\n");

  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* host = wasm_func_new(store, type, greet);
  wasm_functype_delete(type);
  CHECK(host != NULL);

  wasm_extern_t* externs[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(host);
  printf("instantiated\n");

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 1);
  const wasm_func_t* run = wasm_extern_as_func(exports.data[0]);
  CHECK(run != NULL);
  wasm_module_delete(module);
  wasm_instance_delete(instance);

  wasm_val_vec_t args = WASM_EMPTY_VEC;
  wasm_val_vec_t results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(run, &args, &results) == NULL);
  CHECK(greetings == 2);
  /* NULL vectors stand for empty ones. */
  CHECK(wasm_func_call(run, NULL, NULL) == NULL);
  CHECK(greetings == 4);

  wasm_extern_vec_delete(&exports);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
