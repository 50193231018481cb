/* The seed bug, from C: wasm functions that `return_call` an imported native (WAMR 1.3.2
 * crashed: the tail call released the caller's frame, the native's call allocated a frame
 * over it, and after the native returned the interpreter jumped to NULL). Here each shape of
 * it runs and is checked: directly, nested, at the bottom of a recursion, in loops, through
 * a table and a reference, with both register classes, raw, re-entering wasm from the
 * native (and trapping in there), and a native that sets an exception. After each, the
 * instance must keep working. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_export.h"

#include "wamr_common.h"

static wasm_module_inst_t inst;
static long add_calls, count_calls, void_calls;

/* ---- natives ---- */

static int32_t host_add(wasm_exec_env_t env, int32_t a, int32_t b) {
    CHECK(wasm_runtime_get_module_inst(env) == inst);
    add_calls++;
    return a + b;
}

static int32_t host_count(wasm_exec_env_t env, int32_t x) {
    (void)env;
    count_calls++;
    return x;
}

static void host_void(wasm_exec_env_t env) {
    (void)env;
    void_calls++;
}

static double host_wide(wasm_exec_env_t env, int64_t a, double b, int32_t c, float d) {
    (void)env;
    return (double)a + b + (double)c + (double)d;
}

static void host_raw(wasm_exec_env_t env, uint64_t *args) {
    (void)env;
    native_raw_return_type(int64_t, args);
    native_raw_get_arg(int64_t, x, args);
    native_raw_set_return(x * 3);
}

/* Calls back into wasm on the exec env it was given. */
static int32_t host_reenter(wasm_exec_env_t env, int32_t x) {
    wasm_module_inst_t module_inst = wasm_runtime_get_module_inst(env);
    CHECK(module_inst == inst);
    uint32_t argv[2];
    if (x == 7777 || x == 8888) { /* a trap in the nested call comes back as false */
        argv[0] = 0;
        CHECK(!wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(module_inst, "trap"), 1, argv));
        printf("  the native saw: %s\n", wasm_runtime_get_exception(module_inst));
        if (x == 7777) { /* handled: the outer call goes on */
            wasm_runtime_clear_exception(module_inst);
            return -1;
        }
        return 0; /* left set: the outer call traps with it */
    }
    if (x >= 1000) { /* one more level: native -> wasm -> return_call native */
        argv[0] = (uint32_t)(x - 1000);
        if (!wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(module_inst, "reenter"), 1, argv))
            return 0; /* the exception stays set: the call that reached this native traps too */
        return (int32_t)argv[0] + 1;
    }
    argv[0] = (uint32_t)x;
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(module_inst, "inner"), 1, argv));
    return (int32_t)argv[0] + 1;
}

static int32_t host_fail(wasm_exec_env_t env, int32_t x) {
    if (x == 0) return 42;
    char message[64];
    snprintf(message, sizeof message, "host_fail(%d)", x);
    wasm_runtime_set_exception(wasm_runtime_get_module_inst(env), message);
    return 0;
}

static NativeSymbol env_natives[] = {
    EXPORT_WASM_API_WITH_SIG(host_add, "(ii)i"),    EXPORT_WASM_API_WITH_SIG(host_count, "(i)i"),
    EXPORT_WASM_API_WITH_SIG(host_reenter, "(i)i"), EXPORT_WASM_API_WITH_SIG(host_fail, "(i)i"),
    EXPORT_WASM_API_WITH_SIG(host_void, "()"),      EXPORT_WASM_API_WITH_SIG(host_wide, "(IFif)F"),
};

static NativeSymbol raw_natives[] = {
    EXPORT_WASM_API_WITH_SIG(host_raw, "(I)I"),
};

static wasm_exec_env_t env;

/* Calls `name` with up to two i32 arguments; prints and returns its i32 result, or prints
 * the exception and returns INT32_MIN. */
static int32_t call2(const char *name, uint32_t argc, int32_t a, int32_t b) {
    uint32_t argv[2] = {(uint32_t)a, (uint32_t)b};
    wasm_function_inst_t f = wasm_runtime_lookup_function(inst, name);
    CHECK(f != NULL);
    if (!wasm_runtime_call_wasm(env, f, argc, argv)) {
        printf("%s(%d) -> %s\n", name, a, wasm_runtime_get_exception(inst));
        return INT32_MIN;
    }
    printf("%s(%d%s) = %d\n", name, a, argc == 2 ? ", ..." : "", (int32_t)argv[0]);
    return (int32_t)argv[0];
}

