/*
 * wasm_export.h -- WAMR-style embedding of Mica.
 *
 * For programs written against the WebAssembly Micro Runtime's wasm_export.h: the same
 * function names, signatures and type names, so that a typical WAMR embedding (init the
 * runtime, register natives, load, instantiate, look up, call with uint32_t cells, read
 * the exception) compiles against Mica unchanged. The text here is Mica's own; where
 * Mica's behaviour differs from WAMR's, the comments say so.
 *
 * THIS HEADER AND wasm.h
 *
 *   Both WAMR's header and the standard wasm.h name a type wasm_module_t (here a handle
 *   pointer, there a struct), and both define wasm_valkind_t and wasm_val_t. So this header
 *   and Mica's wasm.h cannot be included in the same translation unit: doing so is an
 *   #error. Use each API from its own source files; both are in libmica and may be used by
 *   one program (their objects are not interchangeable).
 *
 * HANDLES AND OWNERSHIP
 *
 *   wasm_module_t       from wasm_runtime_load, owned by the caller: wasm_runtime_unload.
 *   wasm_module_inst_t  from wasm_runtime_instantiate, owned by the caller:
 *                       wasm_runtime_deinstantiate. It owns its exec env singleton, its
 *                       function handles and its exception string.
 *   wasm_exec_env_t     from wasm_runtime_create_exec_env, owned by the caller:
 *                       wasm_runtime_destroy_exec_env, before deinstantiating its instance.
 *                       wasm_runtime_get_exec_env_singleton's is the instance's: never
 *                       destroy it. A native receives the exec env of the call that reached
 *                       it: borrowed for the native's duration.
 *   wasm_function_inst_t from wasm_runtime_lookup_function: borrowed from the instance,
 *                       valid until it is deinstantiated.
 *
 *   A module and its instances may be freed in either order (an instance keeps what it
 *   needs of its module); WAMR requires instances first, which is the portable order.
 *   Buffers passed in (the module bytes, NativeSymbol arrays, strings) are copied: the
 *   caller may free them when the call returns (WAMR requires the module buffer and the
 *   NativeSymbol arrays to outlive their use; Mica does not).
 *
 * ERRORS
 *
 *   Every function checks its arguments. Handles are checked against the set of live
 *   handles before use, so NULL, a destroyed handle, a pointer to anything else or a
 *   handle of the wrong kind is reported, never dereferenced: load and instantiate return
 *   NULL with a message in error_buf (which may be NULL, or of size 0); bool functions
 *   return false; pointer functions NULL; counts 0; void functions do nothing. A call that
 *   fails (a trap, a wrong argument count, a function of another instance) returns false
 *   with the instance's exception set: wasm_runtime_get_exception gives
 *   "Exception: <message>", with the spec's trap messages ("unreachable",
 *   "integer divide by zero", "out of bounds memory access", ...). A panic inside Mica is
 *   caught at the entry point and reported the same way; nothing ever unwinds into C.
 *   Non-null pointers to data (buffers, strings, argv) cannot be checked and must be valid
 *   for the sizes given.
 *
 * NATIVES
 *
 *   wasm_runtime_register_natives(module, symbols, n) makes C functions importable as
 *   module.symbol. Each native is a C function `R f(wasm_exec_env_t exec_env, P1, P2, ...)`
 *   whose parameters after exec_env follow its signature string: "(" one letter per wasm
 *   parameter ")" and at most one result letter:
 *
 *     i  i32 -> int32_t/uint32_t     I  i64 -> int64_t/uint64_t
 *     f  f32 -> float                F  f64 -> double
 *     *  i32 app offset -> a native pointer, checked to lie in memory 0 for the length
 *        given by a following '~', or for 1 byte without one
 *     ~  i32 -> the byte length of the preceding '*' buffer (only right after '*')
 *     $  i32 app offset -> a native `const char *`, checked to be NUL-terminated in memory 0
 *
 *   e.g. "(ii)i", "(I)I", "(fF)F", "($)", "(*~)i", "()". A NULL signature means the
 *   import's own types with no pointer conversion. A failed pointer check traps the call
 *   with "out of bounds memory access" and the native is not called. The signature is
 *   checked against the import's type at instantiation: a mismatch, or an import no native
 *   provides, fails wasm_runtime_instantiate with the names in error_buf.
 *
 *   A native reports an error with wasm_runtime_set_exception(module_inst, message): when
 *   it returns, the call that reached it traps with that exception. It may call back into
 *   wasm (wasm_runtime_call_wasm on its exec env). It must return normally: no longjmp or
 *   C++ exception out of it. Natives may be reached by call, call_indirect, and by the tail
 *   calls return_call / return_call_indirect / return_call_ref.
 *
 *   Calling convention. Mica calls natives the way WAMR's invokeNative does, loading the
 *   argument registers by hand (inline assembly) for x86-64 System V (Linux, macOS, BSDs)
 *   and AArch64 (AAPCS64 and Apple's). Only register arguments are supported: a native may
 *   have at most 5 integer-class parameters (i, I, *, ~, $; 7 on AArch64) and 8
 *   floating-point ones (f, F) after exec_env; a longer signature is refused at
 *   registration. On other targets only raw natives can be registered.
 *
 *   Raw natives (wasm_runtime_register_natives_raw) have the type
 *   `void f(wasm_exec_env_t exec_env, uint64_t *args)`: one 64-bit slot per parameter (an
 *   i32 zero-extended, an f32 in the low 32 bits, '*' and '$' converted and checked as
 *   above), the result written to args[0] (use native_raw_get_arg / native_raw_set_return).
 *   They work on every target, with any number of parameters.
 *
 * THREADS
 *
 *   Registration and the runtime's state are process-wide and thread-safe. A module
 *   instance, its exec envs and functions must be used by one thread at a time.
 *
 * WHAT IS LEFT OUT
 *
 *   AOT and XIP modules, running modes other than the interpreter, the host-managed heap
 *   (heap_size is ignored; wasm_runtime_module_malloc calls the module's own exported
 *   malloc/free), stack sizes (ignored: Mica sizes its stacks itself), pool and custom
 *   allocators (accepted in RuntimeInitArgs, not used), WASI
 *   (wasm_runtime_set_wasi_args*, wasm_application_execute_main/func), multi-module and
 *   wasm_runtime_register_module, imports other than functions (memories, tables, globals),
 *   externref ('r') in signatures, wasm_runtime_call_wasm_v (variadic) and
 *   wasm_runtime_call_indirect, threads (spawn_exec_env, spawn_thread), wasm_runtime_terminate,
 *   the import/export/type reflection functions, memory instance functions
 *   (wasm_runtime_get_memory and friends), shared heaps, debugging and profiling.
 */

