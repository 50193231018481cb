//! Mica's internal instruction set, declared once.
//!
//! A function body is translated into a flat array of [`Instr`]. Every instruction is declared
//! once, in the table of `table.rs`; the enum below and every query on instructions are
//! generated from it, and passes see operands through their shapes (`shapes.rs`). Operands are addressed
//! directly: every value lives in a *slot* of the function's frame (parameters and locals first,
//! then one slot per operand-stack position), and each instruction names the slots it reads and
//! writes. Nothing is pushed or popped at run time.
//!
//! Branch offsets are relative to the branch instruction itself, in instructions.
//!
//! Design rules (keep them true when adding instructions):
//! - An instruction is at most 16 bytes (checked below); wide immediates go to the function's
//!   constant pool.
//! - Slots are [`Slot`]s, relative to the frame base; a `v128` takes two adjacent slots
//!   (operand roles `vdst` and `vread`), low half first.
//! - Memory instructions name their memory (`memory: u8`); which handler runs an access is
//!   chosen from the memory's type when the code is encoded (ARCHITECTURE.md, "Memories").
//! - `try_table`'s and legacy `try`'s catch clauses are not instructions: they are listed
//!   beside the code ([`Catch`]).

mod branch;
mod disasm;
mod shapes;
mod table;
mod verify;

pub(crate) use branch::thread_jumps;
pub(crate) use shapes::*;
pub(crate) use table::for_each_instr;
pub(crate) use verify::{ModuleCounts, VerifyBuffers, verify};

use crate::cell::Cell;
use crate::error::TrapCode;
use alloc::boxed::Box;

/// A translated and verified function: its bytecode, each instruction's accumulator form (as
/// the verifier found it, which the executor's encoder needs to pick handlers), and what a
/// frame of it needs. Only `translate_func` makes one, and only after `verify` passed.
pub(crate) struct Bytecode<'a> {
    pub code: &'a [Instr],
    pub forms: &'a [u8],
    /// 64-bit constants that `Const64` instructions load.
    pub consts: Box<[Cell]>,
    /// Each instruction that may trap (calls included) and the module offset of the operator
    /// it came from, by instruction index.
    pub traps: Box<[(u32, u32)]>,
    /// The `try_table` catch clauses, innermost first (see [`Catch`]).
    pub catches: Box<[Catch]>,
    pub num_params: usize,
    /// Parameters plus declared locals.
    pub num_locals: usize,
    /// Cells the frame needs: locals, constant slots, operand slots, room for the results.
    pub frame_size: usize,
    /// The form bits of accesses to memory 0 (`acc::memory0_form`); accesses to other
    /// memories are `acc::NAMED`, with `acc::MEM64` for those in `memories_64`.
    pub memory0_form: u8,
    /// Which memories are 64-bit (`acc::memories_64`).
    pub memories_64: u128,
    /// Whether the code checks the epoch deadline (`Config::epoch_interruption`): then
    /// backward branches, calls and `br_table`s get handlers that check it (`exec::encode`).
    pub epochs: bool,
    /// Where the frame holds references the collector follows, at each instruction where a
    /// collection can happen (empty for functions of modules without GC references).
    pub stack_maps: StackMaps,
}

/// A function's stack maps: the frame slots that may hold a reference the collector follows
/// (one of the `any` or `extern` hierarchies) while an instruction that can collect runs —
/// an allocation (its own operands included) or a call (the operands below its arguments,
/// which the callee's frame holds) — and the locals of such types, which are live throughout.
#[derive(Debug, Default, Clone)]
pub(crate) struct StackMaps {
    /// Instruction index, then where its slots start in `slots` and how many: sorted by index.
    pub points: Box<[(u32, u32, u32)]>,
    pub slots: Box<[Slot]>,
    pub locals: Box<[Slot]>,
}

