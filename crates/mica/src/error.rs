//! Errors: everything that can go wrong is a value the embedder receives.
//!
//! [`Error`] covers loading (malformed or invalid bytes, with a byte offset), linking,
//! instantiation and execution; execution failures are a [`Trap`] with its [`TrapCode`] and a
//! wasm backtrace.

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// Why execution stopped abnormally.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    Unreachable,
    IntegerOverflow,
    IntegerDivisionByZero,
    BadConversionToInteger,
    MemoryOutOfBounds,
    TableOutOfBounds,
    IndirectCallToNull,
    BadSignature,
    NullReference,
    /// `call_ref`/`return_call_ref` of a null reference.
    NullFunctionReference,
    UninitializedElement,
    /// An allocation past a limit of the store (`Config::max_exceptions`,
    /// `Config::max_gc_heap`), or one the system had no memory for.
    OutOfMemory,
    /// `i31.get_*` of a null reference.
    NullI31Reference,
    /// A struct access through a null reference.
    NullStructReference,
    /// An array access through a null reference.
    NullArrayReference,
    /// An array index (or range) past the array's length.
    ArrayOutOfBounds,
    /// `ref.cast` of a reference that is not of the type cast to.
    CastFailure,
    StackOverflow,
    /// A host function returned an error.
    HostError,
    /// The store's fuel ran out (`Config::consume_fuel`).
    OutOfFuel,
    /// The engine's epoch reached the store's deadline (`Config::epoch_interruption`).
    Interrupt,
}

impl TrapCode {
    /// The spec's wording for the trap, as `assert_trap` directives spell it.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivisionByZero => "integer divide by zero",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::IndirectCallToNull => "uninitialized element",
            TrapCode::BadSignature => "indirect call type mismatch",
            TrapCode::NullReference => "null reference",
            TrapCode::NullFunctionReference => "null function reference",
            TrapCode::OutOfMemory => "out of memory: the store holds as many objects as its limit allows",
            TrapCode::NullI31Reference => "null i31 reference",
            TrapCode::NullStructReference => "null structure reference",
            TrapCode::NullArrayReference => "null array reference",
            TrapCode::ArrayOutOfBounds => "out of bounds array access",
            TrapCode::CastFailure => "cast failure",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::HostError => "host error",
            TrapCode::OutOfFuel => "all fuel consumed",
            TrapCode::Interrupt => "interrupted: the epoch deadline passed",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// One frame of a wasm backtrace, innermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrameInfo {
    /// The function's index in its module.
    pub func_index: u32,
    /// The function's name, where the module's name section gives one. Untrusted: it comes
    /// from the module, and may hold any characters (the `Display` impl escapes them).
    pub func_name: Option<String>,
    /// The byte offset, in the module, of the instruction the frame was executing (the
    /// call, for a caller's frame), where known.
    pub module_offset: Option<usize>,
    /// The same instruction's offset from the start of the function's body (its locals
    /// declaration), where known.
    pub func_offset: Option<usize>,
    /// The instance the function belongs to (`None` for a host function's frame).
    pub instance: Option<crate::Instance>,
}

impl FrameInfo {
    pub(crate) fn new(func_index: u32, func_name: Option<String>, module_offset: Option<usize>) -> FrameInfo {
        FrameInfo { func_index, func_name, module_offset, func_offset: None, instance: None }
    }
}

impl fmt::Display for FrameInfo {
    /// `0x2e - func[3] <name>`: the offset where known, the name with control characters
    /// (and anything else that is not printable) escaped, so that a name cannot forge frames
    /// or send terminal escapes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(offset) = self.module_offset {
            write!(f, "{offset:#x} - ")?;
        }
        write!(f, "func[{}]", self.func_index)?;
        if let Some(name) = &self.func_name {
            f.write_str(" <")?;
            for c in name.chars() {
                if c.is_control() || c == '\u{7f}' {
                    write!(f, "{}", c.escape_unicode())?;
                } else {
                    write!(f, "{c}")?;
                }
            }
            f.write_str(">")?;
        }
        Ok(())
    }
}

