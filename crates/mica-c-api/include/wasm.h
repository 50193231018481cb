/*
 * wasm.h -- Mica's implementation of the WebAssembly C API.
 *
 * This header declares the standard embedding interface of the WebAssembly C API
 * (github.com/WebAssembly/wasm-c-api): the names, types and signatures programs written
 * against that API expect, so that they compile against Mica unchanged. The text here is
 * Mica's own; where the standard leaves a behaviour open, the comments say what Mica does.
 *
 * OWNERSHIP
 *
 *   Every object the API hands out is either owned by the caller or borrowed:
 *
 *   - A function whose comment says "returns own" gives the caller an object it must
 *     release with the matching wasm_X_delete (wasm_X_vec_delete for vectors).
 *   - A parameter marked "(own)" is taken over: the caller must not use or delete it
 *     afterwards. Where that parameter is a vector passed by pointer, Mica takes the
 *     vector's elements and leaves the caller's vector empty ({0, NULL}).
 *   - An output parameter named `out` receives an owned value (a vector or a wasm_val_t).
 *   - Everything else is borrowed: the callee neither keeps nor deletes it, and a borrowed
 *     result lives as long as the object it was obtained from.
 *   - A vector owns its element array and, for vectors of pointers, every non-null
 *     element: deleting the vector deletes them. A wasm_val_t owns the reference it holds
 *     (for WASM_ANYREF and WASM_FUNCREF values with a non-null ref).
 *
 *   Deleting a handle to a runtime object (a function, global, table, memory, instance,
 *   foreign object or reference) releases that handle only; the object itself belongs to
 *   its store. A store and everything made in it are freed once the store and every handle
 *   to an object of it have been deleted, in any order.
 *
 * ERRORS
 *
 *   Every function checks its arguments: a null pointer, a vector whose size is not zero
 *   but whose data is null, an object of another store, a value of the wrong kind, a
 *   wrong number of arguments. A misuse is reported through the function's result: NULL
 *   for a pointer, false for a bool, 0 for a size, a trap for wasm_func_call and
 *   wasm_instance_new, nothing for functions returning void (an output parameter is set to
 *   an empty value). Nothing is printed. Mica cannot check pointers that are not null
 *   but do not point at a live object of the right type: passing one is undefined.
 *
 * THREADS
 *
 *   Engines, configurations, shared modules and types may be used from any thread. A
 *   store, and every object made in it, must be used by one thread at a time.
 */

#ifndef MICA_WASM_H
#define MICA_WASM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef WASM_API_EXTERN
#if defined(_WIN32) && !defined(__MINGW32__) && !defined(LIBWASM_STATIC)
#define WASM_API_EXTERN __declspec(dllimport)
#else
#define WASM_API_EXTERN
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------
 * Basic types
 */

static_assert(sizeof(float) == 4, "Mica's C API needs a 32-bit float");
static_assert(sizeof(double) == 8, "Mica's C API needs a 64-bit double");

typedef char byte_t;
typedef float float32_t;
typedef double float64_t;

/* Declares the opaque type wasm_<name>_t and its destructor, wasm_<name>_delete, which
 * accepts NULL. */
#define MICA_WASM_OBJECT(name)                 \
  typedef struct wasm_##name##_t wasm_##name##_t; \
  WASM_API_EXTERN void wasm_##name##_delete(wasm_##name##_t*);

/* Declares wasm_<name>_vec_t, a counted array of wasm_<name>_t<ptr>, and its functions:
 *
 *   _new_empty(out)              out = {0, NULL}.
 *   _new_uninitialized(out, n)   out = n zeroed elements (null pointers for vectors of
 *                                pointers); {0, NULL} if the memory cannot be had.
 *   _new(out, n, elems)          out = a new array holding the n elements; the elements
 *                                themselves are taken over (own), the array is copied.
 *   _copy(out, vec)              out = a deep copy of vec (each element copied).
 *   _delete(vec)                 deletes the elements (vectors of pointers; null
 *                                elements are skipped) and the array, and sets vec to
 *                                {0, NULL}. Only for vectors this library allocated.
 */
