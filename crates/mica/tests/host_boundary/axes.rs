//! The matrix's axes and the model of what every combination must do.
//!
//! Each combination is one call form × one target × one position × one behaviour × one
//! translation mode. The position says *where* the call is made (which frames are live, which
//! were released); the behaviour says *what* the target does. Together they are the issue's
//! "situations".

use mica::{TranslationMode, V128, Val, ValType};

/// How the call is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Call,
    CallIndirect,
    ReturnCall,
    ReturnCallIndirect,
    /// Typed function references: a call through `(ref.func $target)`.
    CallRef,
    ReturnCallRef,
}

impl Form {
    pub const ALL: [Form; 6] = [
        Form::Call,
        Form::CallIndirect,
        Form::ReturnCall,
        Form::ReturnCallIndirect,
        Form::CallRef,
        Form::ReturnCallRef,
    ];

    pub fn is_tail(self) -> bool {
        matches!(
            self,
            Form::ReturnCall | Form::ReturnCallIndirect | Form::ReturnCallRef
        )
    }
}

/// What is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A wasm function of the calling instance.
    LocalWasm,
    /// A wasm function of another instance (`b`), imported.
    ImportedWasm,
    /// A host function defined with `Linker::func_wrap`.
    HostWrap,
    /// A host function defined with `Linker::func_new` (untyped values).
    HostUntyped,
    /// A host function the caller does not import: instance `b` imports it and puts it in its
    /// table. Indirect forms call through `b`'s table (imported); the other forms call the
    /// `Func` that the embedder read out of that table element and linked as `b.via_table`.
    HostViaTable,
}

impl Target {
    pub const ALL: [Target; 5] = [
        Target::LocalWasm,
        Target::ImportedWasm,
        Target::HostWrap,
        Target::HostUntyped,
        Target::HostViaTable,
    ];

    pub fn is_host(self) -> bool {
        matches!(
            self,
            Target::HostWrap | Target::HostUntyped | Target::HostViaTable
        )
    }

    /// A constant each target adds to its results, so that the test knows which one ran.
    pub fn k(self) -> i32 {
        match self {
            Target::LocalWasm => 1000,
            Target::ImportedWasm => 2000,
            Target::HostWrap => 3000,
            Target::HostUntyped => 4000,
            Target::HostViaTable => 5000,
        }
    }

    /// How a host target names itself in the host log.
    pub fn tag(self) -> &'static str {
        match self {
            Target::LocalWasm => "local",
            Target::ImportedWasm => "imported",
            Target::HostWrap => "wrap",
            Target::HostUntyped => "untyped",
            Target::HostViaTable => "table",
        }
    }
}

/// Where the call is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// In the exported function the embedder calls: a tail call releases the activation's
    /// first frame.
    Entry,
    /// In a function the export called: there is one suspended wasm caller.
    Top,
    /// At the end of [`CALL_DEPTH`] nested ordinary calls.
    CallChain,
    /// At the end of [`TAIL_DEPTH`] tail calls alternating between a small and a large
    /// frame, entered by an ordinary call.
    TailChain,
    /// Right after a tail call (wasm → larger wasm frame → host) returned into the
    /// performing frame.
    AfterTailReturn,
    /// In the start function (for targets with results, in a function the start function
    /// calls, as a tail call from the start function can only target a function without
    /// results); arguments come from memory and results go to memory.
    Start,
}

impl Position {
    pub const ALL: [Position; 6] = [
        Position::Entry,
        Position::Top,
        Position::CallChain,
        Position::TailChain,
        Position::AfterTailReturn,
        Position::Start,
    ];
}

/// What the target does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behavior {
    /// Returns one value.
    One,
    /// Returns `i32 i64 f64`.
    Several,
    /// Returns nothing; leaves its second argument in memory.
    Nothing,
    /// Traps (host: returns an error; wasm: `unreachable`) when its first argument is 13.
    Traps,
    /// Calls back into wasm: a host target through its `Caller`, a wasm target through the
    /// host function `env.bounce`. The re-entered export tail-calls another host function.
    CallsBack,
    /// Takes `(i32, v128, i64)` and returns `(v128, i32)` (see [`vector_args`] and
    /// [`vector_results`]): each `v128` takes two frame cells, so parameters and results sit
    /// at other cells than their index says, and the target's frame is larger than the
    /// `(i32, i32)` frame that calls (or tail-calls) it.
    Vector,
    /// Throws an exception of tag `env.exn` carrying `a + k` when its first argument is 13
    /// (host: returns an `ExnRef` as its error; wasm: `throw`); no handler catches it, so it
    /// unwinds every frame of the position and reaches the embedder with its tag and value.
    Throws,
    /// Writes `b` to the second memory (`mem1`, a 32-bit memory 1) and `a` to the 64-bit
    /// memory (`mem64`, memory 2), reads both back and returns `b * 7 + a + k`: a host target
    /// through the memories its caller exports, a wasm target with its own accesses. The test
    /// then finds both values in the memories.
    Memories,
}

