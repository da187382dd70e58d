//! Completion inside the body of a RUN heredoc (`RUN <<EOF … EOF`): the body is the shell script,
//! so it gets what a RUN line gets (variables, `go` subcommands, flags and values, packages).
//! Other heredocs hold data (a file for COPY, a script's input) and get nothing.

use super::Request;
use crate::syntax::Keyword;

impl Request<'_> {
    /// The cursor is in a heredoc body or terminator.
    pub(super) fn in_heredoc_body(&mut self, line_start: usize) {
        let found = self.dockerfile.instructions.iter().enumerate().find_map(|(index, instruction)| {
            let heredoc =
                instruction.heredocs.iter().find(|h| h.body.start <= self.offset && self.offset <= h.body.end)?;
            Some((index, instruction, heredoc.body.start))
        });
        let Some((index, instruction, body_start)) = found else { return };
        if instruction.keyword != Some(Keyword::Run) {
            return;
        }
        let word_start = self.word_start().max(line_start).max(body_start);
        let word = &self.text[word_start..self.offset];
        if self.variable(word_start, word, Some(Keyword::Run)) {
            return;
        }
        self.run(index, word_start, word);
    }
}