#ifndef MICA_WASM_EXPORT_H
#define MICA_WASM_EXPORT_H

#ifdef MICA_WASM_H
#error "wasm_export.h and wasm.h cannot be included in the same translation unit (both define wasm_module_t and wasm_val_t): use each API from its own source files"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WASM_RUNTIME_API_EXTERN
#define WASM_RUNTIME_API_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Natives (WAMR's lib_export.h) ---------------------------------------------------- */

typedef struct NativeSymbol {
    const char *symbol;    /* the import's field name */
    void *func_ptr;        /* the C function */
    const char *signature; /* e.g. "(ii)i"; NULL: the import's types, no conversion */
    void *attachment;      /* returned by wasm_runtime_get_function_attachment in the native */
} NativeSymbol;

#define EXPORT_WASM_API(symbol) { #symbol, (void *)symbol, NULL, NULL }
#define EXPORT_WASM_API_WITH_SIG(symbol, signature) { #symbol, (void *)symbol, signature, NULL }
#define EXPORT_WASM_API_WITH_ATT(symbol, signature, attachment) \
    { #symbol, (void *)symbol, signature, attachment }

/* ---- Handles ----------------------------------------------------------------------------- */

struct mica_wamr_module;
typedef struct mica_wamr_module *wasm_module_t;
struct mica_wamr_module_inst;
typedef struct mica_wamr_module_inst *wasm_module_inst_t;
struct mica_wamr_exec_env;
typedef struct mica_wamr_exec_env *wasm_exec_env_t;
struct mica_wamr_function;
typedef struct mica_wamr_function *wasm_function_inst_t;

/* ---- Helpers for natives, as WAMR spells them ------------------------------------------- */

#define get_module_inst(exec_env) wasm_runtime_get_module_inst(exec_env)
#define validate_app_addr(offset, size) wasm_runtime_validate_app_addr(module_inst, offset, size)
#define validate_app_str_addr(offset) wasm_runtime_validate_app_str_addr(module_inst, offset)
#define addr_app_to_native(offset) wasm_runtime_addr_app_to_native(module_inst, offset)
#define addr_native_to_app(ptr) wasm_runtime_addr_native_to_app(module_inst, ptr)
#define module_malloc(size, p_native_addr) wasm_runtime_module_malloc(module_inst, size, p_native_addr)
#define module_free(offset) wasm_runtime_module_free(module_inst, offset)

#define native_raw_return_type(type, args) type *raw_ret = (type *)(args)
#define native_raw_get_arg(type, name, args) type name = *((type *)(args++))
#define native_raw_set_return(val) *raw_ret = (val)

/* ---- Values ------------------------------------------------------------------------------ */

#ifndef WASM_VALKIND_T_DEFINED
#define WASM_VALKIND_T_DEFINED
typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
    WASM_I32,
    WASM_I64,
    WASM_F32,
    WASM_F64,
    WASM_V128,
    WASM_EXTERNREF = 128,
    WASM_FUNCREF,
};
#endif

