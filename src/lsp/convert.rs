//! Conversion of the core's plain data (byte ranges, diagnostics, symbols) into LSP types.

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use super::position::{Encoding, position};
use super::state::Negotiated;
use crate::ide::{Fold, FoldKind, Symbol, SymbolKind};
use crate::rules::{self, Diagnostic, Severity, Tag};
use crate::syntax::TextRange;

/// Converts byte ranges of one document snapshot.
pub(super) struct Converter<'a> {
    pub(super) rope: &'a Rope,
    pub(super) encoding: Encoding,
}

impl Converter<'_> {
    pub(super) fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range::new(position(self.rope, range.start, self.encoding), position(self.rope, range.end, self.encoding))
    }

    /// A diagnostic, with a link to the rule's page and tags where the client supports them.
    pub(super) fn diagnostic(&self, diagnostic: &Diagnostic, negotiated: &Negotiated) -> lsp::Diagnostic {
        let code_description = negotiated
            .code_description
            .then(|| rules::help_uri(&diagnostic.code))
            .flatten()
            .and_then(|href| href.parse().ok())
            .map(|href| lsp::CodeDescription { href });
        let tags: Vec<lsp::DiagnosticTag> = rules::tags(&diagnostic.code)
            .iter()
            .map(|tag| match tag {
                Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
                Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
            })
            .collect();
        lsp::Diagnostic {
            code_description,
            tags: (negotiated.diagnostic_tags && !tags.is_empty()).then_some(tags),
            range: self.range(diagnostic.range),
            severity: Some(match diagnostic.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
                Severity::Hint => lsp::DiagnosticSeverity::HINT,
            }),
            code: Some(lsp::NumberOrString::String(diagnostic.code.clone())),
            source: Some("gantry".to_string()),
            message: diagnostic.message.clone(),
            ..lsp::Diagnostic::default()
        }
    }

    #[allow(deprecated)] // `DocumentSymbol::deprecated` must still be spelled out.
    pub(super) fn document_symbol(&self, symbol: &Symbol) -> lsp::DocumentSymbol {
        lsp::DocumentSymbol {
            name: symbol.name.clone(),
            detail: symbol.detail.clone(),
            kind: symbol_kind(symbol.kind),
            tags: None,
            deprecated: None,
            range: self.range(symbol.range),
            selection_range: self.range(symbol.selection),
            children: (!symbol.children.is_empty())
                .then(|| symbol.children.iter().map(|c| self.document_symbol(c)).collect()),
        }
    }

    /// The flat form, for clients without hierarchical symbol support.
    #[allow(deprecated)] // `SymbolInformation::deprecated` must still be spelled out.
    pub(super) fn symbol_information(&self, uri: &lsp::Uri, symbols: &[Symbol], out: &mut Vec<lsp::SymbolInformation>) {
        for symbol in symbols {
            out.push(lsp::SymbolInformation {
                name: symbol.name.clone(),
                kind: symbol_kind(symbol.kind),
                tags: None,
                deprecated: None,
                location: lsp::Location::new(uri.clone(), self.range(symbol.range)),
                container_name: None,
            });
            self.symbol_information(uri, &symbol.children, out);
        }
    }

    pub(super) fn folding_range(&self, fold: &Fold) -> lsp::FoldingRange {
        let range = self.range(fold.range);
        lsp::FoldingRange {
            start_line: range.start.line,
            start_character: None,
            end_line: range.end.line,
            end_character: None,
            kind: Some(match fold.kind {
                FoldKind::Comment => lsp::FoldingRangeKind::Comment,
                FoldKind::Region => lsp::FoldingRangeKind::Region,
            }),
            collapsed_text: None,
        }
    }
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Stage => lsp::SymbolKind::CLASS,
        SymbolKind::Instruction => lsp::SymbolKind::FUNCTION,
        SymbolKind::Variable => lsp::SymbolKind::VARIABLE,
    }
}