#define MICA_WASM_VEC(name, ptr)                                                      \
  typedef struct wasm_##name##_vec_t {                                                \
    size_t size;                                                                      \
    wasm_##name##_t ptr* data;                                                        \
  } wasm_##name##_vec_t;                                                              \
  WASM_API_EXTERN void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out);         \
  WASM_API_EXTERN void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, \
                                                           size_t size);              \
  WASM_API_EXTERN void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t size,  \
                                             wasm_##name##_t ptr const elems[]);      \
  WASM_API_EXTERN void wasm_##name##_vec_copy(wasm_##name##_vec_t* out,              \
                                              const wasm_##name##_vec_t* vec);        \
  WASM_API_EXTERN void wasm_##name##_vec_delete(wasm_##name##_vec_t* vec);

/* A type description: an object, a vector of them, and wasm_<name>_copy (returns own). */
#define MICA_WASM_TYPE(name) \
  MICA_WASM_OBJECT(name)     \
  MICA_WASM_VEC(name, *)     \
  WASM_API_EXTERN wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t*);

/* A handle to a runtime object: copy (returns own: a new handle to the same object),
 * same (whether two handles name the same object), and host info.
 *
 * Host info is a pointer the embedder attaches to the object (not to the handle): every
 * handle to the object sees it, including handles Mica makes later (a reference passed
 * back out of wasm, for example). Setting it again replaces the previous pointer without
 * running the previous finalizer. The finalizer, if one was given, runs exactly once, with
 * the host info, when the object is freed: for objects of a store (functions, globals,
 * tables, memories, instances, foreign objects) when the store and every handle to an
 * object of it are gone; for traps and modules when their last handle is deleted.
 * get_host_info returns NULL if none was set. */
#define MICA_WASM_REF_BASE(name)                                                      \
  MICA_WASM_OBJECT(name)                                                              \
  WASM_API_EXTERN wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t*);        \
  WASM_API_EXTERN bool wasm_##name##_same(const wasm_##name##_t*,                     \
                                          const wasm_##name##_t*);                    \
  WASM_API_EXTERN void* wasm_##name##_get_host_info(const wasm_##name##_t*);          \
  WASM_API_EXTERN void wasm_##name##_set_host_info(wasm_##name##_t*, void* info);     \
  WASM_API_EXTERN void wasm_##name##_set_host_info_with_finalizer(                    \
      wasm_##name##_t*, void* info, void (*finalizer)(void*));

/* A runtime object that is also a reference (wasm_ref_t). The conversions return
 * borrowed views of the same handle (never own): as_ref never fails for a non-null
 * argument; ref_as_<name> returns NULL if the reference is not of that kind. */
#define MICA_WASM_REF(name)                                                          \
  MICA_WASM_REF_BASE(name)                                                           \
  WASM_API_EXTERN wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t*);                \
  WASM_API_EXTERN wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t*);                  \
  WASM_API_EXTERN const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t*); \
  WASM_API_EXTERN const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t*);

/* ---------------------------------------------------------------------------------------
 * Byte vectors and names
 */

typedef byte_t wasm_byte_t;
MICA_WASM_VEC(byte, )

/* A name is a byte vector; it is not NUL-terminated unless said so. */
typedef wasm_byte_vec_t wasm_name_t;

#define wasm_name wasm_byte_vec
#define wasm_name_new wasm_byte_vec_new
#define wasm_name_new_empty wasm_byte_vec_new_empty
#define wasm_name_new_new_uninitialized wasm_byte_vec_new_uninitialized
#define wasm_name_copy wasm_byte_vec_copy
#define wasm_name_delete wasm_byte_vec_delete

/* out = the bytes of the C string s, without its NUL. */
static inline void wasm_name_new_from_string(wasm_name_t* out, const char* s) {
  wasm_name_new(out, strlen(s), s);
}

/* out = the bytes of the C string s, with its NUL. */
static inline void wasm_name_new_from_string_nt(wasm_name_t* out, const char* s) {
  wasm_name_new(out, strlen(s) + 1, s);
}

/* ---------------------------------------------------------------------------------------
 * Configuration, engine, store
 */

/* A configuration, for wasm_engine_new_with_config. Returns own. Mica's defaults: those of
 * Mica's default configuration (its WebAssembly features and limits), except that a store
 * may hold up to 2^20 instances. */
MICA_WASM_OBJECT(config)
WASM_API_EXTERN wasm_config_t* wasm_config_new(void);

/* An engine: compiled modules and stores belong to one. Returns own. An engine may be
 * deleted while stores and modules made with it live: they keep what they need. */
MICA_WASM_OBJECT(engine)
WASM_API_EXTERN wasm_engine_t* wasm_engine_new(void);
/* Takes the configuration over (own), even on failure. */
WASM_API_EXTERN wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* config);