/* The instance still works: a plain call and a tail call to a native. */
static void still_fine(void) {
    uint32_t argv[2] = {20, 22};
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "direct"), 2, argv));
    CHECK(argv[0] == 42);
    CHECK(wasm_runtime_get_exception(inst) == NULL);
}

int main(void) {
    CHECK(wasm_runtime_init());
    CHECK(wasm_runtime_register_natives("env", env_natives, sizeof env_natives / sizeof env_natives[0]));
    CHECK(wasm_runtime_register_natives_raw("raw", raw_natives, 1));

    char error[128];
    uint32_t size;
    uint8_t *bytes = read_file("wamr_return_call.wasm", &size);
    wasm_module_t module = wasm_runtime_load(bytes, size, error, sizeof error);
    if (!module) printf("load: %s\n", error);
    CHECK(module != NULL);
    inst = wasm_runtime_instantiate(module, 0, 0, error, sizeof error);
    if (!inst) printf("instantiate: %s\n", error);
    CHECK(inst != NULL);
    env = wasm_runtime_create_exec_env(inst, 64 * 1024);
    CHECK(env != NULL);

    CHECK(call2("direct", 2, 2, 3) == 5);
    still_fine();
    CHECK(call2("nested", 1, 5, 0) == 106);
    still_fine();
    CHECK(call2("deep", 1, 1000, 0) == 2000);
    CHECK(count_calls == 1);
    still_fine();

    add_calls = 0;
    CHECK(call2("loop", 2, 10000, 0) == 10000);
    printf("  host_add ran %ld times\n", add_calls);
    still_fine();

    add_calls = 0;
    CHECK(call2("many", 1, 100000, 0) == 100000);
    printf("  host_add ran %ld times\n", add_calls);
    still_fine();

    /* from C, many times: each call is wasm -> return_call native */
    wasm_function_inst_t direct = wasm_runtime_lookup_function(inst, "direct");
    uint32_t acc = 0;
    for (int i = 0; i < 10000; i++) {
        uint32_t argv[2] = {acc, 2};
        CHECK(wasm_runtime_call_wasm(env, direct, 2, argv));
        acc = argv[0];
    }
    printf("10000 calls of direct from C: %u\n", acc);
    CHECK(acc == 20000);

    CHECK(call2("indirect", 2, 7, 8) == 15);
    CHECK(call2("by_ref", 2, 9, 10) == 19);
    still_fine();

    uint32_t argv[6];
    int64_t big = (int64_t)1 << 40;
    double half = 0.5, result;
    float quarter = 0.25f;
    memcpy(&argv[0], &big, 8);
    memcpy(&argv[2], &half, 8);
    argv[4] = (uint32_t)-3;
    memcpy(&argv[5], &quarter, 4);
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "wide"), 6, argv));
    memcpy(&result, argv, 8);
    printf("wide(2^40, 0.5, -3, 0.25) = %.2f\n", result);
    CHECK(result == 1099511627773.75);

    int64_t fourteen = 14, raw;
    memcpy(argv, &fourteen, 8);
    CHECK(wasm_runtime_call_wasm(env, wasm_runtime_lookup_function(inst, "raw"), 2, argv));
    memcpy(&raw, argv, 8);
    printf("raw(14) = %lld\n", (long long)raw);
    CHECK(raw == 42);

    CHECK(call2("after_void", 1, 5, 0) == 15);
    CHECK(void_calls == 2);
    still_fine();

    /* re-entrancy */
    CHECK(call2("reenter", 1, 4, 0) == 81);
    CHECK(call2("reenter", 1, 3004, 0) == 84);
    still_fine();
    CHECK(call2("reenter", 1, 7777, 0) == -1);
    still_fine();
    CHECK(call2("reenter", 1, 8888, 0) == INT32_MIN);
    still_fine();
    CHECK(call2("reenter", 1, 2000 + 8888, 0) == INT32_MIN); /* the trap crosses two natives */
    still_fine();

    /* an exception set by a native reached by a tail call */
    CHECK(call2("fail", 1, 0, 0) == 42);
    CHECK(call2("fail", 1, 5, 0) == INT32_MIN);
    still_fine();
    CHECK(call2("fail_nested", 1, 0, 0) == 43);
    CHECK(call2("fail_nested", 1, 6, 0) == INT32_MIN);
    still_fine();

    /* the singleton exec env */
    uint32_t two[2] = {1, 1};
    CHECK(wasm_runtime_call_wasm(wasm_runtime_get_exec_env_singleton(inst), direct, 2, two));
    CHECK(two[0] == 2);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    free(bytes);
    wasm_runtime_destroy();
    printf("done\n");
    return 0;
}
