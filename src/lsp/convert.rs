//! Conversion of the core's plain data (byte ranges, diagnostics, symbols) into LSP types.

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use super::position::{Encoding, position};
use super::state::Negotiated;
use crate::ide::{self, Fold, FoldKind, Symbol, SymbolKind};
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

impl Converter<'_> {
    pub(super) fn highlight(&self, highlight: &ide::Highlight) -> lsp::DocumentHighlight {
        let kind = if highlight.write { lsp::DocumentHighlightKind::WRITE } else { lsp::DocumentHighlightKind::READ };
        lsp::DocumentHighlight { range: self.range(highlight.range), kind: Some(kind) }
    }

    /// A link; file links need the build context's directory.
    pub(super) fn document_link(
        &self,
        link: &ide::Link,
        context: Option<&std::path::Path>,
    ) -> Option<lsp::DocumentLink> {
        let target: lsp::Uri = match &link.target {
            ide::LinkTarget::Url(url) => url.parse().ok()?,
            ide::LinkTarget::File(path) => lsp::Uri::from_file_path(context?.join(path))?,
        };
        Some(lsp::DocumentLink { range: self.range(link.range), target: Some(target), tooltip: None, data: None })
    }

    /// Nested ranges, innermost first, as the linked list LSP expects.
    pub(super) fn selection_range(&self, ranges: &[TextRange]) -> lsp::SelectionRange {
        let mut outer: Option<Box<lsp::SelectionRange>> = None;
        for range in ranges.iter().rev() {
            outer = Some(Box::new(lsp::SelectionRange { range: self.range(*range), parent: outer }));
        }
        outer.map_or_else(|| lsp::SelectionRange { range: self.range(TextRange::empty(0)), parent: None }, |b| *b)
    }

    pub(super) fn text_edit(&self, edit: &crate::syntax::TextEdit) -> lsp::TextEdit {
        lsp::TextEdit { range: self.range(edit.range), new_text: edit.new_text.clone() }
    }

    /// An inlay hint shown after the text it describes, set off by a space.
    pub(super) fn inlay_hint(&self, hint: &ide::InlayHint) -> lsp::InlayHint {
        lsp::InlayHint {
            position: position(self.rope, hint.offset, self.encoding),
            label: lsp::InlayHintLabel::String(hint.label.clone()),
            kind: None,
            text_edits: None,
            tooltip: hint.tooltip.clone().map(lsp::InlayHintTooltip::String),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        }
    }

    /// Completion items with their edits; snippets are marked as such.
    pub(super) fn completion_list(&self, completions: &ide::Completions) -> lsp::CompletionList {
        let items = completions
            .items
            .iter()
            .map(|item| lsp::CompletionItem {
                label: item.label.clone(),
                kind: Some(completion_kind(item.kind)),
                detail: item.detail.clone(),
                documentation: item.documentation.as_ref().map(|value| {
                    lsp::Documentation::MarkupContent(lsp::MarkupContent {
                        kind: lsp::MarkupKind::Markdown,
                        value: value.clone(),
                    })
                }),
                preselect: item.preselect.then_some(true),
                sort_text: Some(item.sort_text.clone()),
                filter_text: item.filter_text.clone(),
                insert_text_format: Some(if item.snippet {
                    lsp::InsertTextFormat::SNIPPET
                } else {
                    lsp::InsertTextFormat::PLAIN_TEXT
                }),
                text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                    range: self.range(item.range),
                    new_text: item.insert_text.clone(),
                })),
                tags: item.deprecated.then(|| vec![lsp::CompletionItemTag::DEPRECATED]),
                ..lsp::CompletionItem::default()
            })
            .collect();
        lsp::CompletionList { is_incomplete: completions.incomplete, items }
    }

    /// Semantic tokens in the LSP's relative encoding (each token a line delta, a start delta, a
    /// length in the negotiated units, a legend index and modifier bits). `text` is the document's
    /// text (the rope's content); tokens come sorted and never span a line break.
    pub(super) fn semantic_tokens(&self, text: &str, tokens: &[ide::SemanticToken]) -> Vec<lsp::SemanticToken> {
        let mut encoded = Vec::with_capacity(tokens.len());
        let mut positions = ForwardPositions::new(self.rope, text, self.encoding);
        let (mut line, mut start) = (0, 0);
        for token in tokens {
            let from = positions.at(token.range.start);
            let to = positions.at(token.range.end);
            if to.line != from.line || to.character <= from.character {
                continue;
            }
            let delta_line = from.line - line;
            let delta_start = if delta_line == 0 { from.character - start } else { from.character };
            encoded.push(lsp::SemanticToken {
                delta_line,
                delta_start,
                length: to.character - from.character,
                token_type: token.kind.index(),
                token_modifiers_bitset: token.modifiers,
            });
            (line, start) = (from.line, from.character);
        }
        encoded
    }
}

/// Positions of mostly increasing byte offsets, found by walking the text forward from the last
/// one instead of searching the rope and rescanning the line for each: a long RUN line carries
/// dozens of tokens, and that rescan was most of the cost of a semantic-tokens request.
struct ForwardPositions<'a> {
    rope: &'a Rope,
    text: &'a str,
    encoding: Encoding,
    offset: usize,
    position: lsp::Position,
}

impl<'a> ForwardPositions<'a> {
    fn new(rope: &'a Rope, text: &'a str, encoding: Encoding) -> Self {
        // A text that is not the rope's content gets no shortcut: every position comes from the rope.
        let text = if text.len() == rope.len_bytes() { text } else { "" };
        ForwardPositions { rope, text, encoding, offset: 0, position: lsp::Position::new(0, 0) }
    }