/* A store: the runtime objects of the instances made in it. Returns own. */
MICA_WASM_OBJECT(store)
WASM_API_EXTERN wasm_store_t* wasm_store_new(wasm_engine_t*);

/* ---------------------------------------------------------------------------------------
 * Types
 */

typedef uint8_t wasm_mutability_t;
enum wasm_mutability_enum {
  WASM_CONST,
  WASM_VAR,
};

/* Limits of a table (elements) or a memory (64 KiB pages). A max of
 * wasm_limits_max_default means "no maximum". */
typedef struct wasm_limits_t {
  uint32_t min;
  uint32_t max;
} wasm_limits_t;

static const uint32_t wasm_limits_max_default = 0xffffffff;

/* Value types. WASM_ANYREF is the standard's name for host references, which Mica
 * represents as `externref` (WASM_EXTERNREF is the same kind under its current name).
 * A type the standard has no kind for (v128, typed function references, GC types) is
 * reported with the kind MICA_WASM_OTHER; functions with such types cannot be called or
 * created through this API. */
typedef uint8_t wasm_valkind_t;
enum wasm_valkind_enum {
  WASM_I32,
  WASM_I64,
  WASM_F32,
  WASM_F64,
  WASM_ANYREF = 128,
  WASM_FUNCREF,
  WASM_EXTERNREF = WASM_ANYREF,
  MICA_WASM_OTHER = 255,
};

MICA_WASM_TYPE(valtype)

/* Returns own; NULL for a kind that is not one of the enumerators above (MICA_WASM_OTHER
 * included). */
WASM_API_EXTERN wasm_valtype_t* wasm_valtype_new(wasm_valkind_t);
WASM_API_EXTERN wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t*);

static inline bool wasm_valkind_is_num(wasm_valkind_t k) { return k < WASM_ANYREF; }
static inline bool wasm_valkind_is_ref(wasm_valkind_t k) { return k >= WASM_ANYREF; }
static inline bool wasm_valtype_is_num(const wasm_valtype_t* t) {
  return wasm_valkind_is_num(wasm_valtype_kind(t));
}
static inline bool wasm_valtype_is_ref(const wasm_valtype_t* t) {
  return wasm_valkind_is_ref(wasm_valtype_kind(t));
}

/* Function types. wasm_functype_new takes both vectors over (own) and leaves them empty;
 * NULL if either is null or holds a null element. The params/results accessors return
 * borrowed vectors that live as long as the function type. */
MICA_WASM_TYPE(functype)
WASM_API_EXTERN wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params,
                                                   wasm_valtype_vec_t* results);
WASM_API_EXTERN const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t*);
WASM_API_EXTERN const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t*);

/* Global types. wasm_globaltype_new takes the value type over (own). The content accessor
 * returns a borrowed value type. */
MICA_WASM_TYPE(globaltype)
WASM_API_EXTERN wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content,
                                                       wasm_mutability_t);
WASM_API_EXTERN const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t*);
WASM_API_EXTERN wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t*);

/* Table types. wasm_tabletype_new takes the element type over (own): it must be a
 * reference type. The accessors return borrowed values. */
MICA_WASM_TYPE(tabletype)
WASM_API_EXTERN wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* element,
                                                     const wasm_limits_t*);
WASM_API_EXTERN const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t*);
WASM_API_EXTERN const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t*);

/* Memory types (limits in 64 KiB pages). */
MICA_WASM_TYPE(memorytype)
WASM_API_EXTERN wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t*);
WASM_API_EXTERN const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t*);

/* Extern types: any of the four above. The as_ conversions return borrowed views of the
 * same object (NULL if the kind differs); deleting the view deletes the object. */
MICA_WASM_TYPE(externtype)

typedef uint8_t wasm_externkind_t;
enum wasm_externkind_enum {
  WASM_EXTERN_FUNC,
  WASM_EXTERN_GLOBAL,
  WASM_EXTERN_TABLE,
  WASM_EXTERN_MEMORY,
};

WASM_API_EXTERN wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t*);

WASM_API_EXTERN wasm_externtype_t* wasm_functype_as_externtype(wasm_functype_t*);
WASM_API_EXTERN wasm_externtype_t* wasm_globaltype_as_externtype(wasm_globaltype_t*);
WASM_API_EXTERN wasm_externtype_t* wasm_tabletype_as_externtype(wasm_tabletype_t*);
WASM_API_EXTERN wasm_externtype_t* wasm_memorytype_as_externtype(wasm_memorytype_t*);
WASM_API_EXTERN wasm_functype_t* wasm_externtype_as_functype(wasm_externtype_t*);
WASM_API_EXTERN wasm_globaltype_t* wasm_externtype_as_globaltype(wasm_externtype_t*);
WASM_API_EXTERN wasm_tabletype_t* wasm_externtype_as_tabletype(wasm_externtype_t*);
WASM_API_EXTERN wasm_memorytype_t* wasm_externtype_as_memorytype(wasm_externtype_t*);