#ifndef WASM_VAL_T_DEFINED
#define WASM_VAL_T_DEFINED
struct wasm_ref_t;
typedef struct wasm_val_t {
    wasm_valkind_t kind;
    uint8_t _paddings[7];
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        uintptr_t foreign;
        struct wasm_ref_t *ref;
    } of;
} wasm_val_t;
#endif

/* ---- Runtime ----------------------------------------------------------------------------- */

typedef enum {
    Alloc_With_Pool = 0,
    Alloc_With_Allocator,
    Alloc_With_System_Allocator,
} mem_alloc_type_t;

typedef union MemAllocOption {
    struct {
        void *heap_buf;
        uint32_t heap_size;
    } pool;
    struct {
        void *malloc_func;
        void *realloc_func;
        void *free_func;
        void *user_data;
    } allocator;
} MemAllocOption;

typedef enum RunningMode {
    Mode_Interp = 1,
    Mode_Fast_JIT,
    Mode_LLVM_JIT,
    Mode_Multi_Tier_JIT,
} RunningMode;

/* wasm_runtime_full_init reads running_mode (0 or Mode_Interp) and the three native_*
 * fields; the allocator fields are accepted and not used (Mica allocates with the C
 * library); every other field is ignored. Zero the struct before setting fields. */
typedef struct RuntimeInitArgs {
    mem_alloc_type_t mem_alloc_type;
    MemAllocOption mem_alloc_option;
    const char *native_module_name;
    NativeSymbol *native_symbols;
    uint32_t n_native_symbols;
    uint32_t max_thread_num;
    char ip_addr[128];
    int unused;
    int instance_port;
    uint32_t fast_jit_code_cache_size;
    uint32_t gc_heap_size;
    RunningMode running_mode;
    uint32_t llvm_jit_opt_level;
    uint32_t llvm_jit_size_level;
    uint32_t segue_flags;
    bool enable_linux_perf;
} RuntimeInitArgs;