impl StackMaps {
    /// The operand slots live at instruction `ip`, if a collection can happen there.
    pub(crate) fn at(&self, ip: usize) -> Option<&[Slot]> {
        let i = self.points.binary_search_by_key(&(ip as u32), |&(at, _, _)| at).ok()?;
        let (_, start, len) = self.points[i];
        self.slots.get(start as usize..(start + len) as usize)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

/// A catch clause of a `try_table` (or of a legacy `try`): where a throw inside it goes. A
/// function's clauses are listed innermost block first (in the order the blocks end), each
/// block's in the order it names them, so the first clause that covers the throwing
/// instruction and matches the exception's tag is the one the spec chooses.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) struct Catch {
    /// The instructions the block's body translated to: `start..end`.
    pub start: u32,
    pub end: u32,
    pub kind: CatchKind,
}

#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum CatchKind {
    /// A handler: continue at `pad` with the exception's values in `slot..` (and its
    /// reference where `exn` says). A `try_table`'s pad takes the values to the clause's
    /// label as `br` would; a legacy `catch`'s pad is its body.
    Land {
        /// The module's tag index it catches, or `None` for `catch_all`/`catch_all_ref`.
        tag: Option<u32>,
        pad: u32,
        slot: Slot,
        exn: ExnAt,
    },
    /// A legacy `try ... delegate l`: the search goes on from clause `resume` of the list,
    /// the first one of the blocks that end after label `l`'s (so `l`'s own clauses, if it
    /// is a `try`, and those around it).
    Delegate { resume: u32 },
}

/// Where a handler wants the exception's reference.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum ExnAt {
    Nowhere,
    /// Right after the values (`catch_ref`, `catch_all_ref`).
    AfterValues,
    /// In this slot (a legacy `catch` that a `rethrow` refers to).
    Slot(Slot),
}

/// A heap type as `ref.test`/`ref.cast` carry it (`RefTest::heap`): a module type index
/// below [`ABSTRACT_HEAP`], or an abstract heap type at `ABSTRACT_HEAP + ` its position in
/// [`ABSTRACT_HEAP_TYPES`].
pub(crate) const ABSTRACT_HEAP: u32 = 0xffff_ff00;
pub(crate) const ABSTRACT_HEAP_TYPES: [crate::types::HeapType; 12] = {
    use crate::types::HeapType as H;
    [H::Func, H::NoFunc, H::Extern, H::NoExtern, H::Exn, H::NoExn, H::Any, H::Eq, H::I31, H::Struct, H::Array, H::None]
};

/// What a `RefTest`'s `heap` names.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum HeapCode {
    /// A type of the module, by index.
    Type(u32),
    Abstract(crate::types::HeapType),
}

impl HeapCode {
    pub(crate) fn encode(self) -> u32 {
        match self {
            HeapCode::Type(i) => i,
            HeapCode::Abstract(h) => {
                ABSTRACT_HEAP + ABSTRACT_HEAP_TYPES.iter().position(|&x| x == h).unwrap_or(0) as u32
            }
        }
    }

    pub(crate) fn decode(code: u32) -> HeapCode {
        match code.checked_sub(ABSTRACT_HEAP) {
            Some(k) => HeapCode::Abstract(ABSTRACT_HEAP_TYPES.get(k as usize).copied().unwrap_or(crate::types::HeapType::None)),
            None => HeapCode::Type(code),
        }
    }
}

/// `RefTest::nullable`'s flags: null passes the test; the result is negated (`br_on_cast_fail`).
pub(crate) const TEST_NULLABLE: u8 = 1;
pub(crate) const TEST_NEGATE: u8 = 2;

/// The most bytes an executor may take to encode one instruction (checked by the executor).
pub(crate) const MAX_ENCODED_SIZE: usize = 32;

/// The most instructions a function may have: branch offsets must fit in an `i32` once the
/// executor turns them into byte offsets.
pub(crate) const MAX_CODE_LEN: usize = i32::MAX as usize / MAX_ENCODED_SIZE;

/// A frame slot index, relative to the frame base.
pub type Slot = u16;

/// The largest number of slots a function frame may have. Slot `Slot::MAX` is never a frame
/// slot: it names the accumulator ([`ACC`]).
pub const MAX_SLOTS: usize = Slot::MAX as usize;

/// The accumulator: an operand named `ACC` is not in the frame but in a machine register the
/// interpreter carries from one instruction to the next (one for integers and `f32` bits, one
/// for `f64`). An instruction may write its result to `ACC` only when the instruction that
/// consumes the value comes straight after it (with at most constant and copy moves between,
/// and no branch target), so the value never lives longer than one dispatch. See
/// [`Instr::acc_form`] and the verifier, which checks this.
pub const ACC: Slot = Slot::MAX;