WASM_API_EXTERN const wasm_externtype_t* wasm_functype_as_externtype_const(const wasm_functype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_globaltype_as_externtype_const(const wasm_globaltype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_tabletype_as_externtype_const(const wasm_tabletype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_memorytype_as_externtype_const(const wasm_memorytype_t*);
WASM_API_EXTERN const wasm_functype_t* wasm_externtype_as_functype_const(const wasm_externtype_t*);
WASM_API_EXTERN const wasm_globaltype_t* wasm_externtype_as_globaltype_const(const wasm_externtype_t*);
WASM_API_EXTERN const wasm_tabletype_t* wasm_externtype_as_tabletype_const(const wasm_externtype_t*);
WASM_API_EXTERN const wasm_memorytype_t* wasm_externtype_as_memorytype_const(const wasm_externtype_t*);

/* Import types: module name, field name, type. wasm_importtype_new takes all three over
 * (own); the accessors return borrowed values. */
MICA_WASM_TYPE(importtype)
WASM_API_EXTERN wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name,
                                                       wasm_externtype_t*);
WASM_API_EXTERN const wasm_name_t* wasm_importtype_module(const wasm_importtype_t*);
WASM_API_EXTERN const wasm_name_t* wasm_importtype_name(const wasm_importtype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t*);

/* Export types: name and type, as import types. */
MICA_WASM_TYPE(exporttype)
WASM_API_EXTERN wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t*);
WASM_API_EXTERN const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t*);
WASM_API_EXTERN const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t*);

/* ---------------------------------------------------------------------------------------
 * Values
 */

struct wasm_ref_t;

/* A value: its kind and, in `of`, the member of that kind. A reference value owns its
 * `ref` (NULL is the null reference). */
typedef struct wasm_val_t {
  wasm_valkind_t kind;
  union {
    int32_t i32;
    int64_t i64;
    float32_t f32;
    float64_t f64;
    struct wasm_ref_t* ref;
  } of;
} wasm_val_t;

/* Deletes the reference a value holds, if any (and sets it to NULL). */
WASM_API_EXTERN void wasm_val_delete(wasm_val_t* v);
/* out = a copy of the value (a new handle for a reference). */
WASM_API_EXTERN void wasm_val_copy(wasm_val_t* out, const wasm_val_t*);

/* A vector of values; deleting it deletes the references its values hold. */
MICA_WASM_VEC(val, )

/* ---------------------------------------------------------------------------------------
 * References, frames, traps, foreign objects
 */

MICA_WASM_REF_BASE(ref)

/* A frame of a trap's backtrace. The instance is borrowed (it lives as long as the
 * frame) and NULL where unknown (a host function's frame); the offsets are byte
 * offsets of the instruction in the module and from the start of its function's body. */
MICA_WASM_OBJECT(frame)
MICA_WASM_VEC(frame, *)
WASM_API_EXTERN wasm_frame_t* wasm_frame_copy(const wasm_frame_t*);
WASM_API_EXTERN struct wasm_instance_t* wasm_frame_instance(const wasm_frame_t*);
WASM_API_EXTERN uint32_t wasm_frame_func_index(const wasm_frame_t*);
WASM_API_EXTERN size_t wasm_frame_func_offset(const wasm_frame_t*);
WASM_API_EXTERN size_t wasm_frame_module_offset(const wasm_frame_t*);

/* A trap message: a byte vector that, as the API produces it, ends in a NUL. */
typedef wasm_name_t wasm_message_t;

/* Traps: what a failed call or instantiation returns, and what a host function returns to
 * make its caller trap. wasm_trap_new copies the message (a trailing NUL is optional) and
 * returns own. wasm_trap_message sets out to a NUL-terminated copy of the message.
 * wasm_trap_origin returns own: the innermost wasm frame, or NULL if there is none (a trap
 * made by wasm_trap_new and not yet returned through wasm). wasm_trap_trace sets out to
 * the frames, innermost first. A trap that a host function returned carries the frames of
 * the wasm code that called it. */