typedef enum {
    WASM_LOG_LEVEL_FATAL = 0,
    WASM_LOG_LEVEL_ERROR = 1,
    WASM_LOG_LEVEL_WARNING = 2,
    WASM_LOG_LEVEL_DEBUG = 3,
    WASM_LOG_LEVEL_VERBOSE = 4
} log_level_t;

/* Sets the runtime up (WebAssembly 3.0, tail calls included). True; again while set up,
 * does nothing and returns true. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_init(void);

/* wasm_runtime_init, then registers args->native_symbols under args->native_module_name
 * when n_native_symbols is not 0. False for NULL args, a running mode other than 0 or
 * Mode_Interp, or natives that cannot be registered. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_full_init(RuntimeInitArgs *args);

/* Forgets the registered natives and the runtime's setup; loading needs wasm_runtime_init
 * again. Objects still alive keep working and must still be freed. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_destroy(void);

/* Accepted and ignored. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_log_level(log_level_t level);

/* The C library's malloc/realloc/free. */
WASM_RUNTIME_API_EXTERN void *wasm_runtime_malloc(unsigned int size);
WASM_RUNTIME_API_EXTERN void *wasm_runtime_realloc(void *ptr, unsigned int size);
WASM_RUNTIME_API_EXTERN void wasm_runtime_free(void *ptr);

/* Registers n natives under module_name (see NATIVES), all or none. The array is copied and
 * is still the registration's name for wasm_runtime_unregister_natives. False if the
 * runtime is not set up, module_name or a symbol or function is NULL, a signature is
 * malformed or has more parameters than registers hold. Instances link natives when they
 * are instantiated; a later registration of a name wins over an earlier one. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_register_natives(const char *module_name, NativeSymbol *native_symbols,
                                                           uint32_t n_native_symbols);

/* As wasm_runtime_register_natives, for raw natives (see NATIVES). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_register_natives_raw(const char *module_name, NativeSymbol *native_symbols,
                                                               uint32_t n_native_symbols);

/* Undoes the registration made with this module name and this array pointer; instances
 * already linked keep their natives. False if there is none. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_unregister_natives(const char *module_name, NativeSymbol *native_symbols);

/* ---- Modules and instances ------------------------------------------------------------- */

/* Loads (decodes and validates) a binary module from buf[0..size); the bytes are copied.
 * Returns own, or NULL with "WASM module load failed: ..." in error_buf. */
WASM_RUNTIME_API_EXTERN wasm_module_t wasm_runtime_load(uint8_t *buf, uint32_t size, char *error_buf,
                                                        uint32_t error_buf_size);

/* Frees a module (NULL or invalid: nothing). */
WASM_RUNTIME_API_EXTERN void wasm_runtime_unload(wasm_module_t module);

/* Instantiates: links every import to a registered native (signature checked against the
 * import's type) and runs the start function, whose natives see the instance's exec env
 * singleton. stack_size and heap_size are ignored. Returns own, or NULL with
 * "WASM module instantiate failed: ..." in error_buf (an unknown import, a signature
 * mismatch, a non-function import, a trap in the start function). */
WASM_RUNTIME_API_EXTERN wasm_module_inst_t wasm_runtime_instantiate(const wasm_module_t module, uint32_t stack_size,
                                                                    uint32_t heap_size, char *error_buf,
                                                                    uint32_t error_buf_size);

/* Frees an instance with its singleton exec env and function handles. Nothing for NULL or
 * an invalid handle, and nothing while a call runs on it (from one of its natives). */
WASM_RUNTIME_API_EXTERN void wasm_runtime_deinstantiate(wasm_module_inst_t module_inst);

/* The module the instance came from, borrowed; NULL once it is unloaded. */
WASM_RUNTIME_API_EXTERN wasm_module_t wasm_runtime_get_module(wasm_module_inst_t module_inst);

