//! Editor features over the syntax model and the rules, as plain data in byte offsets.

mod code_actions;
mod completion;
pub mod convert;
mod diagnostics;
mod document_links;
mod document_symbols;
mod folding_ranges;
mod formatting;
mod goto_definition;
mod hover;
mod inlay_hints;
mod on_type_formatting;
mod references;
mod rename;
mod selection_ranges;
mod semantic_tokens;
mod signature_help;
#[cfg(test)]
mod testing;
mod workspace_symbols;

pub use code_actions::{Action, ActionKind, code_actions, fix_all, fix_all_text, minimal_edit};
pub use completion::{CompletionItem, CompletionKind, CompletionOptions, Completions, completions};
pub use convert::{Conversion, ConvertError, ConvertOptions, RuntimeFlavor, conversions, is_convertible};
pub use diagnostics::{
    EDITOR_RULES_LIMIT, RULES_SKIPPED_CODE, diagnostics, diagnostics_for, diagnostics_with, editor_diagnostics,
};
pub use document_links::{Link, LinkTarget, document_links, registry_page};
pub use document_symbols::{Symbol, SymbolKind, document_symbols};
pub use folding_ranges::{Fold, FoldKind, folding_ranges};
pub use formatting::{FormatOptions, apply_edits, format, format_range};
pub use goto_definition::{DefinitionTarget, definition, goto_definition};
pub use hover::{Hover, hover};
pub use inlay_hints::{InlayHint, inlay_hints};
pub use on_type_formatting::on_type_formatting;
pub use references::{Highlight, Occurrence, Target, document_highlights, occurrences, references, target_at};
pub use rename::{RenameError, prepare_rename, rename};
pub use selection_ranges::selection_ranges;
pub use semantic_tokens::{
    DECLARATION, DEFAULT_LIBRARY, DEPRECATED, SemanticToken, TOKEN_MODIFIERS, TokenType, semantic_tokens,
};
pub use signature_help::{Signature, signature_help};
pub use workspace_symbols::workspace_symbols;
