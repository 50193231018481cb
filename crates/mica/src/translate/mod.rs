//! Translation: a validated function body becomes Mica bytecode.
//!
//! One pass over the operators. In eager mode `wasmparser`'s function validator checks each
//! operator just before it is translated; in lazy mode the body was validated at load time
//! and is translated here on its first call. Translation is pure: it never sees a store, and
//! it knows nothing of the executor: it produces verified bytecode ([`Bytecode`]), which the
//! executor encodes for its dispatch.
//!
//! See [`stack`] for how operands map to frame slots and [`control`] for labels and branches.

mod control;
mod fuel;
mod gc;
mod legacy;
mod operands;
mod operators;
#[cfg(feature = "simd")]
mod simd;
/// Without the feature `simd`, `wasmparser` has no SIMD operators and the validator rejects
/// `v128` (`engine::LEFT_OUT`): nothing is a SIMD operator.
#[cfg(not(feature = "simd"))]
mod simd {
    impl super::Translator<'_> {
        pub(super) fn translate_simd(&mut self, _: &wasmparser::Operator<'_>) -> crate::error::Result<bool> {
            Ok(false)
        }
    }
}
mod stack;
#[cfg(all(test, feature = "wat"))]
mod tests;
#[cfg(feature = "fast")]
mod visit;

use crate::bytecode::{CallRef, BrIf, Bytecode, Call, CallIndirect, Instr, ModuleCounts, Slot};
use crate::error::{Error, Result};
use crate::types::{FuncType, GlobalType, MemoryType, TableType, ValType};
use crate::cell::Cell;
use alloc::boxed::Box;
use alloc::vec::Vec;
use control::{ControlFrame, FrameKind};
use stack::{CONST_SLOT_BASE, Emitter, Operand, OperandStack, copy, is_wide};
use wasmparser::{FuncValidator, ValidatorResources};

/// What translation needs to know about the module: its types, each function's type, and
/// the size of each index space (for the verifier).
#[derive(Copy, Clone)]
pub(crate) struct ModuleEnv<'a> {
    pub types: &'a [FuncType],
    /// The engine-wide identity of each type.
    pub defined: &'a [alloc::sync::Arc<crate::types::DefinedType>],
    /// Whether the module's code may hold GC references, and so needs stack maps (made with
    /// the validator's operand types: such functions are always translated with one).
    pub stack_maps: bool,
    pub funcs: &'a [u32],
    /// Each tag's type index.
    pub tags: &'a [u32],
    pub globals: &'a [GlobalType],
    pub memories: &'a [MemoryType],
    pub tables: &'a [TableType],
    pub counts: ModuleCounts,
    /// Whether and how code is metered (`fuel.rs`).
    pub metering: crate::fuel::Metering,
}

impl ModuleEnv<'_> {
    /// A value type of the module's code, with its type indices made identities.
    pub(crate) fn value_type(&self, ty: wasmparser::ValType) -> Option<ValType> {
        ValType::from_wasmparser(ty, &|i| self.defined.get(i as usize).map(|t| t.id))
    }

    /// The type of tag `tag` (its values are the parameters).
    fn tag_type(&self, tag: u32) -> &FuncType {
        &self.types[self.tags[tag as usize] as usize]
    }

    fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.funcs[func as usize] as usize]
    }

    /// The form bits of accesses to memory 0 (`bytecode::acc::memory0_form`).
    pub(crate) fn memory0_form(&self) -> u8 {
        self.memories.first().map_or(0, |m| crate::bytecode::acc::memory0_form(m.is_64, m.page_size_log2))
    }

    /// Whether table `index` is indexed with 64 bits.
    fn table64(&self, index: u32) -> bool {
        self.tables.get(index as usize).is_some_and(|t| t.is_64)
    }
}

/// What a function's translation is besides its code.
struct FuncInfo {
    stack_maps: crate::bytecode::StackMaps,
    consts: Box<[Cell]>,
    traps: Box<[(u32, u32)]>,
    catches: Box<[crate::bytecode::Catch]>,
    num_params: usize,
    num_locals: usize,
    frame_size: usize,
}

/// Buffers that translating a function fills and empties again, kept from one function to the
/// next (eager mode translates a whole module with one), so that translating a function
/// allocates little beyond what it keeps.
#[derive(Default)]
pub(crate) struct Scratch {
    stack: stack::StackBuffers,
    code: Vec<Instr>,
    consts: Vec<Cell>,
    const_slots: Vec<Cell>,
    also_acc: Vec<usize>,
    control: Vec<ControlFrame>,
    /// The forward branches of every frame (`Translator::fixups`).
    fixups: Vec<(u32, u32)>,
    depths: Vec<u32>,
    verify: crate::bytecode::VerifyBuffers,
    /// The operand positions the last translation visited (see `OperandStack::work`).
    #[cfg(test)]
    work: usize,
}

