/* wasm_export.h, the WAMR way: init with RuntimeInitArgs, natives of every signature
 * letter (plain and raw), load from a buffer, instantiate, look up, call with uint32_t
 * cells, exceptions from traps and from natives, address conversion with bounds checks,
 * module malloc, then unload and destroy. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_export.h"

#include "wamr_common.h"

static const char log_tag[] = "log-attachment";

/* ---- natives ---- */

static int32_t add(wasm_exec_env_t env, int32_t a, int32_t b) {
    CHECK(wasm_runtime_get_module_inst(env) != NULL);
    CHECK(wasm_runtime_get_function_attachment(env) == NULL);
    return a + b;
}

static int64_t twice64(wasm_exec_env_t env, int64_t x) {
    (void)env;
    return x * 2;
}

static double mix(wasm_exec_env_t env, float a, double b) {
    (void)env;
    return (double)a * b;
}

static void log_str(wasm_exec_env_t env, const char *s) {
    CHECK(wasm_runtime_get_function_attachment(env) == log_tag);
    wasm_module_inst_t module_inst = get_module_inst(env);
    /* The converted pointer is inside memory 0, and converts back. */
    uint64_t app = addr_native_to_app((void *)s);
    CHECK(addr_app_to_native(app) == s);
    printf("log: \"%s\" (app offset %llu)\n", s, (unsigned long long)app);
}

static int32_t sum_bytes(wasm_exec_env_t env, const uint8_t *buf, uint32_t len) {
    (void)env;
    int32_t sum = 0;
    for (uint32_t i = 0; i < len; i++) sum += buf[i];
    return sum;
}

static int32_t first_byte(wasm_exec_env_t env, const uint8_t *p) {
    (void)env;
    return p[0];
}

static void fail(wasm_exec_env_t env) {
    wasm_runtime_set_exception(get_module_inst(env), "native says no");
}

static int32_t many(wasm_exec_env_t env, int32_t a, float b, int64_t c, double d, int32_t e, float f, int32_t g,
                    double h) {
    (void)env;
    printf("many: %d %g %lld %g %d %g %d %g\n", a, (double)b, (long long)c, d, e, (double)f, g, h);
    return a + e + g;
}

static float half(wasm_exec_env_t env, float x) {
    (void)env;
    return x / 2.0f;
}

static void raw_mul3(wasm_exec_env_t env, uint64_t *args) {
    (void)env;
    native_raw_return_type(double, args);
    native_raw_get_arg(int32_t, a, args);
    native_raw_get_arg(int64_t, b, args);
    native_raw_get_arg(double, c, args);
    native_raw_set_return((double)a * (double)b * c);
}

static void raw_strlen(wasm_exec_env_t env, uint64_t *args) {
    (void)env;
    native_raw_return_type(int32_t, args);
    native_raw_get_arg(const char *, s, args);
    native_raw_set_return((int32_t)strlen(s));
}

/* Registered through RuntimeInitArgs, as WAMR's samples do. */
static NativeSymbol env_natives[] = {
    {"add", (void *)add, "(ii)i", NULL},
    {"twice64", (void *)twice64, "(I)I", NULL},
    {"mix", (void *)mix, "(fF)F", NULL},
    {"log", (void *)log_str, "($)", (void *)log_tag},
};

/* Registered afterwards, under the same module name. */
static NativeSymbol more_natives[] = {
    EXPORT_WASM_API_WITH_SIG(sum_bytes, "(*~)i"),
    EXPORT_WASM_API_WITH_SIG(first_byte, "(*)i"),
    EXPORT_WASM_API_WITH_SIG(fail, "()"),
    EXPORT_WASM_API_WITH_SIG(many, "(ifIFifiF)i"),
    {"half", (void *)half, NULL, NULL}, /* no signature: the import's types */
};

static NativeSymbol raw_natives[] = {
    {"mul3", (void *)raw_mul3, "(iIF)F", NULL},
    {"strlen", (void *)raw_strlen, "($)i", NULL},
};

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static wasm_module_inst_t inst;
static wasm_exec_env_t env;

static wasm_function_inst_t lookup(const char *name) {
    wasm_function_inst_t f = wasm_runtime_lookup_function(inst, name);
    CHECK(f != NULL);
    return f;
}

/* Calls `name` with argv; prints the exception on failure. */
static bool call(const char *name, uint32_t argc, uint32_t *argv) {
    bool ok = wasm_runtime_call_wasm(env, lookup(name), argc, argv);
    if (!ok) {
        const char *e = wasm_runtime_get_exception(inst);
        CHECK(e != NULL);
        printf("%s: %s\n", name, e);
    } else {
        CHECK(wasm_runtime_get_exception(inst) == NULL);
    }
    return ok;
}

static void put_f64(uint32_t *cells, double x) { memcpy(cells, &x, sizeof x); }
static double get_f64(const uint32_t *cells) {
    double x;
    memcpy(&x, cells, sizeof x);
    return x;
}
static void put_f32(uint32_t *cell, float x) { memcpy(cell, &x, sizeof x); }
static float get_f32(const uint32_t *cell) {
    float x;
    memcpy(&x, cell, sizeof x);
    return x;
}