/// An execution failure: its kind, and the wasm frames that were live when it happened.
#[derive(Debug)]
pub struct Trap {
    code: TrapCode,
    backtrace: Vec<FrameInfo>,
    /// Frames left out of `backtrace` (between its first and last frames), which is capped.
    omitted: usize,
    /// For [`TrapCode::HostError`]: what the host returned. (Not boxed again: an `Error` is
    /// one pointer already, and the allocation was a tenth of a WASI program's exit.)
    host: Option<Error>,
}

impl Trap {
    pub(crate) fn new(code: TrapCode) -> Trap {
        Trap { code, backtrace: Vec::new(), omitted: 0, host: None }
    }

    pub(crate) fn host(error: Error) -> Trap {
        Trap { code: TrapCode::HostError, backtrace: Vec::new(), omitted: 0, host: Some(error) }
    }

    pub fn code(&self) -> TrapCode {
        self.code
    }

    /// The wasm frames at the point of the trap, innermost first. At most
    /// [`Trap::MAX_BACKTRACE`] of them: of a deeper stack, the innermost and the outermost
    /// frames, with [`Trap::omitted_frames`] left out between.
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }

    /// How many frames of a deep stack the backtrace leaves out, between its first
    /// `MAX_BACKTRACE / 2` frames and the rest.
    pub fn omitted_frames(&self) -> usize {
        self.omitted
    }

    /// The most frames a backtrace records: a trap in a deep recursion costs no more.
    pub const MAX_BACKTRACE: usize = 1000;

    pub(crate) fn set_backtrace(&mut self, frames: Vec<FrameInfo>, omitted: usize) {
        self.backtrace = frames;
        self.omitted = omitted;
    }

    /// For a host error: the error the host function returned.
    pub fn host_error(&self) -> Option<&Error> {
        self.host.as_ref()
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            Some(host) => write!(f, "{host}"),
            None => write!(f, "wasm trap: {}", self.code),
        }
    }
}

/// What kind of failure an [`Error`] is.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not a well-formed module.
    Malformed { message: String, offset: usize },
    /// The module is well-formed but does not validate.
    Invalid { message: String, offset: usize },
    /// A module's text could not be parsed.
    Text(String),
    /// The module uses something this engine or its configuration does not support.
    Unsupported(String),
    /// An import could not be satisfied.
    Link(String),
    /// Execution trapped.
    Trap(Trap),
    /// A wasm exception that no handler caught (or that a host function throws).
    Exception(crate::exception::ExnRef),
    /// An error made by the embedder's code (a host function, for example).
    Host(Box<dyn HostError>),
    /// A host function's request to pause the call that called it ([`Error::pause`]). A
    /// resumable call (`Func::call_resumable`) pauses; any other call traps with this as
    /// the host error.
    Pause(Box<dyn HostError>),
    /// A misuse of the API: a value of another store, a wrong argument count or type.
    Usage(String),
    /// The bytes given to `Module::deserialize` are not a module serialized by this version
    /// of Mica with this engine's features (or were corrupted).
    Serialized(String),
}

/// An error payload a host function can return; carried through traps untouched so the
/// embedder can downcast it (WASI's exit status travels this way).
pub trait HostError: fmt::Display + fmt::Debug + Send + Sync + 'static {
    fn as_any(&self) -> &dyn core::any::Any;
}

impl<E: fmt::Display + fmt::Debug + Send + Sync + 'static> HostError for E {
    fn as_any(&self) -> &dyn core::any::Any {
        self
    }
}

/// Mica's error type.
#[derive(Debug)]
pub struct Error {
    kind: Box<ErrorKind>,
}

