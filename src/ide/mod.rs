//! Editor features over the syntax model and the rules, as plain data in byte offsets.

mod diagnostics;

pub use diagnostics::diagnostics;