MICA_WASM_REF(trap)
WASM_API_EXTERN wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t*);
WASM_API_EXTERN void wasm_trap_message(const wasm_trap_t*, wasm_message_t* out);
WASM_API_EXTERN wasm_frame_t* wasm_trap_origin(const wasm_trap_t*);
WASM_API_EXTERN void wasm_trap_trace(const wasm_trap_t*, wasm_frame_vec_t* out);

/* Foreign objects: host objects that wasm sees as non-null WASM_ANYREF references. Returns
 * own. */
MICA_WASM_REF(foreign)
WASM_API_EXTERN wasm_foreign_t* wasm_foreign_new(wasm_store_t*);

/* ---------------------------------------------------------------------------------------
 * Modules
 */

/* A module. wasm_module_share returns own: a thread-safe form of the module; obtain makes
 * a module of it again, for any store of an engine with the same configuration. */
MICA_WASM_REF(module)
MICA_WASM_OBJECT(shared_module)
WASM_API_EXTERN wasm_shared_module_t* wasm_module_share(const wasm_module_t*);
WASM_API_EXTERN wasm_module_t* wasm_module_obtain(wasm_store_t*, const wasm_shared_module_t*);

/* Compiles (validates and translates) a binary module. Returns own, or NULL if the bytes
 * are not a valid module. The binary is borrowed. */
WASM_API_EXTERN wasm_module_t* wasm_module_new(wasm_store_t*, const wasm_byte_vec_t* binary);
WASM_API_EXTERN bool wasm_module_validate(wasm_store_t*, const wasm_byte_vec_t* binary);

/* out = the imports (exports), in the module's order. Imports and exports of a kind the
 * standard cannot name (exception tags) are left out. */
WASM_API_EXTERN void wasm_module_imports(const wasm_module_t*, wasm_importtype_vec_t* out);
WASM_API_EXTERN void wasm_module_exports(const wasm_module_t*, wasm_exporttype_vec_t* out);

/* out = the module in Mica's serialized form; deserialize loads such bytes back (NULL if
 * they are not from this version of Mica with an engine of the same configuration). */
WASM_API_EXTERN void wasm_module_serialize(const wasm_module_t*, wasm_byte_vec_t* out);
WASM_API_EXTERN wasm_module_t* wasm_module_deserialize(wasm_store_t*, const wasm_byte_vec_t*);

/* ---------------------------------------------------------------------------------------
 * Functions
 */

MICA_WASM_REF(func)

/* A host function. `args` (borrowed) holds the arguments; `results` holds one slot per
 * result (each initialised to a null reference of kind WASM_ANYREF), which the callback
 * sets; Mica takes the references placed there. Returning NULL succeeds; returning a trap
 * (own: Mica takes it) makes the call trap with that trap's message. The callback may call
 * back into its store (wasm_func_call, globals, tables, memories). */
typedef wasm_trap_t* (*wasm_func_callback_t)(const wasm_val_vec_t* args, wasm_val_vec_t* results);
typedef wasm_trap_t* (*wasm_func_callback_with_env_t)(void* env, const wasm_val_vec_t* args,
                                                      wasm_val_vec_t* results);

/* Returns own. The function type is borrowed. NULL if the type has a kind Mica cannot
 * pass (MICA_WASM_OTHER). */
WASM_API_EXTERN wasm_func_t* wasm_func_new(wasm_store_t*, const wasm_functype_t*,
                                           wasm_func_callback_t);
/* As wasm_func_new, with `env` passed to every call. The finalizer, if not NULL, runs once
 * with `env` when the store and every handle to an object of it are gone (or at once, if
 * the function cannot be made). */
WASM_API_EXTERN wasm_func_t* wasm_func_new_with_env(wasm_store_t*, const wasm_functype_t* type,
                                                    wasm_func_callback_with_env_t, void* env,
                                                    void (*finalizer)(void*));

/* Returns own. */
WASM_API_EXTERN wasm_functype_t* wasm_func_type(const wasm_func_t*);
WASM_API_EXTERN size_t wasm_func_param_arity(const wasm_func_t*);
WASM_API_EXTERN size_t wasm_func_result_arity(const wasm_func_t*);

/* Calls the function. `args` is borrowed and must hold one value of the right kind per
 * parameter (NULL stands for an empty vector); `results` must have one slot per result:
 * on success they are overwritten with the results, whose references the caller then owns.
 * Returns NULL on success, or own: a trap (the function trapped, a callback returned a
 * trap, or the arguments were wrong), leaving `results` untouched. The arguments are
 * checked before the call; the size of `results` only once the function returns, so a
 * call that traps returns its trap whatever room `results` has, and a call that returns
 * into a `results` of the wrong size drops its results and returns a trap saying so. */