int main(void) {
    RuntimeInitArgs init_args;
    static char pool[64 * 1024]; /* WAMR's pool mode: accepted, not used */
    memset(&init_args, 0, sizeof init_args);
    init_args.mem_alloc_type = Alloc_With_Pool;
    init_args.mem_alloc_option.pool.heap_buf = pool;
    init_args.mem_alloc_option.pool.heap_size = sizeof pool;
    init_args.native_module_name = "env";
    init_args.native_symbols = env_natives;
    init_args.n_native_symbols = COUNT(env_natives);
    CHECK(wasm_runtime_full_init(&init_args));
    CHECK(wasm_runtime_register_natives("env", more_natives, COUNT(more_natives)));
    CHECK(wasm_runtime_register_natives_raw("raw", raw_natives, COUNT(raw_natives)));

    char error[128];
    uint32_t size;
    uint8_t *bytes = read_file("wamr_basic.wasm", &size);
    wasm_module_t module = wasm_runtime_load(bytes, size, error, sizeof error);
    CHECK(module != NULL);
    free(bytes); /* Mica copies the bytes */
    inst = wasm_runtime_instantiate(module, 16 * 1024, 0, error, sizeof error);
    if (!inst) printf("instantiate: %s\n", error);
    CHECK(inst != NULL);
    CHECK(wasm_runtime_get_module(inst) == module);
    env = wasm_runtime_create_exec_env(inst, 16 * 1024);
    CHECK(env != NULL);
    CHECK(wasm_runtime_get_module_inst(env) == inst);

    wasm_function_inst_t f_add = lookup("add");
    CHECK(lookup("add") == f_add); /* the same handle again */
    CHECK(wasm_runtime_lookup_function(inst, "missing") == NULL);
    CHECK(wasm_func_get_param_count(f_add, inst) == 2);
    CHECK(wasm_func_get_result_count(f_add, inst) == 1);
    wasm_valkind_t kinds[2];
    wasm_func_get_param_types(lookup("mix"), inst, kinds);
    CHECK(kinds[0] == WASM_F32 && kinds[1] == WASM_F64);
    wasm_func_get_result_types(lookup("pair"), inst, kinds);
    CHECK(kinds[0] == WASM_I32 && kinds[1] == WASM_I64);

    /* i32 cells */
    uint32_t argv[8] = {40, 2};
    CHECK(call("add", 2, argv));
    printf("add(40, 2) = %d\n", (int32_t)argv[0]);

    /* i64 in two cells, low half first */
    uint64_t x = 0x100000001ull;
    memcpy(argv, &x, sizeof x);
    CHECK(call("twice64", 2, argv));
    memcpy(&x, argv, sizeof x);
    printf("twice64(0x100000001) = 0x%llx\n", (unsigned long long)x);

    /* f32 in one cell, f64 in two */
    put_f32(&argv[0], 1.5f);
    put_f64(&argv[1], -2.25);
    CHECK(call("mix", 3, argv));
    printf("mix(1.5, -2.25) = %g\n", get_f64(argv));

    put_f32(&argv[0], 5.0f);
    CHECK(call("half", 1, argv));
    printf("half(5) = %g\n", (double)get_f32(argv));

    /* wasm-only functions */
    int64_t a = -5, b = 0x7fffffff00ll;
    memcpy(&argv[0], &a, 8);
    memcpy(&argv[2], &b, 8);
    CHECK(call("add64", 4, argv));
    memcpy(&a, argv, 8);
    printf("add64 = %lld\n", (long long)a);
    put_f64(&argv[0], 1.5);
    put_f64(&argv[2], 4.0);
    CHECK(call("fmul", 4, argv));
    printf("fmul = %g\n", get_f64(argv));
    argv[0] = 7;
    CHECK(call("pair", 1, argv));
    memcpy(&x, &argv[1], 8);
    printf("pair(7) = %u, %llu\n", argv[0], (unsigned long long)x);

    /* strings and buffers */
    CHECK(call("log", 0, argv));
    argv[0] = 64;
    argv[1] = 8;
    CHECK(call("sum", 2, argv));
    printf("sum(64, 8) = %d\n", (int32_t)argv[0]);
    argv[0] = 65535;
    CHECK(call("first_byte", 1, argv));
    printf("first_byte(65535) = %d\n", (int32_t)argv[0]);

    /* a native with 8 parameters of both classes, interleaved */
    CHECK(call("many", 0, argv));
    printf("many = %d\n", (int32_t)argv[0]);

    /* raw natives */
    argv[0] = 3;
    int64_t seven = 7;
    memcpy(&argv[1], &seven, 8);
    put_f64(&argv[3], 0.5);
    CHECK(call("mul3", 5, argv));
    printf("mul3(3, 7, 0.5) = %g\n", get_f64(argv));
    argv[0] = 16;
    CHECK(call("strlen", 1, argv));
    printf("strlen(16) = %d\n", (int32_t)argv[0]);

    /* failures: bounds checks before the native, traps, a native's exception */
    argv[0] = 65530;
    argv[1] = 100;
    CHECK(!call("sum", 2, argv));
    argv[0] = 65536;
    CHECK(!call("first_byte", 1, argv));
    argv[0] = 70000;
    CHECK(!call("log_at", 1, argv));
    argv[0] = 70000;
    CHECK(!call("strlen", 1, argv));
    CHECK(!call("fail", 0, argv));
    CHECK(!call("unreachable", 0, argv));
    argv[0] = 1;
    argv[1] = 0;
    CHECK(!call("div", 2, argv));
    argv[0] = 0x80000000u;
    argv[1] = (uint32_t)-1;
    CHECK(!call("div", 2, argv));
    /* ... and the instance keeps working, the exception cleared by the next call */
    argv[0] = 1;
    argv[1] = 2;
    CHECK(call("add", 2, argv));
    printf("add(1, 2) = %d\n", (int32_t)argv[0]);
    wasm_runtime_set_exception(inst, "set by the host");
    printf("exception: %s\n", wasm_runtime_get_exception(inst));
    wasm_runtime_clear_exception(inst);
    CHECK(wasm_runtime_get_exception(inst) == NULL);

    /* typed values */
    wasm_val_t args[2], results[1];
    args[0].kind = WASM_I32;
    args[0].of.i32 = 20;
    args[1].kind = WASM_I32;
    args[1].of.i32 = 22;
    CHECK(wasm_runtime_call_wasm_a(env, f_add, 1, results, 2, args));
    CHECK(results[0].kind == WASM_I32);
    printf("call_wasm_a add(20, 22) = %d\n", results[0].of.i32);

    /* the singleton exec env works too */
    wasm_exec_env_t single = wasm_runtime_get_exec_env_singleton(inst);
    CHECK(single != NULL && single != env);
    argv[0] = 5;
    argv[1] = 6;
    CHECK(wasm_runtime_call_wasm(single, f_add, 2, argv));
    CHECK(argv[0] == 11);

    /* address conversion */
    wasm_module_inst_t module_inst = inst;
    char *hello = addr_app_to_native(16);
    CHECK(hello != NULL);
    printf("app 16 -> \"%s\"\n", hello);
    CHECK(addr_native_to_app(hello) == 16);
    CHECK(validate_app_str_addr(16));
    CHECK(validate_app_addr(0, 65536));
    CHECK(validate_app_addr(65535, 1));
    CHECK(!validate_app_addr(65535, 2));
    CHECK(!validate_app_addr(UINT64_MAX, 2)); /* overflowing range */
    printf("after a failed validation: %s\n", wasm_runtime_get_exception(inst));
    wasm_runtime_clear_exception(inst);
    CHECK(addr_app_to_native(65535) != NULL);
    CHECK(addr_app_to_native(65536) == NULL);
    CHECK(wasm_runtime_validate_native_addr(inst, hello, 16));
    CHECK(!wasm_runtime_validate_native_addr(inst, hello, 65536));
    CHECK(!wasm_runtime_validate_native_addr(inst, &argv[0], 4));
    CHECK(addr_native_to_app(&argv[0]) == 0);
    wasm_runtime_clear_exception(inst);
    uint64_t lo = 1, hi = 1;
    CHECK(wasm_runtime_get_app_addr_range(inst, 100, &lo, &hi));
    printf("app range: [%llu, %llu)\n", (unsigned long long)lo, (unsigned long long)hi);
    CHECK(!wasm_runtime_get_app_addr_range(inst, 65536, NULL, NULL));
    uint8_t *nlo, *nhi;
    CHECK(wasm_runtime_get_native_addr_range(inst, (uint8_t *)hello, &nlo, &nhi));
    CHECK(nhi - nlo == 65536 && (uint8_t *)hello - nlo == 16);

    /* module malloc through the module's own malloc */
    void *native = NULL;
    uint64_t p = module_malloc(32, &native);
    CHECK(p != 0 && native == addr_app_to_native(p));
    strcpy(native, "written by the host");
    argv[0] = (uint32_t)p;
    CHECK(call("strlen", 1, argv));
    printf("module_malloc -> %llu, strlen = %d\n", (unsigned long long)p, (int32_t)argv[0]);
    module_free(p);
    uint64_t q = wasm_runtime_module_dup_data(inst, "dup", 4);
    CHECK(q != 0 && strcmp(addr_app_to_native(q), "dup") == 0);

    /* embedder data */
    int marker = 0;
    wasm_runtime_set_custom_data(inst, &marker);
    CHECK(wasm_runtime_get_custom_data(inst) == &marker);
    wasm_runtime_set_user_data(env, &marker);
    CHECK(wasm_runtime_get_user_data(env) == &marker);

    void *block = wasm_runtime_malloc(16);
    CHECK(block != NULL);
    block = wasm_runtime_realloc(block, 32);
    CHECK(block != NULL);
    wasm_runtime_free(block);

    CHECK(wasm_runtime_unregister_natives("raw", raw_natives));
    CHECK(!wasm_runtime_unregister_natives("raw", raw_natives));

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    printf("done\n");
    return 0;
}