impl Behavior {
    pub const ALL: [Behavior; 8] = [
        Behavior::One,
        Behavior::Several,
        Behavior::Nothing,
        Behavior::Traps,
        Behavior::Throws,
        Behavior::CallsBack,
        Behavior::Vector,
        Behavior::Memories,
    ];

    /// The `(param ...)` clause of the target's type.
    pub fn params_text(self) -> &'static str {
        match self {
            Behavior::Vector => "(param i32 v128 i64)",
            _ => "(param i32 i32)",
        }
    }

    /// The `(result ...)` clause of the target's type.
    pub fn results_text(self) -> &'static str {
        match self {
            Behavior::Several => "(result i32 i64 f64)",
            Behavior::Nothing => "",
            Behavior::Vector => "(result v128 i32)",
            Behavior::One | Behavior::Traps | Behavior::Throws | Behavior::CallsBack | Behavior::Memories => {
                "(result i32)"
            }
        }
    }

    /// The target's parameter types.
    pub fn params(self) -> Vec<ValType> {
        match self {
            Behavior::Vector => vec![ValType::I32, ValType::V128, ValType::I64],
            _ => vec![ValType::I32, ValType::I32],
        }
    }

    /// The target's result types.
    pub fn results(self) -> Vec<ValType> {
        match self {
            Behavior::Several => vec![ValType::I32, ValType::I64, ValType::F64],
            Behavior::Nothing => vec![],
            Behavior::Vector => vec![ValType::V128, ValType::I32],
            Behavior::One | Behavior::Traps | Behavior::Throws | Behavior::CallsBack | Behavior::Memories => {
                vec![ValType::I32]
            }
        }
    }
}

/// The arguments a caller passes to a `Vector` target for `(a, b)`: `a`; the vector of `i32`
/// lanes `[a, b, !a, b ^ 0x5a5a5a5a]` (lane 0 lowest); and `(b << 32 | a as u32) ^
/// 0x0123456789abcdef`. (`wat::target_args` builds the same in wasm.)
pub fn vector_args(a: i32, b: i32) -> (i32, V128, i64) {
    let lanes = [a, b, !a, b ^ 0x5a5a_5a5a].map(|lane| lane as u32 as u128);
    let v = lanes[0] | lanes[1] << 32 | lanes[2] << 64 | lanes[3] << 96;
    let x = ((b as u32 as u64) << 32 | a as u32 as u64) ^ 0x0123_4567_89ab_cdef;
    (a, V128::from(v), x as i64)
}

/// What a `Vector` target that adds `k` returns for `(a, v, x)`: the vector of `i64` lanes
/// `[v.hi + x, v.lo + k]`, and `a * 7 + (x >> 32) + k` (wrapping). Every bit of every
/// parameter reaches a result. (`wat::wasm_target_body` computes the same in wasm.)
pub fn vector_results(k: i32, a: i32, v: V128, x: i64) -> (V128, i32) {
    let v = v.as_u128();
    let (lo, hi) = (v as u64, (v >> 64) as u64);
    let lane0 = hi.wrapping_add(x as u64);
    let lane1 = lo.wrapping_add(k as i64 as u64);
    let r = a
        .wrapping_mul(7)
        .wrapping_add((x >> 32) as i32)
        .wrapping_add(k);
    (V128::from(lane0 as u128 | (lane1 as u128) << 64), r)
}

/// What a `Memories` target that adds `k` returns for `(a, b)`.
pub fn memories_result(k: i32, a: i32, b: i32) -> i32 {
    b.wrapping_mul(7).wrapping_add(a).wrapping_add(k)
}

/// How a `Vector` target names its call in the host log: `a`, and `b` from lane 1 of `v`.
pub fn vector_b(v: V128) -> i32 {
    (v.as_u128() >> 32) as u32 as i32
}

/// Every translation mode the engine offers. The `match` turns a new mode into a compile
/// error here, so that it cannot be left out of the matrix.
pub fn every_translation_mode() -> [TranslationMode; 2] {
    let modes = [TranslationMode::Eager, TranslationMode::Lazy];
    for mode in modes {
        match mode {
            TranslationMode::Eager | TranslationMode::Lazy => {}
        }
    }
    modes
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Combo {
    pub form: Form,
    pub target: Target,
    pub position: Position,
    pub behavior: Behavior,
    pub mode: TranslationMode,
}

impl std::fmt::Display for Combo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} → {:?}, {:?}, {:?}, {:?}",
            self.form, self.target, self.position, self.behavior, self.mode
        )
    }
}