WASM_API_EXTERN wasm_trap_t* wasm_func_call(const wasm_func_t*, const wasm_val_vec_t* args,
                                            wasm_val_vec_t* results);

/* ---------------------------------------------------------------------------------------
 * Globals, tables, memories
 */

MICA_WASM_REF(global)

/* Returns own. Type and value are borrowed; NULL if the value is not of the type. */
WASM_API_EXTERN wasm_global_t* wasm_global_new(wasm_store_t*, const wasm_globaltype_t*,
                                               const wasm_val_t*);
/* Returns own. */
WASM_API_EXTERN wasm_globaltype_t* wasm_global_type(const wasm_global_t*);
/* out = the value (own). On a misuse, out is set to a null WASM_ANYREF. */
WASM_API_EXTERN void wasm_global_get(const wasm_global_t*, wasm_val_t* out);
/* The value is borrowed. Does nothing if the global is immutable or the value is not of
 * its type. */
WASM_API_EXTERN void wasm_global_set(wasm_global_t*, const wasm_val_t*);

MICA_WASM_REF(table)

typedef uint32_t wasm_table_size_t;

/* Returns own. `init` (borrowed, NULL for the null reference) fills the table. */
WASM_API_EXTERN wasm_table_t* wasm_table_new(wasm_store_t*, const wasm_tabletype_t*,
                                             wasm_ref_t* init);
/* Returns own. */
WASM_API_EXTERN wasm_tabletype_t* wasm_table_type(const wasm_table_t*);
/* Returns own: the element, or NULL for a null element or an index out of bounds. */
WASM_API_EXTERN wasm_ref_t* wasm_table_get(const wasm_table_t*, wasm_table_size_t index);
/* The reference is borrowed (NULL: the null reference). false if the index is out of
 * bounds or the reference is not of the table's element type. */
WASM_API_EXTERN bool wasm_table_set(wasm_table_t*, wasm_table_size_t index, wasm_ref_t*);
WASM_API_EXTERN wasm_table_size_t wasm_table_size(const wasm_table_t*);
/* Grows by delta elements set to `init` (borrowed); false if the table cannot grow. */
WASM_API_EXTERN bool wasm_table_grow(wasm_table_t*, wasm_table_size_t delta, wasm_ref_t* init);

MICA_WASM_REF(memory)

typedef uint32_t wasm_memory_pages_t;

static const size_t MEMORY_PAGE_SIZE = 0x10000;

/* Returns own. */
WASM_API_EXTERN wasm_memory_t* wasm_memory_new(wasm_store_t*, const wasm_memorytype_t*);
/* Returns own. */
WASM_API_EXTERN wasm_memorytype_t* wasm_memory_type(const wasm_memory_t*);
/* The memory's bytes (borrowed): valid until the memory grows or its store is freed. */
WASM_API_EXTERN byte_t* wasm_memory_data(wasm_memory_t*);
WASM_API_EXTERN size_t wasm_memory_data_size(const wasm_memory_t*);
WASM_API_EXTERN wasm_memory_pages_t wasm_memory_size(const wasm_memory_t*);
/* false if the memory cannot grow by delta pages. */
WASM_API_EXTERN bool wasm_memory_grow(wasm_memory_t*, wasm_memory_pages_t delta);

/* ---------------------------------------------------------------------------------------
 * Externals: a function, global, table or memory, as imports and exports see them
 */

MICA_WASM_REF(extern)
MICA_WASM_VEC(extern, *)

WASM_API_EXTERN wasm_externkind_t wasm_extern_kind(const wasm_extern_t*);
/* Returns own: the type now (a table's or memory's current size as its minimum). */
WASM_API_EXTERN wasm_externtype_t* wasm_extern_type(const wasm_extern_t*);

/* Borrowed views of the same handle; the extern-to-X conversions return NULL if the kind
 * differs. */