/* The exported function `name`, borrowed from the instance; NULL if there is none. */
WASM_RUNTIME_API_EXTERN wasm_function_inst_t wasm_runtime_lookup_function(const wasm_module_inst_t module_inst,
                                                                          const char *name);

/* Parameter / result counts, and their kinds written to an array of that many. 0 / nothing
 * if the function is not one of module_inst's. */
WASM_RUNTIME_API_EXTERN uint32_t wasm_func_get_param_count(const wasm_function_inst_t func_inst,
                                                           const wasm_module_inst_t module_inst);
WASM_RUNTIME_API_EXTERN uint32_t wasm_func_get_result_count(const wasm_function_inst_t func_inst,
                                                            const wasm_module_inst_t module_inst);
WASM_RUNTIME_API_EXTERN void wasm_func_get_param_types(const wasm_function_inst_t func_inst,
                                                       const wasm_module_inst_t module_inst,
                                                       wasm_valkind_t *param_types);
WASM_RUNTIME_API_EXTERN void wasm_func_get_result_types(const wasm_function_inst_t func_inst,
                                                        const wasm_module_inst_t module_inst,
                                                        wasm_valkind_t *result_types);

/* The instance's exception ("Exception: ..."), or NULL. Borrowed: valid until the exception
 * is set or cleared again (a call clears it first) or the instance is deinstantiated. */
WASM_RUNTIME_API_EXTERN const char *wasm_runtime_get_exception(wasm_module_inst_t module_inst);

/* Sets the exception to "Exception: " + exception (copied); NULL clears it. From a native:
 * the call that reached the native traps with it once the native returns. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_exception(wasm_module_inst_t module_inst, const char *exception);

WASM_RUNTIME_API_EXTERN void wasm_runtime_clear_exception(wasm_module_inst_t module_inst);

/* A pointer the instance keeps for the embedder (not owned). */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_custom_data(wasm_module_inst_t module_inst, void *custom_data);
WASM_RUNTIME_API_EXTERN void *wasm_runtime_get_custom_data(wasm_module_inst_t module_inst);

/* ---- Execution environments and calls -------------------------------------------------- */

/* A new exec env for the instance (stack_size is ignored). Returns own, NULL for an
 * invalid instance. */
WASM_RUNTIME_API_EXTERN wasm_exec_env_t wasm_runtime_create_exec_env(wasm_module_inst_t module_inst,
                                                                     uint32_t stack_size);

/* Frees an exec env from wasm_runtime_create_exec_env. Nothing for the singleton, for an
 * env a call runs on, or an invalid handle. */
WASM_RUNTIME_API_EXTERN void wasm_runtime_destroy_exec_env(wasm_exec_env_t exec_env);

/* The instance's own exec env: borrowed, never destroy it. */
WASM_RUNTIME_API_EXTERN wasm_exec_env_t wasm_runtime_get_exec_env_singleton(wasm_module_inst_t module_inst);

/* The instance an exec env runs on (NULL if it was deinstantiated). */
WASM_RUNTIME_API_EXTERN wasm_module_inst_t wasm_runtime_get_module_inst(wasm_exec_env_t exec_env);

/* In a native: its NativeSymbol's attachment. NULL outside natives. */
WASM_RUNTIME_API_EXTERN void *wasm_runtime_get_function_attachment(wasm_exec_env_t exec_env);

/* A pointer the exec env keeps for the embedder (not owned). */
WASM_RUNTIME_API_EXTERN void wasm_runtime_set_user_data(wasm_exec_env_t exec_env, void *user_data);
WASM_RUNTIME_API_EXTERN void *wasm_runtime_get_user_data(wasm_exec_env_t exec_env);

