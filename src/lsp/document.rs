//! An open document: its version, its text as a rope (for position conversion) and its parse.

use ropey::Rope;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use super::position::{Encoding, offset};
use crate::syntax::{self, Parse, TextEdit, TextRange};

/// The server's copy of a document. The rope and the parse always hold the same text.
#[derive(Clone)]
pub struct Document {
    pub version: i32,
    pub rope: Rope,
    pub parse: Parse,
}

impl Document {
    pub fn new(version: i32, text: &str) -> Document {
        Document { version, rope: Rope::from_str(text), parse: syntax::parse(text) }
    }

    /// Applies the changes of one `didChange`, in order, each against the text left by the one before.
    ///
    /// Versions only increase (the specification says so), so a change whose version is not newer
    /// than the document's is a duplicate or out of order: it cannot be placed, and is ignored.
    pub fn apply_changes(&mut self, version: i32, changes: &[TextDocumentContentChangeEvent], encoding: Encoding) {
        if version <= self.version {
            tracing::warn!("ignored didChange version {version}: the document is at version {}", self.version);
            return;
        }
        self.version = version;
        // A whole-document change makes every change before it irrelevant: the fast path.
        let last_full = changes.iter().rposition(|c| c.range.is_none());
        let (base, incremental) = match last_full {
            Some(i) => (Some(changes[i].text.as_str()), &changes[i + 1..]),
            None => (None, changes),
        };
        if let Some(text) = base {
            self.rope = Rope::from_str(text);
        }
        let mut edits = Vec::with_capacity(incremental.len());
        for change in incremental {
            let Some(range) = change.range else { continue };
            let start = offset(&self.rope, range.start, encoding);
            let end = offset(&self.rope, range.end, encoding);
            // A reversed range is a client bug; treat it as the range between the two positions.
            let range = TextRange::new(start.min(end), start.max(end));
            let start_char = self.rope.byte_to_char(range.start);
            let end_char = self.rope.byte_to_char(range.end);
            self.rope.remove(start_char..end_char);
            self.rope.insert(start_char, &change.text);
            edits.push(TextEdit { range, new_text: change.text.clone() });
        }
        self.parse = match base {
            Some(_) => syntax::parse(&self.rope.to_string()),
            None => self.parse.reparse(&edits),
        };
        debug_assert!(self.rope == self.parse.text(), "rope and parse disagree");
    }
}