/// Which operands of an instruction are the accumulator (see [`Instr::acc_form`]).
pub mod acc {
    /// The result is written to the accumulator.
    pub const DST: u8 = 1;
    /// The first operand (`a`, `src`, `addr`, `cond`) is read from the accumulator.
    pub const X: u8 = 2;
    /// The second operand (`b`, a store's `value`) is read from the accumulator.
    pub const Y: u8 = 4;
    /// The result is written to its slot (a local) and to the accumulator too. Not visible
    /// in the instruction: the translator lists such instructions, and the verifier adds the
    /// bit to their form.
    pub const ALSO: u8 = 8;
    /// Not an accumulator bit: the executor's *named* form of a memory access, which finds
    /// its memory by the instruction's `memory` index among the running instance's memories
    /// (`exec::threaded::View`) instead of in the handlers' registers. Accesses to memories
    /// other than 0 take it, and to a memory 0 with one-byte pages (`exec::encode`; see
    /// [`Instr::memory_access`]); with `MEM64` for a 64-bit memory, whose addresses are the
    /// whole cell, else the address is the cell's `i32`.
    pub const NAMED: u8 = 16;
    /// Not an accumulator bit either: an access with 64-bit addresses. Alone, an access to
    /// memory 0 when it is a 64-bit memory (with 64 KiB pages), which the handlers carry in
    /// registers as they do a 32-bit one; with `NAMED`, an access to a 64-bit memory by index.
    pub const MEM64: u8 = 32;

    /// The form bits of an access to memory 0 of the given type: none for a 32-bit memory
    /// with 64 KiB pages (the fastest form), `MEM64` for a 64-bit one, `NAMED` (with `MEM64`
    /// if 64-bit) for one with one-byte pages.
    pub(crate) fn memory0_form(is_64: bool, page_size_log2: u8) -> u8 {
        match (is_64, page_size_log2) {
            (_, log2) if log2 != crate::types::MemoryType::DEFAULT_PAGE_SIZE_LOG2 => named_form(is_64),
            (true, _) => MEM64,
            (false, _) => 0,
        }
    }

    /// The form bits of an access by index to a memory of the given address width.
    pub(crate) fn named_form(is_64: bool) -> u8 {
        if is_64 { NAMED | MEM64 } else { NAMED }
    }

    /// Which memories of a module are 64-bit, as a bit set by memory index (the validator
    /// allows at most 100 memories; any past 127 would count as 32-bit, and an access to one
    /// could not be encoded: `memory` is a `u8` below 100).
    pub(crate) fn memories_64(memories: &[crate::types::MemoryType]) -> u128 {
        memories.iter().take(128).enumerate().fold(0, |set, (i, m)| set | (u128::from(m.is_64) << i))
    }

    /// Whether a module with these memories may have accesses in the named form: to a
    /// memory past 0, or to a memory 0 whose form is `NAMED` (the executor needs the views
    /// of its memories only then).
    pub(crate) fn has_named_accesses(memories: &[crate::types::MemoryType]) -> bool {
        memories.len() > 1 || memories.first().is_some_and(|m| memory0_form(m.is_64, m.page_size_log2) & NAMED != 0)
    }
}

