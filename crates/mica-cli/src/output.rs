//! Writing to stdout and stderr the way a Unix tool does: no panics on a closed pipe or a
//! full disk.
//!
//! `println!` panics when stdout cannot be written (`failed printing to stdout`, status 101).
//! Here a write to stdout returns its error, and [`WriteFailed::exit_code`] ends the command:
//! a broken pipe (the reader went away: `mica ... | head -1`) quietly, with status 141, the
//! status a shell reports for a tool that SIGPIPE ended (`yes | head -1`), so that
//! `set -o pipefail` still sees that the output was cut short; any other error (`ENOSPC` on
//! `/dev/full`, `EIO`) with a message on stderr and status 1.
//!
//! Rust ignores SIGPIPE, and Mica keeps it so: a WASI guest whose `fd_write` hits a closed
//! pipe gets `EPIPE` as its errno, as on any host, rather than the whole process being killed.
//!
//! Writes to stderr ([`err`], the [`errln!`](crate::errln) macro) ignore their errors: the
//! stream that would report them is the one that failed, and the exit status must still be
//! the one the run earned (134 after a trap, 1 after an error).

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

/// The status after stdout turned out to be a closed pipe: 128 + SIGPIPE.
pub const BROKEN_PIPE_STATUS: u8 = 141;

/// A write to stdout failed.
#[derive(Debug)]
pub struct WriteFailed(io::Error);

impl WriteFailed {
    /// How the command ends: quietly with [`BROKEN_PIPE_STATUS`] for a broken pipe, else
    /// with a message on stderr and status 1.
    pub fn exit_code(&self) -> ExitCode {
        if self.0.kind() == io::ErrorKind::BrokenPipe {
            ExitCode::from(BROKEN_PIPE_STATUS)
        } else {
            err(format_args!("error: cannot write to stdout: {}\n", self.0));
            ExitCode::FAILURE
        }
    }
}

/// Writes to stdout; the text reaches the OS at the latest at the end of its line.
pub fn out(args: fmt::Arguments<'_>) -> Result<(), WriteFailed> {
    io::stdout().lock().write_fmt(args).map_err(WriteFailed)
}

/// Sends whatever stdout still buffers to the OS.
pub fn flush() -> Result<(), WriteFailed> {
    io::stdout().lock().flush().map_err(WriteFailed)
}

/// Writes to stderr, ignoring failure (see the module's documentation).
pub fn err(args: fmt::Arguments<'_>) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// `println!` to stdout, returning `Result<(), WriteFailed>` instead of panicking.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that never panics: a failure to write to stderr is ignored.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Ends the command as clap would for a command line it does not take, or for `--help` and
/// `--version`, except that help sent to a closed pipe or a full disk ends as any other
/// output to stdout does (clap's own printing ignores the failure and exits 0).
pub fn clap_exit(e: &clap::Error) -> ExitCode {
    let status = ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    if e.use_stderr() {
        let _ = e.print(); // coloured where stderr is a terminal; stderr failures are ignored
        return status;
    }
    match out(format_args!("{}", e.render())).and_then(|()| flush()) {
        Ok(()) => status,
        Err(failed) => failed.exit_code(),
    }
}

/// Text from a module (a name, an import or export name) made safe to print: control
/// characters and other non-printing characters become `\u{..}` escapes, so that a name can
/// neither forge lines of output nor send terminal escape sequences.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || c == '\u{7f}' || is_invisible(c) {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Format characters that change how the rest of a line reads: bidirectional overrides and
/// isolates, zero-width characters, the byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_what_could_forge_output() {
        assert_eq!(escape("main"), "main");
        assert_eq!(escape("a\nb"), "a\\u{a}b");
        assert_eq!(escape("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(escape("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(escape("größe"), "größe");
    }
}