impl Scratch {
    /// Empties the buffers (the last function's code is encoded by now) and gives back
    /// capacity beyond what a typical function needs, before they are kept between modules
    /// (`BufferPool`).
    fn trim(&mut self) {
        self.stack.trim();
        empty(&mut self.also_acc);
        empty(&mut self.depths);
        empty(&mut self.code);
        empty(&mut self.consts);
        empty(&mut self.const_slots);
        empty(&mut self.control);
        empty(&mut self.fixups);
        self.verify.trim(KEEP_BETWEEN_MODULES);
    }
}

/// The entries each of the translator's lists keeps between modules (`Scratch::trim`).
const KEEP_BETWEEN_MODULES: usize = 1024;

/// Empties `list` and gives back its capacity beyond `KEEP_BETWEEN_MODULES` entries.
fn empty<T>(list: &mut Vec<T>) {
    list.clear();
    list.shrink_to(KEEP_BETWEEN_MODULES);
}

/// The buffers a module's translation works in, kept by its engine between modules (and
/// between the first calls of lazily translated functions), so that a small module's
/// translation does not grow every list from nothing: `Scratch`, and the function
/// validator's stacks.
#[derive(Default)]
pub(crate) struct Buffers {
    pub scratch: Scratch,
    pub validator: wasmparser::FuncValidatorAllocations,
    /// The longest body validated with `validator`'s stacks, which bounds their size.
    pub longest_body: usize,
}

/// An engine's spare [`Buffers`]: one set, taken by a translation and given back when it is
/// done. A translation that finds it taken (another thread's) starts with empty buffers.
#[derive(Default)]
pub(crate) struct BufferPool(spin::Mutex<Option<Box<Buffers>>>);

impl core::fmt::Debug for BufferPool {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("BufferPool")
    }
}

impl BufferPool {
    /// Bodies longer than this do not leave their validator's stacks in the pool, so that
    /// what an engine keeps between modules is bounded, whatever it translated.
    const LONGEST_POOLED_BODY: usize = 16 * 1024;

    pub(crate) fn take(&self) -> Box<Buffers> {
        self.0.try_lock().and_then(|mut spare| spare.take()).unwrap_or_default()
    }

    pub(crate) fn give_back(&self, mut buffers: Box<Buffers>) {
        if buffers.longest_body > Self::LONGEST_POOLED_BODY {
            buffers.validator = Default::default();
        }
        buffers.longest_body = 0;
        buffers.scratch.trim();
        if let Some(mut spare) = self.0.try_lock() {
            *spare = Some(buffers);
        }
    }
}

