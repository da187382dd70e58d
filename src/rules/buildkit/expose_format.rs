//! How BuildKit splits an EXPOSE port: `[ip:][host:]container[/protocol]`, shared by the EXPOSE checks.

use crate::syntax::{Dockerfile, InstructionKind, Word};

/// One EXPOSE word, split the way BuildKit splits it.
pub(super) struct PortSpec<'a> {
    pub(super) word: &'a Word,
    /// The container port with its protocol, as written: what BuildKit keeps.
    pub(super) container: String,
    /// The protocol after the first `/` of the container part, as written.
    pub(super) protocol: Option<String>,
    /// What precedes the container port (`127.0.0.1:80`, `8080`), described for messages.
    pub(super) host: Option<String>,
}

impl PortSpec<'_> {
    /// Whether the word is written plainly on one line (no quotes, escapes or continuations), so
    /// that positions in its value are positions in the source.
    pub(super) fn plain(&self) -> bool {
        self.word.text == self.word.value && self.word.range.len() == self.word.text.len()
    }
}

/// Every port of every EXPOSE instruction.
pub(super) fn port_specs(dockerfile: &Dockerfile) -> Vec<PortSpec<'_>> {
    let mut specs = Vec::new();
    for instruction in &dockerfile.instructions {
        let InstructionKind::Expose(words) = &instruction.kind else { continue };
        for word in words {
            let parts: Vec<&str> = word.value.split(':').collect();
            let container = parts.last().copied().unwrap_or_default().to_string();
            let protocol = container.split_once('/').map(|(_, p)| p.to_string());
            let host = match parts.len() {
                1 => None,
                2 => Some(format!("host port `{}`", parts[0])),
                n => Some(format!("host address `{}` and port `{}`", parts[..n - 2].join(":"), parts[n - 2])),
            };
            specs.push(PortSpec { word, container, protocol, host });
        }
    }
    specs
}