    fn at(&mut self, offset: usize) -> lsp::Position {
        let offset = offset.min(self.rope.len_bytes());
        let gap = (offset >= self.offset).then(|| self.text.get(self.offset..offset)).flatten();
        match gap {
            // Same line: only the characters in between count.
            Some(gap) if !gap.contains(['\n', '\r']) => {
                let units: usize = gap.chars().map(|c| self.encoding.units(c)).sum();
                self.position.character += units as u32;
            }
            // A line break in between, a step back, or not a character boundary: ask the rope.
            _ => self.position = position(self.rope, offset, self.encoding),
        }
        self.offset = offset;
        self.position
    }
}

/// The legend every semantic token refers to.
/// A signature; parameters are given by offsets, which are the same in every encoding as the label is ASCII.
pub(super) fn signature_help(signature: &ide::Signature) -> lsp::SignatureHelp {
    let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
    let parameters = signature
        .parameters
        .iter()
        .map(|&(start, end)| lsp::ParameterInformation {
            label: lsp::ParameterLabel::LabelOffsets([offset(start), offset(end)]),
            documentation: None,
        })
        .collect();
    let active_parameter = signature.active_parameter.map(offset);
    lsp::SignatureHelp {
        signatures: vec![lsp::SignatureInformation {
            label: signature.label.clone(),
            // On the signature rather than the parameter: every client shows it there.
            documentation: signature.documentation.clone().map(lsp::Documentation::String),
            parameters: Some(parameters),
            active_parameter,
        }],
        active_signature: Some(0),
        active_parameter,
    }
}

pub(super) fn semantic_tokens_legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: ide::TokenType::ALL.iter().map(|t| lsp::SemanticTokenType::new(t.as_str())).collect(),
        token_modifiers: ide::TOKEN_MODIFIERS.iter().map(|m| lsp::SemanticTokenModifier::new(m)).collect(),
    }
}

/// The one edit turning `old` into `new`: the tokens between their common prefix and suffix
/// (offsets count the five integers of each token, as the LSP says).
pub(super) fn semantic_tokens_edits(
    old: &[lsp::SemanticToken],
    new: &[lsp::SemanticToken],
) -> Vec<lsp::SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old.iter().rev().zip(new.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    if prefix == old.len() && prefix == new.len() {
        return Vec::new();
    }
    vec![lsp::SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: ((old.len() - prefix - suffix) * 5) as u32,
        data: Some(new[prefix..new.len() - suffix].to_vec()),
    }]
}

fn completion_kind(kind: ide::CompletionKind) -> lsp::CompletionItemKind {
    use ide::CompletionKind as Kind;
    match kind {
        Kind::Keyword => lsp::CompletionItemKind::KEYWORD,
        Kind::Directive => lsp::CompletionItemKind::PROPERTY,
        Kind::Flag => lsp::CompletionItemKind::PROPERTY,
        Kind::Value => lsp::CompletionItemKind::VALUE,
        Kind::Stage => lsp::CompletionItemKind::CLASS,
        Kind::Variable => lsp::CompletionItemKind::VARIABLE,
        Kind::Rule => lsp::CompletionItemKind::ENUM_MEMBER,
        Kind::Image => lsp::CompletionItemKind::MODULE,
        Kind::ImageTag => lsp::CompletionItemKind::CONSTANT,
        Kind::Package => lsp::CompletionItemKind::FOLDER,
        Kind::Command => lsp::CompletionItemKind::FUNCTION,
        Kind::File => lsp::CompletionItemKind::FILE,
        Kind::Folder => lsp::CompletionItemKind::FOLDER,
    }
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Stage => lsp::SymbolKind::CLASS,
        SymbolKind::Instruction => lsp::SymbolKind::FUNCTION,
        SymbolKind::Variable => lsp::SymbolKind::VARIABLE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(delta_line: u32, delta_start: u32) -> lsp::SemanticToken {
        lsp::SemanticToken { delta_line, delta_start, length: 1, token_type: 0, token_modifiers_bitset: 0 }
    }

    /// Applies delta edits the way a client does.
    fn apply(old: &[lsp::SemanticToken], edits: &[lsp::SemanticTokensEdit]) -> Vec<lsp::SemanticToken> {
        let mut tokens = old.to_vec();
        for edit in edits.iter().rev() {
            let start = edit.start as usize / 5;
            let end = start + edit.delete_count as usize / 5;
            tokens.splice(start..end, edit.data.clone().unwrap_or_default());
        }
        tokens
    }

    #[test]
    fn delta_edits_reproduce_the_new_tokens() {
        let old = [token(0, 0), token(0, 4), token(1, 0), token(0, 3)];
        for new in [
            vec![token(0, 0), token(0, 4), token(2, 0), token(0, 3)],
            vec![token(0, 0)],
            vec![],
            old.to_vec(),
            vec![token(0, 0), token(0, 4), token(1, 0), token(0, 3), token(5, 5)],
        ] {
            assert_eq!(apply(&old, &semantic_tokens_edits(&old, &new)), new);
        }
        assert!(semantic_tokens_edits(&old, &old).is_empty());
    }

    #[test]
    fn forward_positions_agree_with_the_rope_at_every_offset() {
        let text = "FROM a\r\nRUN x\u{1F600}y \u{e9}z\rLABEL k=\"v\"\n\n  \u{1F600}\u{1F600} end";
        let rope = Rope::from_str(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            // Every offset in order (boundaries and the middle of characters), then jumps back and forth.
            let mut walk: Vec<usize> = (0..=text.len() + 2).collect();
            walk.extend([3, 40, 0, 12, 11, 26]);
            let mut positions = ForwardPositions::new(&rope, text, encoding);
            for offset in walk {
                assert_eq!(positions.at(offset), position(&rope, offset, encoding), "{offset} in {encoding:?}");
            }
        }
    }
}
