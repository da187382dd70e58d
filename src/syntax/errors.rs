//! Syntax errors: what is wrong, where, in plain words.

use super::TextRange;

/// The kinds of syntax error, each with a stable code for suppression and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SyntaxErrorKind {
    UnknownInstruction,
    MissingArgument,
    ExtraArgument,
    MissingValue,
    BlankName,
    UnterminatedQuote,
    UnterminatedHeredoc,
    InvalidEscape,
    DuplicateDirective,
    InstructionBeforeFrom,
    JsonFormRequired,
}

impl SyntaxErrorKind {
    /// The diagnostic code: kebab-case, prefixed so it cannot clash with a rule code.
    pub fn code(self) -> &'static str {
        match self {
            SyntaxErrorKind::UnknownInstruction => "syntax/unknown-instruction",
            SyntaxErrorKind::MissingArgument => "syntax/missing-argument",
            SyntaxErrorKind::ExtraArgument => "syntax/extra-argument",
            SyntaxErrorKind::MissingValue => "syntax/missing-value",
            SyntaxErrorKind::BlankName => "syntax/blank-name",
            SyntaxErrorKind::UnterminatedQuote => "syntax/unterminated-quote",
            SyntaxErrorKind::UnterminatedHeredoc => "syntax/unterminated-heredoc",
            SyntaxErrorKind::InvalidEscape => "syntax/invalid-escape",
            SyntaxErrorKind::DuplicateDirective => "syntax/duplicate-directive",
            SyntaxErrorKind::InstructionBeforeFrom => "syntax/instruction-before-from",
            SyntaxErrorKind::JsonFormRequired => "syntax/json-form-required",
        }
    }
}

/// A syntax error: one per problem, with the narrowest range that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub range: TextRange,
    pub message: String,
}

impl SyntaxError {
    pub fn new(kind: SyntaxErrorKind, range: TextRange, message: impl Into<String>) -> SyntaxError {
        SyntaxError { kind, range, message: message.into() }
    }
}