/* Calls `function` (of exec_env's instance) with its parameters in argv[0..argc): an i32 or
 * f32 takes one cell, an i64 or f64 two (low half first). The results are written from
 * argv[0] on, so argv needs room for max(parameter cells, result cells). False on a trap, a
 * function of another instance, argc smaller than the parameter cells, a NULL argv, or a
 * parameter or result of a reference or vector type: the instance's exception says which.
 * A native may call this on the exec env it received. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_call_wasm(wasm_exec_env_t exec_env, wasm_function_inst_t function,
                                                    uint32_t argc, uint32_t argv[]);

/* As wasm_runtime_call_wasm with typed values: num_args and num_results must be the
 * function's counts and each argument's kind its parameter's (WASM_I32..WASM_F64). */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_call_wasm_a(wasm_exec_env_t exec_env, wasm_function_inst_t function,
                                                      uint32_t num_results, wasm_val_t results[], uint32_t num_args,
                                                      wasm_val_t *args);

/* ---- Addresses (memory 0) ---------------------------------------------------------------
 *
 * App addresses are offsets into the instance's memory 0; native addresses are pointers into
 * its bytes, valid until the memory grows or the instance is deinstantiated. A failed
 * validation also sets the instance's exception ("out of bounds memory access"). An
 * instance without memory validates nothing. */

/* Whether [app_offset, app_offset + size) is inside memory 0. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_validate_app_addr(wasm_module_inst_t module_inst, uint64_t app_offset,
                                                            uint64_t size);

/* Whether a NUL-terminated string starts at app_str_offset, NUL inside memory 0. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_validate_app_str_addr(wasm_module_inst_t module_inst,
                                                                uint64_t app_str_offset);

/* Whether [native_ptr, native_ptr + size) is inside memory 0. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_validate_native_addr(wasm_module_inst_t module_inst, void *native_ptr,
                                                               uint64_t size);

/* The native address of app_offset; NULL unless app_offset < the memory's size. */
WASM_RUNTIME_API_EXTERN void *wasm_runtime_addr_app_to_native(wasm_module_inst_t module_inst, uint64_t app_offset);

/* The app offset of a native address inside memory 0; 0 for any other. */
WASM_RUNTIME_API_EXTERN uint64_t wasm_runtime_addr_native_to_app(wasm_module_inst_t module_inst, void *native_ptr);

/* The app / native range holding an address (memory 0's), each output may be NULL; false if
 * the address is outside it. */
WASM_RUNTIME_API_EXTERN bool wasm_runtime_get_app_addr_range(wasm_module_inst_t module_inst, uint64_t app_offset,
                                                             uint64_t *p_app_start_offset,
                                                             uint64_t *p_app_end_offset);
WASM_RUNTIME_API_EXTERN bool wasm_runtime_get_native_addr_range(wasm_module_inst_t module_inst, uint8_t *native_ptr,
                                                                uint8_t **p_native_start_addr,
                                                                uint8_t **p_native_end_addr);

/* Allocates in memory 0 by calling the module's exported malloc (i32) -> i32: the app
 * offset, and its native address in *p_native_addr if that is not NULL; 0 (and NULL) if the
 * module exports no such malloc, it returns 0, or it traps (the exception is then set).
 * The allocation may grow the memory, invalidating native addresses. */
WASM_RUNTIME_API_EXTERN uint64_t wasm_runtime_module_malloc(wasm_module_inst_t module_inst, uint64_t size,
                                                            void **p_native_addr);

/* Frees an offset from wasm_runtime_module_malloc with the module's exported free (i32). */
WASM_RUNTIME_API_EXTERN void wasm_runtime_module_free(wasm_module_inst_t module_inst, uint64_t ptr);

/* wasm_runtime_module_malloc(size), then copies size bytes from src there. */
WASM_RUNTIME_API_EXTERN uint64_t wasm_runtime_module_dup_data(wasm_module_inst_t module_inst, const char *src,
                                                              uint64_t size);

#ifdef __cplusplus
}
#endif

#endif /* MICA_WASM_EXPORT_H */
