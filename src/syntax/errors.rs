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
    UnknownFlag,
    DuplicateFlag,
    FlagMissingValue,
    InvalidFlagValue,
    UnknownMountOption,
    InvalidMountOption,
    InvalidStageName,
    InvalidImageReference,
    InvalidPort,
    InvalidSignal,
    InvalidOnbuildTrigger,
    JsonSingleQuotes,
    MalformedJson,
    BadSubstitution,
}

impl SyntaxErrorKind {
    /// Every kind, for documentation and for validating codes in suppression comments and settings.
    /// A new kind must be added here as well as to `code`.
    pub const ALL: &[SyntaxErrorKind] = &[
        SyntaxErrorKind::UnknownInstruction,
        SyntaxErrorKind::MissingArgument,
        SyntaxErrorKind::ExtraArgument,
        SyntaxErrorKind::MissingValue,
        SyntaxErrorKind::BlankName,
        SyntaxErrorKind::UnterminatedQuote,
        SyntaxErrorKind::UnterminatedHeredoc,
        SyntaxErrorKind::InvalidEscape,
        SyntaxErrorKind::DuplicateDirective,
        SyntaxErrorKind::InstructionBeforeFrom,
        SyntaxErrorKind::JsonFormRequired,
        SyntaxErrorKind::UnknownFlag,
        SyntaxErrorKind::DuplicateFlag,
        SyntaxErrorKind::FlagMissingValue,
        SyntaxErrorKind::InvalidFlagValue,
        SyntaxErrorKind::UnknownMountOption,
        SyntaxErrorKind::InvalidMountOption,
        SyntaxErrorKind::InvalidStageName,
        SyntaxErrorKind::InvalidImageReference,
        SyntaxErrorKind::InvalidPort,
        SyntaxErrorKind::InvalidSignal,
        SyntaxErrorKind::InvalidOnbuildTrigger,
        SyntaxErrorKind::JsonSingleQuotes,
        SyntaxErrorKind::MalformedJson,
        SyntaxErrorKind::BadSubstitution,
    ];

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
            SyntaxErrorKind::UnknownFlag => "syntax/unknown-flag",
            SyntaxErrorKind::DuplicateFlag => "syntax/duplicate-flag",
            SyntaxErrorKind::FlagMissingValue => "syntax/flag-missing-value",
            SyntaxErrorKind::InvalidFlagValue => "syntax/invalid-flag-value",
            SyntaxErrorKind::UnknownMountOption => "syntax/unknown-mount-option",
            SyntaxErrorKind::InvalidMountOption => "syntax/invalid-mount-option",
            SyntaxErrorKind::InvalidStageName => "syntax/invalid-stage-name",
            SyntaxErrorKind::InvalidImageReference => "syntax/invalid-image-reference",
            SyntaxErrorKind::InvalidPort => "syntax/invalid-port",
            SyntaxErrorKind::InvalidSignal => "syntax/invalid-signal",
            SyntaxErrorKind::InvalidOnbuildTrigger => "syntax/invalid-onbuild-trigger",
            SyntaxErrorKind::JsonSingleQuotes => "syntax/json-single-quotes",
            SyntaxErrorKind::MalformedJson => "syntax/malformed-json",
            SyntaxErrorKind::BadSubstitution => "syntax/bad-substitution",
        }
    }
}

/// Whether `code` is the code of a kind of syntax error (`syntax/…`).
pub fn is_syntax_error_code(code: &str) -> bool {
    SyntaxErrorKind::ALL.iter().any(|kind| kind.code().eq_ignore_ascii_case(code))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_kind_once() {
        let mut codes: Vec<&str> = SyntaxErrorKind::ALL.iter().map(|kind| kind.code()).collect();
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), count);
        assert!(is_syntax_error_code("syntax/unknown-instruction"));
        assert!(!is_syntax_error_code("syntax/nothing"));
    }
}