/// Translates a function body (`bytes`, found at `offset` in the module), validating each
/// operator just before it is translated when a validator is given (so the translator only
/// ever sees a valid prefix of the body). The bytecode is verified, and lives in `scratch`
/// until the next translation.
pub(crate) fn translate_func<'s>(
    env: ModuleEnv<'_>,
    func_index: u32,
    bytes: &[u8],
    offset: usize,
    mut validator: Option<&mut FuncValidator<ValidatorResources>>,
    scratch: &'s mut Scratch,
) -> Result<Bytecode<'s>> {
    let invalid = |e| Error::from_parser(e, false);
    let features = match &validator {
        Some(v) => *v.features(),
        None => wasmparser::WasmFeatures::all(),
    };
    let reader = wasmparser::BinaryReader::new_features(bytes, offset as u64, features);
    let body = wasmparser::FunctionBody::new(reader);
    let ty = env.func_type(func_index).clone();

    // The locals (parameters first) that may hold GC references, by slot, for stack maps.
    let mut gc_locals: Vec<Slot> = Vec::new();
    let mut at: usize = 0;
    for t in ty.params() {
        if env.stack_maps && t.holds_gc_refs() {
            gc_locals.push(at as Slot);
        }
        at += t.cells();
    }
    // Each local's slot: its index, unless a `v128` (two slots) comes before it.
    let mut num_locals = ty.param_cells();
    let mut wide_locals = ty.params().iter().any(|t| is_wide(*t));
    let mut locals_slots = Vec::new();
    if wide_locals {
        let mut at = 0;
        for t in ty.params() {
            locals_slots.push((at as Slot, is_wide(*t)));
            at += t.cells();
        }
    }
    let mut locals = body.get_locals_reader().map_err(invalid)?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, local_ty) = locals.read().map_err(invalid)?;
        if let Some(v) = validator.as_deref_mut() {
            v.define_locals(offset, count, local_ty).map_err(invalid)?;
        }
        let Some(local_ty) = env.value_type(local_ty) else {
            return Err(Error::unsupported(alloc::format!("local of type {local_ty}")));
        };
        let cells = (count as usize).saturating_mul(local_ty.cells());
        if num_locals.saturating_add(cells) > crate::bytecode::MAX_SLOTS {
            return Err(Error::unsupported("more than 65535 locals"));
        }
        if is_wide(local_ty) && !wide_locals {
            // From here on, slots and indices differ: list every local's slot.
            wide_locals = true;
            locals_slots.extend((0..num_locals).map(|i| (i as Slot, false)));
        }
        if wide_locals {
            for i in 0..count as usize {
                locals_slots.push(((num_locals + i * local_ty.cells()) as Slot, is_wide(local_ty)));
            }
        }
        if env.stack_maps && local_ty.holds_gc_refs() {
            gc_locals.extend((0..count as usize).map(|i| (num_locals + i) as Slot));
        }
        num_locals += cells;
    }

    let stack_maps = env.stack_maps;
    if stack_maps && validator.is_none() {
        return Err(Error::usage("internal error: a function that needs stack maps translated without its validator"));
    }
    let mut t = Translator::new(env, &ty, num_locals, scratch);
    t.locals = locals_slots;
    t.budget = code_budget(bytes.len());
    t.func_index = func_index;
    if stack_maps {
        t.maps.on = true;
        t.maps.budget = bytes.len().saturating_mul(gc::MAP_SLOTS_PER_BYTE).saturating_add(4096);
        t.maps.locals = gc_locals;
    }
    t.fuel_boundary();
    match validator {
        // Without `fast`: the operators as `Operator` values, each translated after the
        // validator has checked it (`validate::each_operator`).
        #[cfg(not(feature = "fast"))]
        Some(func) => {
            let reader = locals.get_binary_reader();
            crate::validate::each_operator(func, bytes.len(), reader, &mut |func, offset, op| {
                t.out.offset = offset as u32;
                t.translate(op)?;
                t.check_budget()?;
                if stack_maps && t.reachable {
                    t.type_operands(func);
                }
                Ok(())
            })
            .map_err(invalid)??;
        }
        // Without `fast`, lazy translation validates again as it translates (`ModuleInner::
        // revalidate`), so there is no translation without a validator.
        #[cfg(not(feature = "fast"))]
        None => {
            return Err(Error::usage("internal error: translation without a validator in a build without `fast`"));
        }
        #[cfg(feature = "fast")]
        Some(func) => {
            let mut ops = crate::decode::Decoder::after_locals(&body, &locals.get_binary_reader());
            let mut work = crate::validate::LabelWork::new(bytes.len());
            while !ops.done() {
                t.out.offset = ops.offset() as u32;
                work.charge(&ops, func)?;
                {
                    let mut both = visit::Validated { validator: func.visitor(ops.offset()), translator: &mut t };
                    ops.operator(&mut both).map_err(invalid)??;
                }
                t.check_budget()?;
                if stack_maps && t.reachable {
                    t.type_operands(func);
                }
            }
            ops.reader().finish_expression(&func.visitor(ops.offset())).map_err(invalid)?;
        }
        #[cfg(feature = "fast")]
        None => {
            let mut ops = crate::decode::Decoder::after_locals(&body, &locals.get_binary_reader());
            while !ops.done() {
                t.out.offset = ops.offset() as u32;
                ops.operator(&mut t).map_err(invalid)??;
                t.check_budget()?;
            }
        }
    }
    let (mut code, also, info) = t.finish(scratch)?;
    if code.len() > crate::bytecode::MAX_CODE_LEN {
        return Err(Error::unsupported("function body too large"));
    }
    crate::bytecode::thread_jumps(&mut code);
    let verified = crate::bytecode::verify(
        &mut code,
        info.frame_size,
        info.consts.len(),
        &env.counts,
        &also,
        &info.catches,
        &mut scratch.verify,
    );
    (scratch.code, scratch.also_acc) = (code, also);
    verified.map_err(|e| {
        Error::unsupported(alloc::format!("internal error: function {func_index} failed verification: {e}"))
    })?;
    // Only verified code leaves here, and so only verified code can be encoded and run.
    Ok(Bytecode {
        code: &scratch.code,
        forms: &scratch.verify.forms,
        consts: info.consts,
        traps: info.traps,
        catches: info.catches,
        num_params: info.num_params,
        num_locals: info.num_locals,
        frame_size: info.frame_size,
        memory0_form: env.memory0_form(),
        memories_64: crate::bytecode::acc::memories_64(env.memories),
        epochs: env.metering.epochs,
        stack_maps: info.stack_maps,
    })
}