WASM_API_EXTERN wasm_extern_t* wasm_func_as_extern(wasm_func_t*);
WASM_API_EXTERN wasm_extern_t* wasm_global_as_extern(wasm_global_t*);
WASM_API_EXTERN wasm_extern_t* wasm_table_as_extern(wasm_table_t*);
WASM_API_EXTERN wasm_extern_t* wasm_memory_as_extern(wasm_memory_t*);
WASM_API_EXTERN wasm_func_t* wasm_extern_as_func(wasm_extern_t*);
WASM_API_EXTERN wasm_global_t* wasm_extern_as_global(wasm_extern_t*);
WASM_API_EXTERN wasm_table_t* wasm_extern_as_table(wasm_extern_t*);
WASM_API_EXTERN wasm_memory_t* wasm_extern_as_memory(wasm_extern_t*);

WASM_API_EXTERN const wasm_extern_t* wasm_func_as_extern_const(const wasm_func_t*);
WASM_API_EXTERN const wasm_extern_t* wasm_global_as_extern_const(const wasm_global_t*);
WASM_API_EXTERN const wasm_extern_t* wasm_table_as_extern_const(const wasm_table_t*);
WASM_API_EXTERN const wasm_extern_t* wasm_memory_as_extern_const(const wasm_memory_t*);
WASM_API_EXTERN const wasm_func_t* wasm_extern_as_func_const(const wasm_extern_t*);
WASM_API_EXTERN const wasm_global_t* wasm_extern_as_global_const(const wasm_extern_t*);
WASM_API_EXTERN const wasm_table_t* wasm_extern_as_table_const(const wasm_extern_t*);
WASM_API_EXTERN const wasm_memory_t* wasm_extern_as_memory_const(const wasm_extern_t*);

/* ---------------------------------------------------------------------------------------
 * Instances
 */

MICA_WASM_REF(instance)

/* Instantiates the module with `imports` (borrowed; one per import, in the module's
 * order; NULL stands for none) and runs its start function. Returns own, or NULL: then, if
 * `trap` is not NULL, *trap is set to an owned trap saying why (a link error, an import of
 * another store, a trapping start function); on success *trap is set to NULL. */
WASM_API_EXTERN wasm_instance_t* wasm_instance_new(wasm_store_t*, const wasm_module_t*,
                                                   const wasm_extern_vec_t* imports,
                                                   wasm_trap_t** trap);

/* out = the exports (own handles), in the module's order. */
WASM_API_EXTERN void wasm_instance_exports(const wasm_instance_t*, wasm_extern_vec_t* out);

/* ---------------------------------------------------------------------------------------
 * Conveniences
 */

#define WASM_EMPTY_VEC {0, NULL}
#define WASM_ARRAY_VEC(array) {sizeof(array) / sizeof(*(array)), array}

static inline wasm_valtype_t* wasm_valtype_new_i32(void) { return wasm_valtype_new(WASM_I32); }
static inline wasm_valtype_t* wasm_valtype_new_i64(void) { return wasm_valtype_new(WASM_I64); }
static inline wasm_valtype_t* wasm_valtype_new_f32(void) { return wasm_valtype_new(WASM_F32); }
static inline wasm_valtype_t* wasm_valtype_new_f64(void) { return wasm_valtype_new(WASM_F64); }
static inline wasm_valtype_t* wasm_valtype_new_anyref(void) { return wasm_valtype_new(WASM_ANYREF); }
static inline wasm_valtype_t* wasm_valtype_new_externref(void) { return wasm_valtype_new(WASM_EXTERNREF); }
static inline wasm_valtype_t* wasm_valtype_new_funcref(void) { return wasm_valtype_new(WASM_FUNCREF); }

/* Function types from up to three parameter and two result types, all taken over (own).
 * The name says how many: wasm_functype_new_<params>_<results>. */
static inline wasm_functype_t* mica_wasm_functype_of(size_t np, wasm_valtype_t* const* ps,
                                                     size_t nr, wasm_valtype_t* const* rs) {
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, np, ps);
  wasm_valtype_vec_new(&results, nr, rs);
  return wasm_functype_new(&params, &results);
}

