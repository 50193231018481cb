//! A trap's wasm backtrace as `mica run` prints it: runs of identical frames folded, a deep
//! stack cut to its innermost and outermost frames, names escaped.
//!
//! A stack overflow in a recursive function is 100,000 frames of one function. Printed one
//! per line that is 100,000 identical lines; here it is
//!
//! ```text
//! wasm backtrace:
//!        0: func[0] <rec>
//!           ... 99,999 more frames of func[0] <rec>
//!   100000: func[1] <main>
//! ```
//!
//! Each line shows the frame's number (0 is where the trap happened), then the frame as
//! [`FrameInfo`]'s `Display` writes it: the module offset where known, the function index, the
//! name with control characters escaped (`0x2e - func[3] <name>`).

use mica::{FrameInfo, Trap};
use std::fmt::{Display, Write};

/// Entries (a frame, or a run of identical frames) printed from the innermost end of a
/// backtrace and from its outermost end; what lies between is counted, not printed.
const INNERMOST: usize = 30;
const OUTERMOST: usize = 10;

/// The report of a trap's backtrace: `wasm backtrace:` and a line per entry, or nothing for
/// a trap without wasm frames.
pub fn render(trap: &Trap) -> String {
    let frames: &[FrameInfo] = trap.backtrace();
    if frames.is_empty() {
        return String::new();
    }
    // The core records at most `MAX_BACKTRACE` frames: the innermost half, then the rest,
    // with `omitted_frames` left out between.
    let split = if trap.omitted_frames() > 0 {
        (Trap::MAX_BACKTRACE / 2).min(frames.len())
    } else {
        frames.len()
    };
    let mut text = String::from("wasm backtrace:\n");
    text.push_str(&fold(frames, split, trap.omitted_frames()));
    text
}

/// What one line of the report stands for.
#[derive(Debug, PartialEq)]
enum Entry<'a, T> {
    /// `count` identical consecutive frames, the first of them numbered `number`.
    Run { number: usize, frame: &'a T, count: usize },
    /// Frames left out.
    Omitted(usize),
}

/// The lines for `frames` (innermost first), of which those from `split` on come after
/// `omitted` frames that are not in the slice.
fn fold<T: PartialEq + Display>(frames: &[T], split: usize, omitted: usize) -> String {
    let mut entries: Vec<Entry<'_, T>> = Vec::new();
    for (position, frame) in frames.iter().enumerate() {
        if position == split && omitted > 0 {
            entries.push(Entry::Omitted(omitted));
        }
        let number = if position < split { position } else { position + omitted };
        match entries.last_mut() {
            Some(Entry::Run { frame: last, count, .. }) if *last == frame => *count += 1,
            _ => entries.push(Entry::Run { number, frame, count: 1 }),
        }
    }
    let entries = cap(entries);
    let last_number = frames.len().saturating_sub(1) + omitted;
    let width = last_number.to_string().len().max(3) + 2;
    let mut text = String::new();
    for entry in entries {
        match entry {
            Entry::Run { number, frame, count } => {
                let _ = writeln!(text, "{number:>width$}: {frame}");
                if count > 1 {
                    let more = count - 1;
                    let s = if more == 1 { "" } else { "s" };
                    let _ = writeln!(
                        text,
                        "{:width$}  ... {} more frame{s} of {frame}",
                        "",
                        thousands(more)
                    );
                }
            }
            Entry::Omitted(count) => {
                let s = if count == 1 { "" } else { "s" };
                let _ = writeln!(text, "{:width$}  ... {} frame{s} omitted", "", thousands(count));
            }
        }
    }
    text
}

/// Keeps the innermost and outermost entries of a long list, and counts the frames between
/// (merging with any frames the core already left out there).
fn cap<T>(entries: Vec<Entry<'_, T>>) -> Vec<Entry<'_, T>> {
    if entries.len() <= INNERMOST + OUTERMOST + 1 {
        return entries;
    }
    let tail_start = entries.len() - OUTERMOST;
    let mut capped = Vec::with_capacity(INNERMOST + OUTERMOST + 1);
    let mut left_out = 0;
    for (i, entry) in entries.into_iter().enumerate() {
        if i < INNERMOST || i >= tail_start {
            if i == tail_start {
                capped.push(Entry::Omitted(left_out));
            }
            capped.push(entry);
        } else {
            left_out += match entry {
                Entry::Run { count, .. } => count,
                Entry::Omitted(count) => count,
            };
        }
    }
    capped
}

/// `99999` as `99,999`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::{fold, thousands};

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(99_999), "99,999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn short_backtraces_print_every_frame() {
        let frames = ["f", "g", "main"];
        assert_eq!(fold(&frames, 3, 0), "    0: f\n    1: g\n    2: main\n");
    }

    #[test]
    fn runs_of_identical_frames_fold() {
        let mut frames = vec!["rec"; 100_000];
        frames.push("main");
        assert_eq!(
            fold(&frames, frames.len(), 0),
            "       0: rec\n          ... 99,999 more frames of rec\n  100000: main\n"
        );
        assert_eq!(
            fold(&["a", "a", "b"], 3, 0),
            "    0: a\n       ... 1 more frame of a\n    2: b\n"
        );
    }

    #[test]
    fn frames_the_core_left_out_are_counted_and_numbers_stay_true() {
        // 4 recorded innermost frames, 96 left out, 4 outermost.
        let frames = ["r", "r", "r", "r", "r", "r", "r", "main"];
        assert_eq!(
            fold(&frames, 4, 96),
            "    0: r\n       ... 3 more frames of r\n       ... 96 frames omitted\n  \
             100: r\n       ... 2 more frames of r\n  103: main\n"
        );
    }

    #[test]
    fn deep_varied_stacks_keep_both_ends() {
        // Mutual recursion: nothing folds, so the middle is cut.
        let frames: Vec<&str> = (0..1000).map(|i| if i % 2 == 0 { "a" } else { "b" }).collect();
        let text = fold(&frames, frames.len(), 0);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 30 + 1 + 10);
        assert_eq!(lines[0], "    0: a");
        assert_eq!(lines[29], "   29: b");
        assert_eq!(lines[30], "       ... 960 frames omitted");
        assert_eq!(lines[31], "  990: a");
        assert_eq!(lines[40], "  999: b");
    }

    #[test]
    fn a_cut_merges_with_the_cores_gap() {
        let frames: Vec<&str> = (0..100).map(|i| if i % 2 == 0 { "a" } else { "b" }).collect();
        let text = fold(&frames, 50, 1000);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 41);
        assert_eq!(lines[30], "        ... 1,060 frames omitted");
        assert_eq!(lines[31], "  1090: a");
        assert_eq!(lines[40], "  1099: b");
    }
}
