//! How `mica run` ends after an error: the guest's own exit status, or a report on stderr.
//!
//! - `proc_exit(n)` with `n` in `0..=125`: status `n`, nothing printed.
//! - `proc_exit(n)` with any other `n`: an error naming the status, and status 1. An exit
//!   status carries 8 bits, so 256 would read as 0 (success) and -1 as 255; and 126 and up
//!   mean "cannot execute", "not found" and "killed by signal N" to a shell (134 is Mica's
//!   own status for a trap). wasmtime refuses the same statuses (`exit with invalid exit
//!   status outside of [0..126)`, in its WASI `proc_exit`) and exits with 1; so does Mica.
//! - A trap: its reason and the wasm backtrace, and status 134 (128 + SIGABRT, as wasmtime),
//!   whether or not stderr can be written.
//! - Anything else (the module cannot be read, compiled or linked, a wrong command line):
//!   the message, and status 1.

use crate::backtrace;
use crate::errln;
use crate::output::{self, escape};
use mica::{Error, ErrorKind};
use mica_wasi::I32Exit;
use std::process::ExitCode;

/// The status after a trap.
pub const TRAP_STATUS: u8 = 134;

/// The largest status a guest may exit with.
pub const MAX_GUEST_STATUS: i32 = 125;

pub fn report(error: &Error) -> ExitCode {
    if let Some(I32Exit(code)) = error.downcast_ref::<I32Exit>() {
        return match u8::try_from(*code) {
            Ok(status) if *code <= MAX_GUEST_STATUS => ExitCode::from(status),
            _ => {
                errln!(
                    "error: the guest exited with status {code}, which is not a valid exit status \
                     (0 to {MAX_GUEST_STATUS}: an exit status has 8 bits, and shells reserve 126 \
                     and up for failures to run and signals)"
                );
                ExitCode::FAILURE
            }
        };
    }
    match error.kind() {
        // The core quotes import names from the module as they are.
        ErrorKind::Link(message) => errln!("error: link error: {}", escape(message)),
        _ => errln!("error: {error}"),
    }
    match error.as_trap() {
        Some(trap) => {
            output::err(format_args!("{}", backtrace::render(trap)));
            ExitCode::from(TRAP_STATUS)
        }
        None => ExitCode::FAILURE,
    }
}