static inline wasm_functype_t* wasm_functype_new_0_0(void) {
  return mica_wasm_functype_of(0, NULL, 0, NULL);
}
static inline wasm_functype_t* wasm_functype_new_1_0(wasm_valtype_t* p) {
  wasm_valtype_t* ps[1] = {p};
  return mica_wasm_functype_of(1, ps, 0, NULL);
}
static inline wasm_functype_t* wasm_functype_new_2_0(wasm_valtype_t* p1, wasm_valtype_t* p2) {
  wasm_valtype_t* ps[2] = {p1, p2};
  return mica_wasm_functype_of(2, ps, 0, NULL);
}
static inline wasm_functype_t* wasm_functype_new_3_0(wasm_valtype_t* p1, wasm_valtype_t* p2,
                                                     wasm_valtype_t* p3) {
  wasm_valtype_t* ps[3] = {p1, p2, p3};
  return mica_wasm_functype_of(3, ps, 0, NULL);
}
static inline wasm_functype_t* wasm_functype_new_0_1(wasm_valtype_t* r) {
  wasm_valtype_t* rs[1] = {r};
  return mica_wasm_functype_of(0, NULL, 1, rs);
}
static inline wasm_functype_t* wasm_functype_new_1_1(wasm_valtype_t* p, wasm_valtype_t* r) {
  wasm_valtype_t* ps[1] = {p};
  wasm_valtype_t* rs[1] = {r};
  return mica_wasm_functype_of(1, ps, 1, rs);
}
static inline wasm_functype_t* wasm_functype_new_2_1(wasm_valtype_t* p1, wasm_valtype_t* p2,
                                                     wasm_valtype_t* r) {
  wasm_valtype_t* ps[2] = {p1, p2};
  wasm_valtype_t* rs[1] = {r};
  return mica_wasm_functype_of(2, ps, 1, rs);
}
static inline wasm_functype_t* wasm_functype_new_3_1(wasm_valtype_t* p1, wasm_valtype_t* p2,
                                                     wasm_valtype_t* p3, wasm_valtype_t* r) {
  wasm_valtype_t* ps[3] = {p1, p2, p3};
  wasm_valtype_t* rs[1] = {r};
  return mica_wasm_functype_of(3, ps, 1, rs);
}
static inline wasm_functype_t* wasm_functype_new_0_2(wasm_valtype_t* r1, wasm_valtype_t* r2) {
  wasm_valtype_t* rs[2] = {r1, r2};
  return mica_wasm_functype_of(0, NULL, 2, rs);
}
static inline wasm_functype_t* wasm_functype_new_1_2(wasm_valtype_t* p, wasm_valtype_t* r1,
                                                     wasm_valtype_t* r2) {
  wasm_valtype_t* ps[1] = {p};
  wasm_valtype_t* rs[2] = {r1, r2};
  return mica_wasm_functype_of(1, ps, 2, rs);
}
static inline wasm_functype_t* wasm_functype_new_2_2(wasm_valtype_t* p1, wasm_valtype_t* p2,
                                                     wasm_valtype_t* r1, wasm_valtype_t* r2) {
  wasm_valtype_t* ps[2] = {p1, p2};
  wasm_valtype_t* rs[2] = {r1, r2};
  return mica_wasm_functype_of(2, ps, 2, rs);
}
static inline wasm_functype_t* wasm_functype_new_3_2(wasm_valtype_t* p1, wasm_valtype_t* p2,
                                                     wasm_valtype_t* p3, wasm_valtype_t* r1,
                                                     wasm_valtype_t* r2) {
  wasm_valtype_t* ps[3] = {p1, p2, p3};
  wasm_valtype_t* rs[2] = {r1, r2};
  return mica_wasm_functype_of(3, ps, 2, rs);
}

/* A pointer as an integer value of the pointer's width, and back. */
static inline void wasm_val_init_ptr(wasm_val_t* out, void* p) {
#if UINTPTR_MAX == UINT32_MAX
  out->kind = WASM_I32;
  out->of.i32 = (int32_t)(intptr_t)p;
#else
  out->kind = WASM_I64;
  out->of.i64 = (int64_t)(intptr_t)p;
#endif
}

static inline void* wasm_val_ptr(const wasm_val_t* val) {
#if UINTPTR_MAX == UINT32_MAX
  return (void*)(intptr_t)val->of.i32;
#else
  return (void*)(intptr_t)val->of.i64;
#endif
}

/* Initialisers for wasm_val_t. WASM_INIT_VAL is a null reference: a value slot with
 * nothing to delete. */
#define WASM_I32_VAL(x) {.kind = WASM_I32, .of = {.i32 = (x)}}
#define WASM_I64_VAL(x) {.kind = WASM_I64, .of = {.i64 = (x)}}
#define WASM_F32_VAL(x) {.kind = WASM_F32, .of = {.f32 = (x)}}
#define WASM_F64_VAL(x) {.kind = WASM_F64, .of = {.f64 = (x)}}
#define WASM_REF_VAL(r) {.kind = WASM_ANYREF, .of = {.ref = (r)}}
#define WASM_INIT_VAL {.kind = WASM_ANYREF, .of = {.ref = NULL}}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MICA_WASM_H */