/// Every combination, in a fixed order.
pub fn all_combos() -> Vec<Combo> {
    let mut combos = Vec::new();
    for mode in every_translation_mode() {
        for form in Form::ALL {
            for target in Target::ALL {
                for position in Position::ALL {
                    for behavior in Behavior::ALL {
                        combos.push(Combo {
                            form,
                            target,
                            position,
                            behavior,
                            mode,
                        });
                    }
                }
            }
        }
    }
    combos
}

/// Nested ordinary calls before the call under test.
pub const CALL_DEPTH: usize = 100;
/// Tail calls before the call under test (even: the chain ends in `$tchain`).
pub const TAIL_DEPTH: usize = 1000;
/// The first argument that makes a `Traps` target trap.
pub const TRAP_ARG: i32 = 13;
/// Journal entries the host function `host2` (reached by re-entry) adds: this plus its argument.
pub const HOST2_NOTE: i32 = 9000;

/// What one call of the target with `(a, b)` must produce.
pub struct Expected {
    pub results: Vec<Val>,
    /// Entries appended to the memory journal, in order.
    pub journal: Vec<i32>,
    /// Lines appended to the host log, in order.
    pub log: Vec<String>,
    pub traps: bool,
    /// The value of the exception it throws, if it throws one.
    pub throws: Option<i32>,
}

/// The model: what the target does when called with `(a, b)`.
pub fn expect_target(combo: &Combo, a: i32, b: i32) -> Expected {
    let Combo {
        target,
        behavior,
        position,
        ..
    } = *combo;
    let k = target.k();
    let mut log = Vec::new();
    if position == Position::AfterTailReturn {
        log.push(format!("scale({a})"));
    }
    if target.is_host() {
        log.push(format!("{}({a},{b})", target.tag()));
    }
    let mut journal = vec![k + a];
    let one = a.wrapping_mul(7).wrapping_add(b).wrapping_add(k);
    let (results, traps) = match behavior {
        Behavior::One => (vec![Val::I32(one)], false),
        Behavior::Several => (
            vec![
                Val::I32(a + k),
                Val::I64(((b as u32 as i64) << 32) | a as u32 as i64),
                Val::f64(a as f64 * 0.5 + k as f64),
            ],
            false,
        ),
        Behavior::Nothing => (vec![], false),
        Behavior::Traps if a == TRAP_ARG => (vec![], true),
        Behavior::Traps => (vec![Val::I32(one)], false),
        Behavior::Throws if a == TRAP_ARG => {
            return Expected { results: vec![], journal, log, traps: false, throws: Some(a + k) };
        }
        Behavior::Throws => (vec![Val::I32(one)], false),
        Behavior::CallsBack => {
            if !target.is_host() {
                log.push(format!("bounce({a})"));
            }
            log.push(format!("host2({})", a + 1));
            journal.push(HOST2_NOTE + a + 1);
            (vec![Val::I32((a + 1) * 3 + b + k)], false)
        }
        Behavior::Vector => {
            let (a, v, x) = vector_args(a, b);
            let (v, r) = vector_results(k, a, v, x);
            (vec![Val::V128(v), Val::I32(r)], false)
        }
        Behavior::Memories => (vec![Val::I32(memories_result(k, a, b))], false),
    };
    Expected {
        results,
        journal,
        log,
        traps,
        throws: None,
    }
}

/// The wasm backtrace (function names, innermost first) of a trapping target.
///
/// Host frames do not appear in backtraces. A wasm function that made a tail call is gone
/// from the stack: if the target is wasm, it is not in the backtrace. If the target is a
/// host function, Mica attributes the host call to the frame that made it, released or not
/// (that frame is the innermost wasm frame of the trap).
pub fn expect_backtrace(combo: &Combo) -> Vec<String> {
    let (performer, callers): (&str, Vec<&str>) = match combo.position {
        Position::Entry => ("run", vec![]),
        Position::Top => ("mid", vec!["run"]),
        Position::CallChain => {
            let mut callers = vec!["chain"; CALL_DEPTH];
            callers.push("run");
            ("chain", callers)
        }
        Position::TailChain => ("tchain", vec!["run"]),
        Position::AfterTailReturn => ("mid2", vec!["run"]),
        Position::Start if combo.behavior == Behavior::Nothing => ("start", vec![]),
        Position::Start => ("mid", vec!["start"]),
    };
    let mut backtrace = Vec::new();
    if !combo.target.is_host() {
        backtrace.push("target");
    }
    let performer_released = combo.form.is_tail() && !combo.target.is_host();
    if !performer_released {
        backtrace.push(performer);
    }
    backtrace.extend(callers);
    backtrace.into_iter().map(String::from).collect()
}