/// Defines [`Instr`] and the queries that come straight from the table.
macro_rules! define_instr {
    ($( $name:ident ($shape:ident) $class:ident [$($flags:tt)*] )*) => {
        /// One instruction: its variant names what it does, its operand struct (its *shape*)
        /// the slots, offsets, immediates and indices it works on.
        #[derive(Debug, Copy, Clone, PartialEq)]
        // Without the feature `simd`, nothing emits the `v128` instructions.
        #[cfg_attr(not(feature = "simd"), allow(dead_code))]
        pub(crate) enum Instr {
            $( $name($shape), )*
        }

        /// Each variant of [`Instr`] without its operands, numbered in the table's order:
        /// [`Instr::opcode`] indexes tables of the variants' properties with it, which
        /// answer with a load where a `match` over ~900 variants would be an indirect jump.
        #[derive(Copy, Clone)]
        #[allow(dead_code, clippy::upper_case_acronyms)]
        #[repr(u16)]
        pub(crate) enum Opcode {
            $( $name, )*
        }

        /// How many variants [`Instr`] has.
        pub(crate) const OPCODES: usize = [$( Opcode::$name, )*].len();

        impl Instr {
            /// The variant's number in the table (`Opcode`), for indexing per-variant tables.
            /// (The `match` compiles to reading the variant's tag.)
            #[inline(always)]
            pub(crate) fn opcode(&self) -> usize {
                match self {
                    $( Instr::$name(_) => Opcode::$name as usize, )*
                }
            }

            /// The variant's name.
            pub(crate) fn name(&self) -> &'static str {
                match self {
                    $( Instr::$name(_) => stringify!($name), )*
                }
            }

            /// Hands every operand to `v`, by role (see `shapes.rs`).
            #[inline(always)]
            pub(crate) fn visit<'a, V: Visit<'a>>(&'a mut self, v: &mut V) {
                match self {
                    $( Instr::$name(o) => o.visit(v), )*
                }
            }

            /// Whether its handler takes operands from the accumulator (class `acc`).
            #[inline(always)]
            ///
            /// With `fast`, a table. Without it, a `match`: it is asked beside a visit of the
            /// operands (the verifier's `check`, `acc_result_slot_mut`), whose `match` then
            /// answers it too, and the verifier's code is 4.4 KB smaller (the table's load
            /// leaves each arm to handle either answer); the table is 1.5 % faster to
            /// translate with.
            pub(crate) fn takes_acc(&self) -> bool {
                const TAKES_ACC: [bool; OPCODES] = [$( is_class!($class, acc), )*];
                if cfg!(feature = "fast") {
                    return TAKES_ACC[self.opcode()];
                }
                match self {
                    $( Instr::$name(_) => is_class!($class, acc), )*
                }
            }

            /// The memory a memory access (a load, a store, `memory.size`: the shapes whose
            /// handlers exist in a memory-0 form and the named form) reads or writes; `None`
            /// for other instructions.
            #[inline(always)]
            pub(crate) fn memory_access(&self) -> Option<u8> {
                // Most instructions are not accesses: one load tells, before the `match`.
                const IS_ACCESS: [bool; OPCODES] = [$( if_access!($shape, { true } else { false }), )*];
                if !IS_ACCESS[self.opcode()] {
                    return None;
                }
                match self {
                    $( Instr::$name(o) => if_access!($shape, { Some(o.memory) } else { { let _ = o; None } }), )*
                }
            }

            /// Whether it may trap (flag `trap`).
            pub(crate) fn may_trap(&self) -> bool {
                const MAY_TRAP: [bool; OPCODES] = [$( has_flag!(trap, [$($flags)*]), )*];
                MAY_TRAP[self.opcode()]
            }

            /// Whether execution never falls through past it (flag `end`).
            pub(crate) fn ends_path(&self) -> bool {
                const ENDS_PATH: [bool; OPCODES] = [$( has_flag!(end, [$($flags)*]), )*];
                ENDS_PATH[self.opcode()]
            }

            /// Whether it only writes a slot, leaving the accumulator alone (flag `mov`).
            pub(crate) fn is_move(&self) -> bool {
                const IS_MOVE: [bool; OPCODES] = [$( has_flag!(mov, [$($flags)*]), )*];
                IS_MOVE[self.opcode()]
            }

            /// The conditional branch with the opposite condition and the same operands and
            /// offset (flag `not`), for a conditional branch; `None` for anything else.
            pub(crate) fn negated_branch(self) -> Option<Instr> {
                $( negate!(self, $name [$($flags)*]); )*
                None
            }

            /// The branch "jump by `offset` if this comparison holds" (or, with `negate`, if
            /// it does not), for a comparison that a compare-and-branch fuses (flag `fuses`);
            /// `None` for anything else.
            pub(crate) fn fuse_branch(self, negate: bool, offset: i32) -> Option<Instr> {
                $( fuse!(self, negate, offset, $name [$($flags)*]); )*
                None
            }
        }
    };
}