/// `Result` with Mica's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// An error with a message, as a host function returns it.
    pub fn new(message: impl fmt::Display) -> Error {
        Error::host(message.to_string())
    }

    /// An error carrying any payload; [`Error::downcast_ref`] gets it back.
    pub fn host(payload: impl HostError) -> Error {
        Error::from_kind(ErrorKind::Host(Box::new(payload)))
    }

    /// What a host function returns to pause the resumable call that called it
    /// (`Func::call_resumable`), with `request` for the embedder (`PauseReason::Host`): the
    /// call returns a `PausedCall`, and resuming it supplies the host function's results.
    /// This is how a host does asynchronous work without blocking the interpreter.
    pub fn pause(request: impl HostError) -> Error {
        Error::from_kind(ErrorKind::Pause(Box::new(request)))
    }

    /// Whether this is a host function's request to pause ([`Error::pause`]).
    pub(crate) fn is_pause(&self) -> bool {
        matches!(&*self.kind, ErrorKind::Pause(_))
    }

    pub(crate) fn from_kind(kind: ErrorKind) -> Error {
        Error { kind: Box::new(kind) }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::from_kind(ErrorKind::Usage(message.into()))
    }

    pub(crate) fn link(message: impl Into<String>) -> Error {
        Error::from_kind(ErrorKind::Link(message.into()))
    }

    pub(crate) fn unsupported(message: impl Into<String>) -> Error {
        Error::from_kind(ErrorKind::Unsupported(message.into()))
    }

    pub(crate) fn from_parser(e: wasmparser::BinaryReaderError, malformed: bool) -> Error {
        // Some decoder messages embed multi-line debug output: keep messages on one line.
        let mut message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
        if !cfg!(feature = "simd") && message.contains("SIMD") {
            message.push_str(" (this build of Mica leaves SIMD out: its crate feature `simd` is off)");
        }
        let offset = e.offset() as usize;
        Error::from_kind(if malformed {
            ErrorKind::Malformed { message, offset }
        } else {
            ErrorKind::Invalid { message, offset }
        })
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn into_kind(self) -> Box<ErrorKind> {
        self.kind
    }

    pub(crate) fn kind_mut(&mut self) -> &mut ErrorKind {
        &mut self.kind
    }

    /// The trap, if this error is one. A host error that unwound through wasm is also a trap
    /// (with [`TrapCode::HostError`]).
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.kind {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The trap code, if this error is a trap.
    /// The exception, if this error is a wasm exception that no handler caught: its tag and
    /// values are read through the store ([`crate::ExnRef::tag`], [`crate::ExnRef::payload`]),
    /// and a host function may throw it again by returning it.
    pub fn as_exception(&self) -> Option<crate::exception::ExnRef> {
        match &*self.kind {
            ErrorKind::Exception(exn) => Some(*exn),
            _ => None,
        }
    }

    pub fn trap_code(&self) -> Option<TrapCode> {
        self.as_trap().map(Trap::code)
    }

    /// The host payload of type `E`, whether returned directly or through a trap.
    pub fn downcast_ref<E: 'static>(&self) -> Option<&E> {
        match &*self.kind {
            // `(**h)`: the blanket `HostError` impl also covers `Box<dyn HostError>`, so
            // `h.as_any()` would describe the box rather than the payload inside it.
            ErrorKind::Host(h) | ErrorKind::Pause(h) => (**h).as_any().downcast_ref(),
            ErrorKind::Trap(t) => t.host_error()?.downcast_ref(),
            _ => None,
        }
    }
}

impl From<Trap> for Error {
    fn from(trap: Trap) -> Error {
        Error::from_kind(ErrorKind::Trap(trap))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.kind {
            ErrorKind::Malformed { message, offset } => {
                write!(f, "malformed module: {message} (at offset {offset:#x})")
            }
            ErrorKind::Invalid { message, offset } => {
                write!(f, "invalid module: {message} (at offset {offset:#x})")
            }
            ErrorKind::Text(message) => write!(f, "{message}"),
            ErrorKind::Unsupported(message) => write!(f, "unsupported: {message}"),
            ErrorKind::Link(message) => write!(f, "link error: {message}"),
            ErrorKind::Trap(trap) => write!(f, "{trap}"),
            ErrorKind::Exception(_) => write!(f, "uncaught wasm exception"),
            ErrorKind::Host(payload) => write!(f, "{payload}"),
            ErrorKind::Pause(request) => {
                write!(f, "a host function asked to pause a call that is not resumable (Func::call_resumable): {request}")
            }
            ErrorKind::Usage(message) => write!(f, "{message}"),
            ErrorKind::Serialized(message) => write!(f, "cannot deserialize module: {message}"),
        }
    }
}

impl core::error::Error for Error {}

impl From<TrapCode> for Error {
    fn from(code: TrapCode) -> Error {
        Trap::new(code).into()
    }
}