/// The most instructions a body of `len` bytes may translate to. Real code translates to
/// about one instruction per byte at most (0.2 on average for compiled C, at most 1.0 across
/// the spec suite); a valid body can be built to need far more (each two-byte `br_if` or
/// `return` copying up to 1000 block results, a `br_table` landing on many multi-value
/// blocks), and this bound keeps translation linear in the body's size whatever it does.
fn code_budget(len: usize) -> usize {
    len.saturating_mul(MAX_INSTRS_PER_BYTE).saturating_add(1024)
}

/// See [`code_budget`].
const MAX_INSTRS_PER_BYTE: usize = 8;

/// A branch condition: an `i32` in a slot, or a comparison to fuse with the branch.
#[derive(Copy, Clone)]
enum Condition {
    Slot(Slot),
    Fused(Instr),
}

impl Condition {
    /// The branch taken when the condition holds (or, with `negate`, when it does not).
    fn branch(self, negate: bool, offset: i32) -> Instr {
        match self {
            Condition::Slot(cond) if negate => Instr::BrIfEqz(BrIf { cond, offset }),
            Condition::Slot(cond) => Instr::BrIfNez(BrIf { cond, offset }),
            Condition::Fused(compare) => compare
                .fuse_branch(negate, offset)
                .expect("pop_condition only keeps fusable comparisons"),
        }
    }
}

struct Translator<'a> {
    env: ModuleEnv<'a>,
    stack: OperandStack,
    out: Emitter,
    control: Vec<ControlFrame>,
    /// The forward branches to patch, of all frames: each frame's are a list through this
    /// vector (`ControlFrame::fixups` is its head), each entry the branch's instruction index
    /// and the next entry's position plus one (0 ends the list). One vector for all frames
    /// keeps a frame small (deep nesting holds hundreds of thousands of them).
    fixups: Vec<(u32, u32)>,
    /// A `br_table`'s depths, while it is translated, and its entries in target order.
    depths: Vec<u32>,
    order: Vec<usize>,
    func_index: u32,
    /// Whether the current position can be reached.
    reachable: bool,
    /// The most instructions the function may have (`code_budget`).
    budget: usize,
    /// The slots the parameters take.
    num_params: usize,
    /// The slots the function's results take: the frame must have room to return them.
    control_results: usize,
    /// The function's type.
    func_ty: FuncType,
    /// Each local's first slot and whether it is wide, when some local is a `v128`; empty
    /// when every local is one slot (then a local's slot is its index).
    locals: Vec<(Slot, bool)>,
    /// The catch clauses of the `try_table`s being translated, outermost first
    /// (`FrameKind::TryTable::first` says where each one's begin).
    pending_catches: Vec<crate::bytecode::Catch>,
    /// Legacy `delegate`s whose label's frame has not ended: its control index, and the
    /// delegate's clause in `out.catches` (`legacy::resolve_delegates`).
    pending_delegates: Vec<(u32, u32)>,
    /// The stack maps being made (`gc::MapsBuilder`).
    maps: gc::MapsBuilder,
    /// The current segment's `Fuel` instruction, and whether a new segment has
    /// begun without one yet (`fuel.rs`).
    fuel_at: usize,
    fuel_open: bool,
}