/// `$then` if `$shape` is the shape of a memory access (a load, a store, `memory.size`:
/// the instructions with a memory-0 form and the named form, `acc::NAMED`), else `$else`.
/// The one list of those shapes: `Instr::memory_access` and the executor's handler choice
/// (`exec::threaded::handler_of!`) both ask it.
macro_rules! if_access {
    (Load, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    (Store, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    (StoreImm, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    (MemorySize, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    (VLoad, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    (VLoadDisp, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    (VStore, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    (VLoadLane, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    (VStoreLane, { $($then:tt)* } else { $($else:tt)* }) => { $($then)* };
    ($shape:ident, { $($then:tt)* } else { $($else:tt)* }) => { $($else)* };
}
pub(crate) use if_access;

/// Whether a table class is the one named.
macro_rules! is_class {
    (acc, acc) => { true };
    ($class:ident, acc) => { false };
}

/// Whether a table line's flags include `$flag` (`trap`, `end`, `mov` or `simd`).
macro_rules! has_flag {
    ($flag:ident, []) => { false };
    (simd, [simd $($rest:tt)*]) => { true };
    (trap, [trap $($rest:tt)*]) => { true };
    (end, [end $($rest:tt)*]) => { true };
    (mov, [mov $($rest:tt)*]) => { true };
    ($flag:ident, [$other:tt $($rest:tt)*]) => { $crate::bytecode::has_flag!($flag, [$($rest)*]) };
}

pub(crate) use has_flag;

/// Returns the negated branch if `$name` has a `not` flag.
macro_rules! negate {
    ($self:ident, $name:ident [$(fuses($cmp:ident))? not($not:ident)]) => {
        if let Instr::$name(o) = $self {
            return Some(Instr::$not(o));
        }
    };
    ($self:ident, $name:ident [$($flags:tt)*]) => {};
}

/// Returns the fused branch if `$self` is the comparison a `fuses` flag names.
macro_rules! fuse {
    ($self:ident, $negate:ident, $offset:ident, $name:ident [fuses($cmp:ident) not($not:ident)]) => {
        if let Instr::$cmp(o) = $self {
            let branch = FuseBranch::fuse(o, $offset);
            return Some(if $negate { Instr::$not(branch) } else { Instr::$name(branch) });
        }
    };
    ($self:ident, $negate:ident, $offset:ident, $name:ident [$($flags:tt)*]) => {};
}

for_each_instr!(define_instr);

/// The table with `true` for each opcode in `list`, for a question about variants asked per
/// instruction (see [`Opcode`]).
pub(crate) const fn opcode_set(list: &[Opcode]) -> [bool; OPCODES] {
    let mut set = [false; OPCODES];
    let mut i = 0;
    while i < list.len() {
        set[list[i] as usize] = true;
        i += 1;
    }
    set
}

const _: () = assert!(core::mem::size_of::<Instr>() <= 16);

/// The branch shape a comparison shape becomes when fused with the branch it feeds.
trait FuseBranch<B> {
    fn fuse(self, offset: i32) -> B;
}

impl FuseBranch<BrBin> for Bin {
    fn fuse(self, offset: i32) -> BrBin {
        BrBin { a: self.a, b: self.b, offset }
    }
}

impl FuseBranch<BrImm> for BinImm {
    fn fuse(self, offset: i32) -> BrImm {
        BrImm { a: self.a, imm: self.imm, offset }
    }
}

/// `i32.eqz` fused: branch if the operand is zero.
impl FuseBranch<BrIf> for Un {
    fn fuse(self, offset: i32) -> BrIf {
        BrIf { cond: self.src, offset }
    }
}

impl Instr {
    /// An unconditional jump by `offset` instructions.
    pub(crate) fn jump(offset: i32) -> Instr {
        Instr::Br(Jump { offset })
    }

    /// Which of the instruction's operands are the accumulator, as a set of [`acc`] bits, or
    /// `None` if the instruction names `ACC` where it cannot take it: anywhere in an
    /// instruction whose class is not `acc`, and in roles other than `dst`, `x` and `y`.
    ///
    /// This is the definition. The verifier works the form out within its one visit per
    /// instruction, and `acc_result_slot_mut` answers `can_write_acc` in one; debug builds
    /// (the tests, the spec suite) check both against this on every instruction.
    pub(crate) fn acc_form(&self) -> Option<u8> {
        struct Form {
            takes: bool,
            form: u8,
            bad: bool,
        }
        impl Visit<'_> for Form {
            fn slot(&mut self, slot: &mut Slot, role: Role) {
                if *slot != ACC {
                    return;
                }
                match (self.takes, role) {
                    (true, Role::Dst) => self.form |= acc::DST,
                    (true, Role::X) => self.form |= acc::X,
                    (true, Role::Y) => self.form |= acc::Y,
                    _ => self.bad = true,
                }
            }
            fn run(&mut self, start: &mut Slot, _: usize) {
                self.bad |= *start == ACC;
            }
            fn results(&mut self, span: &mut Span) {
                self.bad |= span.start == ACC;
            }
        }
        let mut copy = *self;
        let mut f = Form { takes: self.takes_acc(), form: 0, bad: false };
        copy.visit(&mut f);
        // One value is in the accumulator at a time.
        (!f.bad && f.form & (acc::X | acc::Y) != acc::X | acc::Y).then_some(f.form)
    }

    /// Calls `f` on every slot the instruction names, including the first slot of each run
    /// (call arguments, returned values, bulk-operation arguments): for passes that renumber
    /// slots. Each slot field is visited once.
    pub(crate) fn for_each_slot(&mut self, f: impl FnMut(&mut Slot)) {
        struct Slots<F>(F);
        impl<F: FnMut(&mut Slot)> Visit<'_> for Slots<F> {
            #[inline(always)]
            fn slot(&mut self, slot: &mut Slot, _: Role) {
                (self.0)(slot)
            }
            #[inline(always)]
            fn run(&mut self, start: &mut Slot, _: usize) {
                (self.0)(start)
            }
            #[inline(always)]
            fn results(&mut self, span: &mut Span) {
                (self.0)(&mut span.start)
            }
        }
        self.visit(&mut Slots(f));
    }

    /// Whether it is *pure*: an `acc` instruction that cannot trap and computes one result
    /// from its operands and nothing else (arithmetic, comparisons, conversions). In its
    /// plain form (no operand the accumulator) it leaves the accumulator alone, so the
    /// translator may place one between the accumulator's writer and its reader
    /// (`Translator::leaf_first`), and the verifier allows it there.
    pub(crate) fn is_pure(&self) -> bool {
        self.takes_acc() && !self.may_trap() && self.result_slot().is_some()
    }

    /// Whether the instruction could write its result to the accumulator (its handlers have
    /// the forms `acc::DST` and `acc::ALSO`).
    pub(crate) fn can_write_acc(&self) -> bool {
        self.acc_result_slot().is_some()
    }

    /// The slot [`Instr::acc_result_slot_mut`] names.
    pub(crate) fn acc_result_slot(&self) -> Option<Slot> {
        let mut copy = *self;
        copy.acc_result_slot_mut().copied()
    }

    /// The result slot of an instruction that could write its result to the accumulator
    /// instead (see [`Instr::can_write_acc`]): the `dst` of an `acc` instruction, for the
    /// translator's hot path. Debug builds check it against `acc_form`.
    #[inline]
    pub(crate) fn acc_result_slot_mut(&mut self) -> Option<&mut Slot> {
        #[cfg(debug_assertions)]
        let by_form = {
            let mut copy = *self;
            match copy.result_slot_mut() {
                Some(dst) => {
                    *dst = ACC;
                    copy.acc_form().is_some_and(|form| form & acc::DST != 0)
                }
                None => false,
            }
        };
        let slot = if self.takes_acc() { self.result_slot_mut() } else { None };
        #[cfg(debug_assertions)]
        debug_assert_eq!(slot.is_some(), by_form);
        slot
    }

    /// The slot an instruction writes its single result to, if it is redirectable (its
    /// `dst` operand).
    pub(crate) fn result_slot(&self) -> Option<Slot> {
        let mut copy = *self;
        copy.result_slot_mut().copied()
    }

    /// The `dst` (or `vdst`) operand: the slot an instruction writes its single result to,
    /// if it has exactly one and nothing else happens to it (so that the translator may
    /// redirect it to a local of the same type).
    #[inline]
    pub(crate) fn result_slot_mut(&mut self) -> Option<&mut Slot> {
        struct Dst<'a>(Option<&'a mut Slot>);
        impl<'a> Visit<'a> for Dst<'a> {
            #[inline(always)]
            fn slot(&mut self, slot: &'a mut Slot, role: Role) {
                if matches!(role, Role::Dst | Role::VDst) {
                    self.0 = Some(slot);
                }
            }
        }
        let mut dst = Dst(None);
        self.visit(&mut dst);
        dst.0
    }
}

pub(crate) use disasm::disassemble;
