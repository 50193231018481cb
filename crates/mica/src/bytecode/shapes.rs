//! Operand shapes: the struct each instruction carries (named in the instruction table), and
//! what each of its fields is.
//!
//! Shapes are `repr(C)` with the result slot (`dst`) or the branch offset (`target`) first,
//! so that it lies at the same place in every instruction that has one: the queries the
//! translator asks most (`Instr::result_slot_mut`, `branch_offset_mut`) then compile to a
//! table lookup rather than a jump per variant.
//!
//! A field is declared with its *role*; [`Operands::visit`] hands every field to a
//! [`Visit`]or by role, which is how the verifier, slot renumbering, branch patching, result
//! redirection and the disassembler see operands without naming instructions:
//!
//! | role          | meaning                                                          |
//! |---------------|------------------------------------------------------------------|
//! | `dst`         | the single result slot: may be redirected to a local, and be the accumulator (`acc::DST`) in an `acc` instruction |
//! | `x`, `y`      | the first / second operand read: may be the accumulator (`acc::X`, `acc::Y`) in an `acc` instruction |
//! | `read`        | a slot read, never the accumulator                               |
//! | `write`       | a slot written, never the accumulator, never redirected          |
//! | `vdst`        | a `v128` result: two slots from this one; may be redirected to a `v128` local |
//! | `vread`       | a `v128` operand read: two slots from this one                   |
//! | `run(n)`      | the first of `n` consecutive slots (call arguments: `run(0)`)    |
//! | `results`     | the run of slots a `return` copies to the frame base             |
//! | `target`      | a branch offset, relative to the branch                          |
//! | `entries`     | the number of `br` entries after a `br_table`                    |
//! | `constant`    | an index into the function's constant pool                       |
//! | `constant128` | the first of two constant-pool cells (a `v128`, low half first)  |
//! | `func`, `global`, `table`, `ty`, `elem`, `data`, `tag` | an index into that module index space |
//! | `memory`      | a memory index                                                   |
//! | `mem_offset`  | an offset into memory 0 (only for forms of 32-bit memory 0 accesses) |
//! | `imm`         | an immediate: any value is valid                                 |

use super::Slot;
use crate::error::TrapCode;

/// What a slot operand is (see the module documentation).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    Dst,
    X,
    Y,
    Read,
    Write,
    /// A `v128` result (two slots).
    VDst,
    /// A `v128` operand (two slots).
    VRead,
}

impl Role {
    /// The slots an operand of this role takes from its slot on.
    pub(crate) fn width(self) -> usize {
        match self {
            Role::VDst | Role::VRead => 2,
            _ => 1,
        }
    }
}

/// The module index spaces an instruction can name.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum Space {
    Func,
    Global,
    Table,
    Type,
    Elem,
    Data,
    Memory,
    Tag,
}