impl<'a> Translator<'a> {
    /// A translator for a function of type `ty`, working in `scratch`'s buffers (until
    /// `finish` gives them back).
    fn new(env: ModuleEnv<'a>, ty: &FuncType, num_locals: usize, scratch: &mut Scratch) -> Translator<'a> {
        let mut fixups = core::mem::take(&mut scratch.fixups);
        fixups.clear();
        let mut control = core::mem::take(&mut scratch.control);
        control.clear();
        control.push(ControlFrame {
            kind: FrameKind::Function,
            ty: control::FrameType::Function,
            height: 0,
            num_params: 0,
            num_results: ty.results().len(),
            live: true,
            fixups: 0,
        });
        let out = Emitter::new(
            core::mem::take(&mut scratch.code),
            core::mem::take(&mut scratch.consts),
            core::mem::take(&mut scratch.const_slots),
            core::mem::take(&mut scratch.also_acc),
        );
        Translator {
            env,
            stack: OperandStack::new(num_locals, core::mem::take(&mut scratch.stack)),
            out,
            control,
            fixups,
            depths: core::mem::take(&mut scratch.depths),
            order: Vec::new(),
            func_index: 0,
            reachable: true,
            budget: usize::MAX,
            num_params: ty.param_cells(),
            control_results: ty.result_cells(),
            func_ty: ty.clone(),
            locals: Vec::new(),
            pending_catches: Vec::new(),
            pending_delegates: Vec::new(),
            maps: Default::default(),
            fuel_at: usize::MAX,
            fuel_open: false,
        }
    }

    /// A local's first slot, and whether it is wide.
    #[inline]
    fn local(&self, index: u32) -> (Slot, bool) {
        match self.locals.get(index as usize) {
            Some(&local) => local,
            None => (index as Slot, false),
        }
    }

    /// The code and everything else about the function; `code` in the latter is empty.
    ///
    /// Constant slots go between the locals and the operand slots (a callee's frame starts at
    /// its arguments, so anything above them is not safe across a call), which moves every
    /// operand slot up; the prologue that fills them goes at the end of the code: a jump to it
    /// is put first, and it jumps back to the instruction after that jump.
    ///
    /// Gives back to `scratch` every buffer but the code and the accumulator list, which the
    /// caller gives back once it has encoded the code.
    fn finish(mut self, scratch: &mut Scratch) -> Result<(Vec<Instr>, Vec<usize>, FuncInfo)> {
        let mut frame_size = self.stack.max_slots().max(self.control_results);
        let mut values = core::mem::take(&mut self.out.const_slots);
        if !values.is_empty() {
            if frame_size > CONST_SLOT_BASE as usize {
                return Err(Error::unsupported("function frame larger than 61440 slots"));
            }
            let (locals, n) = (self.stack.home(0), values.len() as Slot);
            let consts = CONST_SLOT_BASE..CONST_SLOT_BASE + n;
            for instr in &mut self.out.code {
                instr.for_each_slot(|slot| {
                    // Selects rather than branches: which case a slot is in follows no
                    // pattern a predictor could learn.
                    let moved = if *slot >= locals && *slot != crate::bytecode::ACC { slot.wrapping_add(n) } else { *slot };
                    let constant = slot.wrapping_sub(CONST_SLOT_BASE);
                    *slot = if constant < n { locals + constant } else { moved };
                });
            }
            frame_size += values.len();
            if frame_size > crate::bytecode::MAX_SLOTS {
                return Err(Error::unsupported("function frame larger than 65535 slots"));
            }
            // The jump to the prologue goes first. Branch offsets are relative, so inserting it
            // moves every path alike (a loop that began the function now begins after it).
            let prologue = self.out.len() + 1;
            self.out.code.insert(0, Instr::jump(prologue as i32));
            for at in &mut self.out.also_acc {
                *at += 1;
            }
            for (at, _) in &mut self.out.traps {
                *at += 1;
            }
            let renumber = |slot: &mut Slot| {
                if consts.contains(slot) {
                    *slot = locals + (*slot - CONST_SLOT_BASE);
                } else if *slot >= locals {
                    *slot += n;
                }
            };
            for catch in &mut self.out.catches {
                (catch.start, catch.end) = (catch.start + 1, catch.end + 1);
                if let crate::bytecode::CatchKind::Land { pad, slot, exn, .. } = &mut catch.kind {
                    *pad += 1;
                    renumber(slot);
                    if let crate::bytecode::ExnAt::Slot(at) = exn {
                        renumber(at);
                    }
                }
            }
            for (i, &value) in values.iter().enumerate() {
                self.out.emit_const(locals + i as Slot, value);
            }
            let back = self.out.len();
            self.out.emit(Instr::jump(1 - back as i32));
        }
        if !values.is_empty() {
            // The maps moved with the code: the jump first, the operand slots up.
            let (locals, n) = (self.stack.home(0), values.len() as Slot);
            for (at, _, _) in &mut self.maps.points {
                *at += 1;
            }
            for slot in &mut self.maps.slots {
                if *slot >= locals {
                    *slot += n;
                }
            }
        }
        let compiled = FuncInfo {
            stack_maps: crate::bytecode::StackMaps {
                points: core::mem::take(&mut self.maps.points).into_boxed_slice(),
                slots: core::mem::take(&mut self.maps.slots).into_boxed_slice(),
                locals: core::mem::take(&mut self.maps.locals).into_boxed_slice(),
            },
            consts: self.out.consts.as_slice().into(),
            traps: core::mem::take(&mut self.out.traps).into_boxed_slice(),
            catches: core::mem::take(&mut self.out.catches).into_boxed_slice(),
            num_params: self.num_params,
            num_locals: self.stack.home(0) as usize,
            frame_size,
        };
        values.clear();
        self.out.consts.clear();
        self.control.clear();
        #[cfg(test)]
        {
            scratch.work = self.stack.work;
        }
        scratch.stack = self.stack.into_buffers();
        (scratch.consts, scratch.const_slots) = (self.out.consts, values);
        (scratch.control, scratch.fixups, scratch.depths) = (self.control, self.fixups, self.depths);
        Ok((self.out.code, self.out.also_acc, compiled))
    }

    /// Fails once the code has grown past the function's budget: checked after every
    /// operator, and inside the one operator that can emit without bound (`br_table`).
    fn check_budget(&self) -> Result<()> {
        let func_index = self.func_index;
        if self.out.len() <= self.budget {
            return Ok(());
        }
        Err(Error::unsupported(alloc::format!(
            "function {func_index} translates to more than {MAX_INSTRS_PER_BYTE} instructions per byte of its \
             body (a limit that keeps translation linear in the module's size)"
        )))
    }

    // --- calls ------------------------------------------------------------------------------

    fn translate_call(&mut self, func: u32, tail: bool) -> Result<()> {
        let ty = self.env.func_type(func).clone();
        let args = self.pop_span(ty.params().len());
        if tail {
            self.out.emit(Instr::ReturnCall(Call { func, args }));
            self.set_unreachable();
            return Ok(());
        }
        // The callee may collect: what lies below the arguments stays in this frame.
        self.gc_point()?;
        self.out.emit(Instr::Call(Call { func, args }));
        self.push_types(ty.results())
    }

    fn translate_call_indirect(&mut self, ty: u32, table: u32, tail: bool) -> Result<()> {
        let func_ty = self.env.types[ty as usize].clone();
        if self.env.table64(table) {
            // A 64-bit index, narrowed (saturating) for the call's 32-bit table code.
            self.unary(Instr::TableIndex64)?;
        }
        let index = self.pop_slot();
        let args = self.pop_span(func_ty.params().len());
        let table = u16::try_from(table).map_err(|_| Error::unsupported("table index"))?;
        if tail {
            self.out.emit(Instr::ReturnCallIndirect(CallIndirect { index, args, table, ty }));
            self.set_unreachable();
            return Ok(());
        }
        self.gc_point()?;
        self.out.emit(Instr::CallIndirect(CallIndirect { index, args, table, ty }));
        self.push_types(func_ty.results())
    }

    fn translate_call_ref(&mut self, ty: u32, tail: bool) -> Result<()> {
        let func_ty = self.env.types[ty as usize].clone();
        let callee = self.pop_slot();
        let args = self.pop_span(func_ty.params().len());
        if tail {
            self.out.emit(Instr::ReturnCallRef(CallRef { callee, args, ty }));
            self.set_unreachable();
            return Ok(());
        }
        self.gc_point()?;
        self.out.emit(Instr::CallRef(CallRef { callee, args, ty }));
        self.push_types(func_ty.results())
    }

    // --- variables --------------------------------------------------------------------------

    fn translate_local_set(&mut self, index: u32, tee: bool) -> Result<()> {
        let (local, wide) = self.local(index);
        let pos = self.stack.len() - 1;
        let value = self.stack.get(pos);
        if value == Operand::Local(local) {
            if !tee {
                self.stack.pop();
            }
            return Ok(());
        }
        let before = self.out.len();
        self.stack.materialize_local(local, &mut self.out);
        let home = self.stack.home(pos);
        match value {
            // The value was just computed: compute it straight into the local instead.
            Operand::InSlot if self.out.len() == before && self.redirect_result(pos, local) => {
                self.out.last_local = Some((self.out.len() - 1, local));
            }
            Operand::Const(value) => self.out.emit_const(local, value),
            Operand::Local(src) => self.out.emit(copy(local, src, wide)),
            Operand::InSlot => self.out.emit(copy(local, home, wide)),
        }
        self.stack.pop();
        if tee {
            self.stack.push_value(Operand::Local(local), wide)?;
        }
        Ok(())
    }
}

