/* Misuse of every wasm_export.h entry point: NULL and stale handles, handles of the wrong
 * kind, bad lengths and counts, bad signatures, unknown imports, functions of another
 * instance, natives that try to free what is running them. Each must report an error (and
 * never crash, leak, or touch freed memory: ASan and UBSan watch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_export.h"

#include "wamr_common.h"

static char error[256];

static wasm_module_t load(const char *path) {
    uint32_t size;
    uint8_t *bytes = read_file(path, &size);
    wasm_module_t m = wasm_runtime_load(bytes, size, error, sizeof error);
    free(bytes);
    return m;
}

/* Instantiates, printing the error on failure. */
static wasm_module_inst_t instantiate(const char *what, wasm_module_t module) {
    memset(error, 0, sizeof error);
    wasm_module_inst_t inst = wasm_runtime_instantiate(module, 0, 0, error, sizeof error);
    printf("instantiate %s: %s\n", what, inst ? "ok" : error);
    return inst;
}

/* ---- natives ---- */

static int32_t need(wasm_exec_env_t env, int32_t a, int32_t b) {
    (void)env;
    return a * b;
}

static int32_t need_wrong(wasm_exec_env_t env, int32_t a) {
    (void)env;
    return a;
}

/* Tries to free the instance and the exec env running it: both refused. */
static int32_t self_destruct(wasm_exec_env_t env) {
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_destroy_exec_env(env);
    CHECK(wasm_runtime_get_module_inst(env) == inst);
    return 99;
}

static void start_log(wasm_exec_env_t env, const char *s) {
    (void)env;
    printf("  start: %s\n", s);
}

static int start_mode;
static int32_t start_check(wasm_exec_env_t env) {
    if (start_mode == 1) wasm_runtime_set_exception(wasm_runtime_get_module_inst(env), "the start native refuses");
    return start_mode;
}

static void dummy(wasm_exec_env_t env) { (void)env; }

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static void register_one(const char *what, const char *module, const char *name, void *func, const char *signature,
                         bool raw) {
    NativeSymbol s = {name, func, signature, NULL};
    bool ok = raw ? wasm_runtime_register_natives_raw(module, &s, 1) : wasm_runtime_register_natives(module, &s, 1);
    printf("register %s: %s\n", what, ok ? "ok" : "refused");
    if (ok) CHECK(wasm_runtime_unregister_natives(module, &s));
}

