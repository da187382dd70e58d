//! Maps offsets in the shell text handed to tree-sitter-bash back to the Dockerfile text.
//!
//! The shell text is stitched from pieces: the RUN command line with continuations joined (mapped
//! through the lexer's `LogicalLine`), heredoc bodies (copied verbatim), synthetic line breaks, and
//! decoded JSON strings of the exec form. Each piece is a `Segment`; a segment whose two sides have
//! the same length maps byte for byte, any other (an escape sequence, a synthetic byte) maps as a
//! whole.

use crate::syntax::TextRange;
use crate::syntax::lexer::LogicalLine;

#[derive(Debug, Clone, Copy)]
struct Segment {
    shell: TextRange,
    source: TextRange,
}

impl Segment {
    fn linear(self) -> bool {
        self.shell.len() == self.source.len()
    }
}

/// Shell text under construction together with its map to the source.
#[derive(Debug, Clone, Default)]
pub(super) struct MappedText {
    pub(super) text: String,
    segments: Vec<Segment>,
}

impl MappedText {
    /// Appends `text`, which stands for `source` in the Dockerfile.
    pub(super) fn push(&mut self, text: &str, source: TextRange) {
        let start = self.text.len();
        self.text.push_str(text);
        let shell = TextRange::new(start, self.text.len());
        // Merge with the previous segment when both are linear and contiguous on both sides.
        if let Some(last) = self.segments.last_mut()
            && last.linear()
            && shell.len() == source.len()
            && last.shell.end == shell.start
            && last.source.end == source.start
        {
            last.shell.end = shell.end;
            last.source.end = source.end;
            return;
        }
        if !text.is_empty() {
            self.segments.push(Segment { shell, source });
        }
    }

    /// Appends `line.text[logical]`, mapped through the lexer's continuation map.
    pub(super) fn push_logical(&mut self, line: &LogicalLine, logical: TextRange) {
        let Some(text) = line.text.get(logical.as_range()) else { return };
        let at = |offset: usize| line.source_range(TextRange::empty(offset)).start;
        // Split where the source jumps (a joined line break, skipped comment lines).
        let mut run_start = logical.start;
        let mut run_source = at(run_start);
        let mut previous = run_source;
        for offset in logical.start + 1..logical.end {
            let source = at(offset);
            if source != previous + 1 {
                self.push_run(text, logical.start, run_start, offset, run_source, previous + 1);
                run_start = offset;
                run_source = source;
            }
            previous = source;
        }
        if run_start < logical.end {
            self.push_run(text, logical.start, run_start, logical.end, run_source, previous + 1);
        }
    }

    fn push_run(&mut self, text: &str, base: usize, start: usize, end: usize, source_start: usize, source_end: usize) {
        // A jump inside a multi-byte character cannot happen (continuations cut at ASCII bytes);
        // `get` keeps a malformed map from panicking all the same.
        if let Some(piece) = text.get(start - base..end - base) {
            self.push(piece, TextRange::new(source_start, source_end.max(source_start)));
        }
    }

    pub(super) fn into_map(self) -> (String, SourceMap) {
        (self.text, SourceMap { segments: self.segments })
    }
}

/// The finished map from shell offsets to source offsets.
#[derive(Debug, Clone, Default)]
pub(super) struct SourceMap {
    segments: Vec<Segment>,
}

impl SourceMap {
    /// The source range of a shell range. A range ending at a segment boundary ends in the
    /// earlier segment, so it never reaches across a joined line break.
    pub(super) fn range(&self, shell: TextRange) -> TextRange {
        let start = self.offset(shell.start, false);
        let end = if shell.is_empty() { start } else { self.offset(shell.end, true) };
        TextRange::new(start, end.max(start))
    }

    fn offset(&self, at: usize, prefer_end: bool) -> usize {
        if self.segments.is_empty() {
            return 0;
        }
        let index = self.segments.partition_point(|s| s.shell.start <= at).max(1) - 1;
        let segment = self.segments[index];
        if prefer_end && index > 0 && at == segment.shell.start {
            return self.segments[index - 1].source.end;
        }
        if segment.linear() {
            return (segment.source.start + (at - segment.shell.start).min(segment.shell.len()))
                .min(segment.source.end);
        }
        // Inside a non-linear segment: snap outwards to the whole segment.
        if at == segment.shell.start || (!prefer_end && at < segment.shell.end) {
            segment.source.start
        } else {
            segment.source.end
        }
    }
}