/// A pass over an instruction's operands: each method is called for each field of its role,
/// in declaration order, by [`Operands::visit`]. Unneeded methods do nothing.
pub(crate) trait Visit<'a> {
    #[inline(always)]
    fn slot(&mut self, _slot: &'a mut Slot, _role: Role) {}
    #[inline(always)]
    fn run(&mut self, _start: &'a mut Slot, _len: usize) {}
    #[inline(always)]
    fn results(&mut self, _span: &'a mut Span) {}
    #[inline(always)]
    fn target(&mut self, _offset: &'a mut i32) {}
    #[inline(always)]
    fn entries(&mut self, _len: u32) {}
    #[inline(always)]
    fn constant(&mut self, _index: u32) {}
    #[inline(always)]
    fn index(&mut self, _space: Space, _index: u32) {}
}

/// An instruction's operand struct.
pub(crate) trait Operands {
    /// Hands every field to `v`, by role.
    fn visit<'a, V: Visit<'a>>(&'a mut self, v: &mut V);
}

/// `len` result slots from `start`, which a `return` copies to the frame base.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: Slot,
    pub len: Slot,
}

impl Operands for Span {
    #[inline(always)]
    fn visit<'a, V: Visit<'a>>(&'a mut self, v: &mut V) {
        v.results(self)
    }
}

impl Operands for TrapCode {
    #[inline(always)]
    fn visit<'a, V: Visit<'a>>(&'a mut self, _: &mut V) {}
}

/// Declares operand structs with the role of each field.
macro_rules! shapes {
    ($(
        $(#[$doc:meta])*
        $name:ident { $( $(#[$fdoc:meta])* $field:ident : $ty:ty = $role:ident $(($arg:expr))? ),* $(,)? }
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Copy, Clone, PartialEq, Eq)]
            #[repr(C)]
            pub struct $name {
                $( $(#[$fdoc])* pub $field: $ty, )*
            }

            impl Operands for $name {
                #[inline(always)]
                #[allow(unused_variables)] // by shapes with only immediates
                fn visit<'a, V: Visit<'a>>(&'a mut self, v: &mut V) {
                    $( role!(v, self.$field, $role $(($arg))?); )*
                }
            }
        )*
    };
}

/// One field's visit, by role.
macro_rules! role {
    ($v:ident, $f:expr, dst) => { $v.slot(&mut $f, Role::Dst) };
    ($v:ident, $f:expr, x) => { $v.slot(&mut $f, Role::X) };
    ($v:ident, $f:expr, y) => { $v.slot(&mut $f, Role::Y) };
    ($v:ident, $f:expr, read) => { $v.slot(&mut $f, Role::Read) };
    ($v:ident, $f:expr, write) => { $v.slot(&mut $f, Role::Write) };
    ($v:ident, $f:expr, vdst) => { $v.slot(&mut $f, Role::VDst) };
    ($v:ident, $f:expr, vread) => { $v.slot(&mut $f, Role::VRead) };
    ($v:ident, $f:expr, run($n:expr)) => { $v.run(&mut $f, $n) };
    ($v:ident, $f:expr, results) => { $v.results(&mut $f) };
    ($v:ident, $f:expr, target) => { $v.target(&mut $f) };
    ($v:ident, $f:expr, entries) => { $v.entries($f) };
    ($v:ident, $f:expr, constant) => { $v.constant($f) };
    ($v:ident, $f:expr, constant128) => {{ $v.constant($f); $v.constant($f.saturating_add(1)) }};
    ($v:ident, $f:expr, func) => { $v.index(Space::Func, $f as u32) };
    ($v:ident, $f:expr, global) => { $v.index(Space::Global, $f as u32) };
    ($v:ident, $f:expr, table) => { $v.index(Space::Table, $f as u32) };
    ($v:ident, $f:expr, ty) => { $v.index(Space::Type, $f as u32) };
    ($v:ident, $f:expr, elem) => { $v.index(Space::Elem, $f as u32) };
    ($v:ident, $f:expr, data) => { $v.index(Space::Data, $f as u32) };
    ($v:ident, $f:expr, memory) => { $v.index(Space::Memory, $f as u32) };
    ($v:ident, $f:expr, tag) => { $v.index(Space::Tag, $f as u32) };
    ($v:ident, $f:expr, mem_offset) => { $v.index(Space::Memory, 0) };
    ($v:ident, $f:expr, imm) => {{}};
}

shapes! {
    // --- control ---------------------------------------------------------------------------
    /// An unconditional jump by `offset` instructions.
    Jump { offset: i32 = target }
    /// A jump if the `i32` in `cond` is non-zero (or zero).
    BrIf { offset: i32 = target, cond: Slot = x }
    /// A jump if a comparison of two slots holds.
    BrBin { offset: i32 = target, a: Slot = x, b: Slot = y }
    /// A jump if a comparison of a slot with a constant (sign-extended for `i64`) holds.
    BrImm { offset: i32 = target, a: Slot = x, imm: i32 = imm }
    /// A jump through a table: followed by `len` `Br` entries, the last being the default.
    BrTable { index: Slot = read, len: u32 = entries }
    /// Fuel for the straight-line code that follows (`Config::consume_fuel`).
    Fuel { amount: u32 = imm }

    // --- calls: `args` is where the arguments start; results land at the same place ---------
    /// A call of function `func` of the current instance.
    Call { func: u32 = func, args: Slot = run(0) }
    /// A call of the function at `table[index]`, checking it has type `ty`.
    CallIndirect { index: Slot = read, args: Slot = run(0), table: u16 = table, ty: u32 = ty }
    /// `throw`: an exception of tag `tag` with the values at `args..`.
    Throw { args: Slot = run(0), tag: u32 = tag }
    /// `throw_ref`: throws the exception the reference in `exn` refers to.
    ThrowRef { exn: Slot = read }
    /// A call of the function `callee` refers to (of type `ty`, which validation proved).
    CallRef { callee: Slot = read, args: Slot = run(0), ty: u32 = ty }

    // --- values ------------------------------------------------------------------------------
    /// A unary operation or a move: `dst = op src`.
    Un { dst: Slot = dst, src: Slot = x }
    /// A binary operation: `dst = a op b`.
    Bin { dst: Slot = dst, a: Slot = x, b: Slot = y }
    /// A binary operation with a constant right operand: `dst = a op imm` (sign-extended to
    /// 64 bits for `i64` operations).
    BinImm { dst: Slot = dst, a: Slot = x, imm: i32 = imm }
    /// `dst = value`, for any 32-bit value (zero-extended into the cell).
    Const32 { dst: Slot = dst, value: u32 = imm }
    /// `dst = consts[index]`: 64-bit constants live in the function's constant pool.
    Const64 { dst: Slot = dst, index: u32 = constant }
    /// `dst = cond != 0 ? a : b`. The condition may come in the accumulator (from the
    /// comparison just before), and the result go to it, whatever its type (see `Select`'s
    /// step in `exec/ops/variable.rs`).
    Select { dst: Slot = dst, cond: Slot = x, a: Slot = read, b: Slot = read }
    GlobalGet { dst: Slot = dst, global: u32 = global }
    GlobalSet { src: Slot = read, global: u32 = global }
    RefFunc { dst: Slot = dst, func: u32 = func }

    // --- GC objects (`ty` is the object's type, `ext` how a packed field is read: 0 as it is,
    // 1 sign-extended, 2 zero-extended) ---------------------------------------------------------
    /// `struct.new`/`array.new`/`array.new_default`: the operands at `args..` (fields; an
    /// element and a length; a length), the new reference to `dst`.
    GcNew { dst: Slot = dst, args: Slot = run(0), ty: u32 = ty }
    /// `struct.new_default`.
    GcNewDefault { dst: Slot = dst, ty: u32 = ty }
    /// `array.new_fixed`: `len` elements at `args..`.
    ArrayNewFixed { dst: Slot = dst, args: Slot = run(0), ty: u32 = ty, len: u32 = imm }
    /// `array.new_data`: `dst = array of type ty from data segment `data` (offset = args[0],
    /// length = args[1])`.
    ArrayNewData { dst: Slot = dst, args: Slot = run(2), ty: u32 = ty, data: u32 = data }
    ArrayNewElem { dst: Slot = dst, args: Slot = run(2), ty: u32 = ty, elem: u32 = elem }
    /// `struct.get*`: `dst = obj.field`.
    StructGet { dst: Slot = dst, obj: Slot = read, ty: u32 = ty, field: u16 = imm, ext: u8 = imm }
    StructGet128 { dst: Slot = vdst, obj: Slot = read, ty: u32 = ty, field: u16 = imm }
    StructSet { obj: Slot = read, value: Slot = read, ty: u32 = ty, field: u16 = imm }
    StructSet128 { obj: Slot = read, value: Slot = vread, ty: u32 = ty, field: u16 = imm }
    /// `array.get*`: `dst = array[index]`.
    ArrayGet { dst: Slot = dst, array: Slot = read, index: Slot = read, ext: u8 = imm, ty: u32 = ty }
    ArrayGet128 { dst: Slot = vdst, array: Slot = read, index: Slot = read, ty: u32 = ty }
    ArraySet { array: Slot = read, index: Slot = read, value: Slot = read, ty: u32 = ty }
    ArraySet128 { array: Slot = read, index: Slot = read, value: Slot = vread, ty: u32 = ty }
    ArrayLen { dst: Slot = dst, array: Slot = read }
    /// `array.fill(array, index, value, len)` from `args..` (the value one or two cells).
    ArrayFill { args: Slot = run(0), ty: u32 = ty }
    /// `array.copy(dst, dst_index, src, src_index, len)` from `args..`.
    ArrayCopy { args: Slot = run(5), dst_ty: u32 = ty, src_ty: u32 = ty }
    /// `array.init_data`/`array.init_elem(array, index, offset, len)` from `args..`.
    ArrayInitData { args: Slot = run(4), ty: u32 = ty, data: u32 = data }
    ArrayInitElem { args: Slot = run(4), ty: u32 = ty, elem: u32 = elem }
    /// `ref.test`/`ref.cast`: whether the reference in `src` has heap type `heap`
    /// (`bytecode::heap_code`), null counting if `nullable`.
    RefTest { dst: Slot = dst, src: Slot = read, heap: u32 = imm, nullable: u8 = imm }

    // --- tables --------------------------------------------------------------------------------
    TableGet { dst: Slot = dst, index: Slot = read, table: u32 = table }
    TableSet { index: Slot = read, value: Slot = read, table: u32 = table }
    TableSize { dst: Slot = dst, table: u32 = table }
    /// `dst = table.grow(init = args[0], delta = args[1])`.
    TableGrow { dst: Slot = write, args: Slot = run(2), table: u32 = table }
    /// `table.fill(index = args[0], value = args[1], len = args[2])`.
    TableFill { args: Slot = run(3), table: u32 = table }
    /// `table.copy(dst = args[0], src = args[1], len = args[2])`.
    TableCopy { args: Slot = run(3), dst_table: u16 = table, src_table: u16 = table }
    /// `table.init(dst = args[0], src = args[1], len = args[2])`.
    TableInit { args: Slot = run(3), table: u16 = table, elem: u32 = elem }
    ElemDrop { elem: u32 = elem }

    // --- memories: every access names its memory (`memory`); the executor gives accesses to
    // a 32-bit memory 0 their own handlers, and the others a lookup of the memory's view
    // (`exec::threaded::View`). Offsets past 2^32 are added to the address first
    // (`AddOffset`), so an instruction's offset is 32 bits.
    /// A load: `dst = memory[addr + offset]`.
    Load { dst: Slot = dst, addr: Slot = x, offset: u32 = imm, memory: u8 = memory }
    /// A store: `memory[addr + offset] = value`.
    Store { addr: Slot = x, value: Slot = y, offset: u32 = imm, memory: u8 = memory }
    /// A store of a constant (for `i64`, sign-extended from 32 bits).
    StoreImm { addr: Slot = x, memory: u8 = memory, value: i32 = imm, offset: u32 = imm }
    /// `dst = memory.size` (pages; `i64` for a 64-bit memory).
    MemorySize { dst: Slot = dst, memory: u8 = memory }
    /// `dst = memory.grow(delta)`.
    MemoryGrow { dst: Slot = write, delta: Slot = read, memory: u8 = memory }
    /// `memory.fill(dst = args[0], value = args[1], len = args[2])`.
    MemoryFill { args: Slot = run(3), memory: u8 = memory }
    /// `memory.copy(dst = args[0], src = args[1], len = args[2])`, from memory `src` into
    /// memory `dst_memory`.
    MemoryCopy { args: Slot = run(3), dst_memory: u8 = memory, src_memory: u8 = memory }
    /// `memory.init(dst = args[0], src = args[1], len = args[2])`.
    MemoryInit { args: Slot = run(3), data: u32 = data, memory: u8 = memory }
    DataDrop { data: u32 = data }
    /// `dst = src + consts[offset]` as the effective address of an access to a 64-bit
    /// memory with an offset past 2^32; a sum past 2^64 is out of bounds (it traps).
    AddOffset { dst: Slot = dst, src: Slot = read, offset: u32 = constant }

    // --- wide arithmetic: operands and results in consecutive slots -------------------------
    /// A 128-bit addition or subtraction: `(args[0], args[1]) = (args[0] | args[1] << 64) op
    /// (args[2] | args[3] << 64)`, low half first.
    Wide128 { args: Slot = run(4) }
    /// A full 64×64→128-bit product: `(args[0], args[1]) = args[0] * args[1]`, low half first.
    WideMul { args: Slot = run(2) }

    // --- v128 (SIMD): `v` operands take two slots ------------------------------------------------
    /// A `v128` move or unary operation: `dst = op src`.
    VUn { dst: Slot = vdst, src: Slot = vread }
    /// A `v128` binary operation.
    VBin { dst: Slot = vdst, a: Slot = vread, b: Slot = vread }
    /// A `v128` ternary operation (`bitselect`, relaxed fused multiply-add, lane select).
    VTernary { dst: Slot = vdst, a: Slot = vread, b: Slot = vread, c: Slot = vread }
    /// `dst = cond != 0 ? a : b` on `v128`s.
    VSelect { dst: Slot = vdst, cond: Slot = read, a: Slot = vread, b: Slot = vread }
    /// `dst = consts[index..index + 2]`.
    VConst { dst: Slot = vdst, index: u32 = constant128 }
    VGlobalGet { dst: Slot = vdst, global: u32 = global }
    VGlobalSet { src: Slot = vread, global: u32 = global }
    /// A `v128` test or lane extraction to a scalar: `dst = op(src)` (`lane` for extractions).
    VToScalar { dst: Slot = dst, src: Slot = vread, lane: u8 = imm }
    /// A scalar made a `v128` (`splat`).
    VFromScalar { dst: Slot = vdst, src: Slot = read }
    /// `dst = a` with lane `lane` replaced by the scalar `x`.
    VReplace { dst: Slot = vdst, a: Slot = vread, x: Slot = read, lane: u8 = imm }
    /// A shift of each lane of `a` by the scalar `count`.
    VShift { dst: Slot = vdst, a: Slot = vread, count: Slot = read }
    /// A `v128` binary operation with a byte immediate (a shuffle's window start).
    VBinImm { dst: Slot = vdst, a: Slot = vread, b: Slot = vread, imm: u8 = imm }
    /// `i8x16.shuffle` of whole 16- or 32-bit lanes: 4 bits per lane index, lane 0 lowest.
    VShuffleLanes { dst: Slot = vdst, a: Slot = vread, b: Slot = vread, lanes: u32 = imm }
    /// `i8x16.shuffle`: lane indices in the constant pool (two cells, 16 bytes).
    VShuffle { dst: Slot = vdst, a: Slot = vread, b: Slot = vread, lanes: u32 = constant128 }
    /// A `v128` load (or a load that fills a `v128`: splat, extend, zero).
    VLoad { dst: Slot = vdst, addr: Slot = read, offset: u32 = imm, memory: u8 = memory }
    /// A `v128` load from `(addr + disp) mod 2^32 + offset`: an address computed by adding a
    /// small constant, folded into the load when nothing else reads the sum (the wrapping
    /// addition is the `i32.add`'s, so the access is exactly the one wasm makes).
    /// (Only memory 0 of 32 bits has a displacement.)
    VLoadDisp { dst: Slot = vdst, addr: Slot = read, disp: u16 = imm, memory: u8 = memory, offset: u32 = imm }
    /// A `v128` binary operation whose second operand is loaded from memory:
    /// `dst = a op memory[(addr + disp) mod 2^32 + offset]` (the translator folds a
    /// `v128.load` into the operation that consumes it, with its displacement).
    VBinMem { dst: Slot = vdst, a: Slot = vread, addr: Slot = read, disp: u16 = imm, offset: u32 = mem_offset }
    /// The same, written back where the operand was loaded from:
    /// `memory[addr + offset] = a op memory[addr + offset]` (`c[i] += x`).
    VBinMemTo { a: Slot = vread, addr: Slot = read, offset: u32 = mem_offset }
    /// A `v128` store.
    VStore { addr: Slot = read, value: Slot = vread, offset: u32 = imm, memory: u8 = memory }
    /// A load into lane `lane` of `src`, the rest kept: `dst = src` with the lane loaded.
    VLoadLane { dst: Slot = vdst, addr: Slot = read, src: Slot = vread, lane: u8 = imm, memory: u8 = memory, offset: u32 = imm }
    /// A store of lane `lane` of `src`.
    VStoreLane { addr: Slot = read, src: Slot = vread, lane: u8 = imm, memory: u8 = memory, offset: u32 = imm }
}
