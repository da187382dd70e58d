//! COPY and ADD sources from the build context: the entries of the directory typed so far
//! (`COPY cmd/` lists `cmd`), directories with a trailing `/`, never what the `.dockerignore` in
//! effect leaves out. Listings come from the workspace's cache (one `stat` per request once a
//! directory has been read), never from a walk.

use super::{CompletionKind, Request, item};
use crate::syntax::Instruction;
use crate::workspace::{DockerIgnore, is_within, join};

/// At most this many entries per answer; a larger directory gives an incomplete list.
const MAX_ENTRIES: usize = 200;

impl Request<'_> {
    /// A COPY/ADD argument being typed at `start` (`word` so far).
    pub(super) fn context_paths(&mut self, instruction: &Instruction, start: usize, word: &str) {
        let Some(go) = self.go else { return };
        // Sources from another stage or image are not in the context.
        if instruction.flag("from").is_some() {
            return;
        }
        // `["a", "b"]`: the path starts after the bracket and the quote.
        let typed = word.trim_start_matches(['[', '"', '\'']);
        let remote = typed.contains("://") || typed.starts_with("git@");
        if remote || typed.starts_with('<') || typed.contains(['$', '"', '\'', ',', '*', '?', '[']) {
            return;
        }
        let Some(root) = go.context.root.as_deref() else { return };
        let (dir_part, segment) = typed.rsplit_once('/').map_or(("", typed), |(dir, segment)| (dir, segment));
        let Some(context_dir) = join(".", dir_part.trim_start_matches('/')) else { return };
        let Some(dir) = join(root, &context_dir) else { return };
        if !is_within(&dir, root) {
            return;
        }
        let Some(entries) = go.workspace.dir_entries(&dir) else { return };
        let ignore = go.context.ignore.as_deref();
        let range = self.to_cursor(start + word.len() - segment.len());
        let mut listed = 0;
        // Directories first: they lead further.
        let ordered = entries.iter().filter(|e| e.is_dir).chain(entries.iter().filter(|e| !e.is_dir));
        for entry in ordered {
            let path = if context_dir == "." { entry.name.clone() } else { format!("{context_dir}/{}", entry.name) };
            if ignore.is_some_and(|ignore| left_out(ignore, &path, entry.is_dir)) {
                continue;
            }
            if listed == MAX_ENTRIES {
                self.out.incomplete = true;
                break;
            }
            listed += 1;
            let (label, kind, what) = if entry.is_dir {
                (format!("{}/", entry.name), CompletionKind::Folder, "directory")
            } else {
                (entry.name.clone(), CompletionKind::File, "file")
            };
            let mut completion = item(label, kind, range, "");
            completion.detail = Some(format!("{what} in the build context"));
            self.push(completion);
        }
    }
}

/// Whether the ignore file leaves `path` out of the context entirely. An ignored directory still
/// counts when an exception (`!dir/keep.txt`) brings something inside it back.
fn left_out(ignore: &DockerIgnore, path: &str, is_dir: bool) -> bool {
    if !ignore.is_excluded(path) {
        return false;
    }
    let inside = format!("{path}/");
    let brought_back = is_dir
        && ignore
            .patterns
            .iter()
            .any(|p| p.exception && (p.pattern.starts_with(&inside) || p.pattern.starts_with('*')));
    !brought_back
}