int main(void) {
    uint8_t garbage[] = "this is not wasm";
    uint32_t argv[4] = {0};

    /* ---- before the runtime is set up ---- */
    CHECK(wasm_runtime_load(garbage, sizeof garbage, error, sizeof error) == NULL);
    printf("load before init: %s\n", error);
    NativeSymbol early = {"need", (void *)need, "(ii)i", NULL};
    CHECK(!wasm_runtime_register_natives("env", &early, 1));
    CHECK(!wasm_runtime_full_init(NULL));
    RuntimeInitArgs args;
    memset(&args, 0, sizeof args);
    args.running_mode = Mode_LLVM_JIT;
    CHECK(!wasm_runtime_full_init(&args));
    NativeSymbol bad = {"need", (void *)need, "(x)i", NULL};
    args.running_mode = Mode_Interp;
    args.native_module_name = "env";
    args.native_symbols = &bad;
    args.n_native_symbols = 1;
    CHECK(!wasm_runtime_full_init(&args));
    CHECK(wasm_runtime_load(garbage, sizeof garbage, NULL, 0) == NULL); /* still not set up */
    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_init()); /* again: fine */

    /* ---- registration ---- */
    const char *bad_signatures[] = {"",      "ii)i", "(ii",  "(~)",    "(i~)", "(x)",         "(i)ii",
                                    "(r)",   "(i)r", "(i) ", "((i)i", "(i)(", "(iiiiiiii)", "(fffffffff)"};
    for (size_t i = 0; i < COUNT(bad_signatures); i++) {
        char what[64];
        snprintf(what, sizeof what, "signature \"%s\"", bad_signatures[i]);
        register_one(what, "env", "x", (void *)dummy, bad_signatures[i], false);
    }
    register_one("9 floats, raw", "env", "x", (void *)dummy, "(fffffffff)", true);
    register_one("5 ints, 8 floats", "env", "x", (void *)dummy, "(iiiiiffffffff)", false);
    register_one("NULL name", "env", NULL, (void *)dummy, "()", false);
    register_one("NULL function", "env", "x", NULL, "()", false);
    register_one("NULL module name", NULL, "x", (void *)dummy, "()", false);
    CHECK(!wasm_runtime_register_natives("env", NULL, 1));
    CHECK(wasm_runtime_register_natives("env", NULL, 0)); /* nothing to register */
    CHECK(!wasm_runtime_unregister_natives(NULL, NULL));
    CHECK(!wasm_runtime_unregister_natives("nobody", &early));

    /* ---- loading ---- */
    CHECK(wasm_runtime_load(NULL, 10, error, sizeof error) == NULL);
    printf("load NULL: %s\n", error);
    CHECK(wasm_runtime_load(garbage, 0, error, sizeof error) == NULL);
    printf("load size 0: %s\n", error);
    CHECK(wasm_runtime_load(garbage, sizeof garbage, error, sizeof error) == NULL);
    printf("load garbage: %s\n", error);
    uint32_t size;
    uint8_t *bytes = read_file("wamr_misuse.wasm", &size);
    CHECK(wasm_runtime_load(bytes, size - 3, error, sizeof error) == NULL);
    printf("load truncated: %s\n", error);
    CHECK(wasm_runtime_load(garbage, sizeof garbage, NULL, 100) == NULL);
    memset(error, 'X', sizeof error);
    CHECK(wasm_runtime_load(garbage, sizeof garbage, error, 0) == NULL);
    CHECK(error[0] == 'X'); /* size 0: untouched */
    CHECK(wasm_runtime_load(garbage, sizeof garbage, error, 8) == NULL);
    CHECK(strlen(error) == 7 && error[8] == 'X'); /* truncated, NUL-terminated, no overflow */
    free(bytes);

    /* ---- instantiation ---- */
    wasm_module_t module = load("wamr_misuse.wasm");
    CHECK(module != NULL);
    CHECK(wasm_runtime_instantiate(NULL, 0, 0, error, sizeof error) == NULL);
    printf("instantiate NULL: %s\n", error);
    CHECK(wasm_runtime_instantiate((wasm_module_t)garbage, 0, 0, error, sizeof error) == NULL);
    printf("instantiate a non-handle: %s\n", error);
    CHECK(instantiate("without natives", module) == NULL);
    NativeSymbol wrong[] = {{"need", (void *)need_wrong, "(i)i", NULL}, {"self_destruct", (void *)self_destruct, "()i", NULL}};
    CHECK(wasm_runtime_register_natives("env", wrong, 2));
    CHECK(instantiate("with a mismatched signature", module) == NULL);
    NativeSymbol right[] = {{"need", (void *)need, "(ii)i", NULL}};
    CHECK(wasm_runtime_register_natives("env", right, 1)); /* the newer registration wins */
    wasm_module_inst_t inst = instantiate("after registering the right one", module);
    CHECK(inst != NULL);
    wasm_module_t absent = load("wamr_misuse_imports.wasm");
    CHECK(instantiate("an unknown import", absent) == NULL);
    wasm_module_t memory_import = load("wamr_misuse_memory.wasm");
    CHECK(instantiate("a memory import", memory_import) == NULL);
    CHECK(wasm_runtime_instantiate(absent, 0, 0, NULL, 0) == NULL); /* no error_buf: fine */
    wasm_runtime_unload(absent);
    wasm_runtime_unload(memory_import);

    NativeSymbol start_natives[] = {{"start_log", (void *)start_log, "($)", NULL},
                                    {"start_check", (void *)start_check, "()i", NULL}};
    CHECK(wasm_runtime_register_natives("env", start_natives, 2));
    wasm_module_t start = load("wamr_misuse_start.wasm");
    for (start_mode = 0; start_mode <= 2; start_mode++) {
        char what[32];
        snprintf(what, sizeof what, "start mode %d", start_mode);
        wasm_module_inst_t s = instantiate(what, start);
        wasm_runtime_deinstantiate(s);
    }
    wasm_runtime_unload(start);

    /* ---- lookup ---- */
    CHECK(wasm_runtime_lookup_function(NULL, "add") == NULL);
    CHECK(wasm_runtime_lookup_function(inst, NULL) == NULL);
    CHECK(wasm_runtime_lookup_function(inst, "missing") == NULL);
    CHECK(wasm_runtime_lookup_function(inst, "memory") == NULL); /* not a function */
    CHECK(wasm_runtime_lookup_function((wasm_module_inst_t)module, "add") == NULL);
    wasm_function_inst_t add = wasm_runtime_lookup_function(inst, "add");
    CHECK(add != NULL);
    CHECK(wasm_func_get_param_count(add, NULL) == 0);
    CHECK(wasm_func_get_param_count(NULL, inst) == 0);
    CHECK(wasm_func_get_result_count((wasm_function_inst_t)inst, inst) == 0);
    wasm_func_get_param_types(add, inst, NULL);
    wasm_func_get_result_types(NULL, inst, NULL);

    /* ---- exec envs ---- */
    CHECK(wasm_runtime_create_exec_env(NULL, 0) == NULL);
    CHECK(wasm_runtime_create_exec_env((wasm_module_inst_t)module, 0) == NULL);
    wasm_runtime_destroy_exec_env(NULL);
    wasm_runtime_destroy_exec_env((wasm_exec_env_t)inst);
    CHECK(wasm_runtime_get_module_inst(NULL) == NULL);
    CHECK(wasm_runtime_get_module_inst((wasm_exec_env_t)module) == NULL);
    CHECK(wasm_runtime_get_function_attachment(NULL) == NULL);
    CHECK(wasm_runtime_get_exec_env_singleton(NULL) == NULL);
    wasm_exec_env_t single = wasm_runtime_get_exec_env_singleton(inst);
    wasm_runtime_destroy_exec_env(single); /* the instance's: refused */
    argv[0] = 2;
    argv[1] = 3;
    CHECK(wasm_runtime_call_wasm(single, add, 2, argv) && argv[0] == 5);
    wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 0);
    wasm_exec_env_t extra = wasm_runtime_create_exec_env(inst, 0);
    wasm_runtime_destroy_exec_env(extra);
    wasm_runtime_destroy_exec_env(extra); /* twice: ignored */
    CHECK(!wasm_runtime_call_wasm(extra, add, 2, argv));

    /* ---- calls ---- */
    CHECK(!wasm_runtime_call_wasm(NULL, add, 2, argv));
    CHECK(!wasm_runtime_call_wasm(env, NULL, 2, argv));
    printf("call NULL function: %s\n", wasm_runtime_get_exception(inst));
    CHECK(!wasm_runtime_call_wasm(env, (wasm_function_inst_t)env, 2, argv));
    printf("call a non-function: %s\n", wasm_runtime_get_exception(inst));
    CHECK(!wasm_runtime_call_wasm(env, add, 1, argv));
    printf("call with argc 1: %s\n", wasm_runtime_get_exception(inst));
    CHECK(!wasm_runtime_call_wasm(env, add, 2, NULL));
    printf("call with argv NULL: %s\n", wasm_runtime_get_exception(inst));
    CHECK(!wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "get_ref"), 0, argv));
    printf("call returning funcref: %s\n", wasm_runtime_get_exception(inst));
    wasm_module_inst_t other = wasm_runtime_instantiate(module, 0, 0, error, sizeof error);
    CHECK(other != NULL);
    wasm_function_inst_t other_add = wasm_runtime_lookup_function(other, "add");
    CHECK(other_add != NULL && other_add != add);
    CHECK(!wasm_runtime_call_wasm(env, other_add, 2, argv));
    printf("call another instance's function: %s\n", wasm_runtime_get_exception(inst));
    CHECK(wasm_func_get_param_count(other_add, inst) == 0);
    wasm_val_t vals[2], results[1];
    vals[0].kind = WASM_I32;
    vals[0].of.i32 = 1;
    vals[1].kind = WASM_I64;
    vals[1].of.i64 = 2;
    CHECK(!wasm_runtime_call_wasm_a(env, add, 1, results, 1, vals));
    printf("call_wasm_a with 1 argument: %s\n", wasm_runtime_get_exception(inst));
    CHECK(!wasm_runtime_call_wasm_a(env, add, 1, results, 2, vals));
    printf("call_wasm_a with an i64 argument: %s\n", wasm_runtime_get_exception(inst));
    CHECK(!wasm_runtime_call_wasm_a(env, add, 1, NULL, 2, vals));
    CHECK(!wasm_runtime_call_wasm_a(env, other_add, 1, results, 2, vals));
    vals[1].kind = WASM_I32;
    vals[1].of.i32 = 2;
    CHECK(wasm_runtime_call_wasm_a(env, add, 1, results, 2, vals) && results[0].of.i32 == 3);

    /* natives that try to free what runs them */
    argv[0] = 0;
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "self_destruct"), 0, argv));
    printf("self_destruct = %u\n", argv[0]);
    argv[0] = 6;
    argv[1] = 7;
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "need"), 2, argv));
    printf("need(6, 7) = %u\n", argv[0]);

    /* ---- exceptions and data with bad handles ---- */
    CHECK(wasm_runtime_get_exception(NULL) == NULL);
    wasm_runtime_set_exception(NULL, "nobody hears this");
    wasm_runtime_clear_exception(NULL);
    wasm_runtime_set_custom_data(NULL, &argv);
    CHECK(wasm_runtime_get_custom_data(NULL) == NULL);
    wasm_runtime_set_user_data(NULL, &argv);
    CHECK(wasm_runtime_get_user_data(NULL) == NULL);
    CHECK(wasm_runtime_get_module(NULL) == NULL);

    /* ---- addresses ---- */
    CHECK(wasm_runtime_addr_app_to_native(NULL, 0) == NULL);
    CHECK(!wasm_runtime_validate_app_addr(NULL, 0, 1));
    CHECK(!wasm_runtime_validate_app_str_addr(NULL, 0));
    CHECK(!wasm_runtime_validate_native_addr(NULL, argv, 1));
    CHECK(wasm_runtime_addr_native_to_app(NULL, argv) == 0);
    CHECK(!wasm_runtime_get_app_addr_range(NULL, 0, NULL, NULL));
    CHECK(!wasm_runtime_get_native_addr_range(NULL, (uint8_t *)argv, NULL, NULL));
    CHECK(!wasm_runtime_validate_app_str_addr(inst, 65536));
    CHECK(!wasm_runtime_validate_app_addr(inst, 65536, 0) || true); /* the end itself: empty range */
    void *native = argv;
    CHECK(wasm_runtime_module_malloc(inst, 16, &native) == 0 && native == NULL); /* no malloc export */
    wasm_runtime_module_free(inst, 0);
    wasm_runtime_module_free(NULL, 16);
    CHECK(wasm_runtime_module_dup_data(inst, NULL, 4) == 0);
    CHECK(wasm_runtime_module_malloc(NULL, 16, NULL) == 0);
    wasm_module_t nomem_module = load("wamr_misuse_nomem.wasm");
    wasm_module_inst_t nomem = instantiate("without memory", nomem_module);
    CHECK(nomem != NULL);
    CHECK(!wasm_runtime_validate_app_addr(nomem, 0, 0));
    CHECK(wasm_runtime_addr_app_to_native(nomem, 0) == NULL);
    CHECK(!wasm_runtime_get_app_addr_range(nomem, 0, NULL, NULL));

    /* ---- order of destruction ---- */
    wasm_runtime_unload(nomem_module); /* before its instance: the instance still works */
    CHECK(wasm_runtime_get_module(nomem) == NULL);
    wasm_exec_env_t nomem_env = wasm_runtime_create_exec_env(nomem, 0);
    argv[0] = 0;
    CHECK(wasm_runtime_call_wasm(nomem_env, wasm_runtime_lookup_function(nomem, "one"), 0, argv) && argv[0] == 1);
    wasm_runtime_deinstantiate(nomem); /* before its exec env */
    CHECK(!wasm_runtime_call_wasm(nomem_env, add, 0, argv)); /* the env's instance is gone */
    CHECK(wasm_runtime_get_module_inst(nomem_env) == NULL);
    wasm_runtime_destroy_exec_env(nomem_env);
    wasm_runtime_deinstantiate(nomem); /* twice: ignored */
    wasm_runtime_unload(nomem_module); /* twice: ignored */
    wasm_runtime_deinstantiate(NULL);
    wasm_runtime_unload(NULL);

    /* function handles die with their instance */
    wasm_runtime_deinstantiate(other);
    CHECK(!wasm_runtime_call_wasm(env, other_add, 2, argv));
    CHECK(wasm_func_get_param_count(other_add, other) == 0);

    /* after wasm_runtime_destroy, live objects keep working; loading needs init again */
    wasm_runtime_destroy();
    argv[0] = 4;
    argv[1] = 5;
    CHECK(wasm_runtime_call_wasm(env, add, 2, argv) && argv[0] == 9);
    CHECK(load("wamr_misuse.wasm") == NULL);
    printf("load after destroy: %s\n", error);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    printf("done\n");
    return 0;
}
