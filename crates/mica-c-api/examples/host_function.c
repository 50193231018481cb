/* Embedding Mica from C with the standard WebAssembly C API (wasm.h): load a module, give it
 * one host function, call its export, handle errors and traps, and free everything.
 *
 *   cargo build --release -p mica-c-api
 *   cc -Icrates/mica-c-api/include crates/mica-c-api/examples/host_function.c \
 *      target/release/libmica.a -lpthread -ldl -lm -o host_function
 *   ./host_function crates/mica-c-api/examples/host_function.wasm
 */
#include <stdio.h>
#include <stdlib.h>
#include <wasm.h>

/* The host function: prints its argument and returns it plus one. */
static wasm_trap_t* hello(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
    printf("hello from C, called with %d\n", args->data[0].of.i32);
    results->data[0].kind = WASM_I32;
    results->data[0].of.i32 = args->data[0].of.i32 + 1;
    return NULL;
}

/* Reads a whole file into a byte vector (the caller deletes it). */
static int read_file(const char* path, wasm_byte_vec_t* out) {
    FILE* file = fopen(path, "rb");
    if (!file) return 0;
    fseek(file, 0L, SEEK_END);
    long size = ftell(file);
    fseek(file, 0L, SEEK_SET);
    wasm_byte_vec_new_uninitialized(out, (size_t)size);
    size_t read = fread(out->data, 1, (size_t)size, file);
    fclose(file);
    return read == (size_t)size;
}

int main(int argc, char** argv) {
    const char* path = argc > 1 ? argv[1] : "host_function.wasm";
    int status = 1;
    wasm_engine_t* engine = wasm_engine_new();
    wasm_store_t* store = wasm_store_new(engine);

    wasm_byte_vec_t binary;
    if (!read_file(path, &binary)) {
        fprintf(stderr, "cannot read %s\n", path);
        goto out_store;
    }
    wasm_module_t* module = wasm_module_new(store, &binary);
    wasm_byte_vec_delete(&binary);
    if (!module) {
        fprintf(stderr, "%s is not a valid module\n", path);
        goto out_store;
    }

    /* The import: (func (param i32) (result i32)). */
    wasm_functype_t* type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
    wasm_func_t* host = wasm_func_new(store, type, hello);
    wasm_functype_delete(type);

    wasm_extern_t* imports_data[] = {wasm_func_as_extern(host)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(imports_data);
    wasm_trap_t* trap = NULL;
    wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
    if (!instance) {
        wasm_message_t message;
        if (trap) {
            wasm_trap_message(trap, &message);
            fprintf(stderr, "instantiation failed: %s\n", message.data);
            wasm_byte_vec_delete(&message);
            wasm_trap_delete(trap);
        }
        goto out_module;
    }

    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    const wasm_func_t* run = exports.size > 0 ? wasm_extern_as_func_const(exports.data[0]) : NULL;
    if (run) {
        wasm_val_t args_data[] = {WASM_I32_VAL(20)};
        wasm_val_t results_data[] = {WASM_INIT_VAL};
        wasm_val_vec_t args = WASM_ARRAY_VEC(args_data);
        wasm_val_vec_t results = WASM_ARRAY_VEC(results_data);
        trap = wasm_func_call(run, &args, &results);
        if (trap) {
            wasm_message_t message;
            wasm_trap_message(trap, &message);
            fprintf(stderr, "trap: %s\n", message.data);
            wasm_byte_vec_delete(&message);
            wasm_trap_delete(trap);
        } else {
            printf("run(20) = %d\n", results_data[0].of.i32);
            status = 0;
        }
    }
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
out_module:
    wasm_func_delete(host);
    wasm_module_delete(module);
out_store:
    wasm_store_delete(store);
    wasm_engine_delete(engine);
    return status;
}
