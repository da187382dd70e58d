//! Workspace symbols: the named stages of several Dockerfiles, filtered by a query.

use crate::syntax::{InstructionKind, Parse};

use super::{Symbol, SymbolKind};

/// The named stages of `documents` whose name contains `query` (case-insensitive), as
/// (index into `documents`, symbol) pairs in document order.
pub fn workspace_symbols(documents: &[&Parse], query: &str) -> Vec<(usize, Symbol)> {
    let query = query.to_lowercase();
    let mut found = Vec::new();
    for (document, parse) in documents.iter().enumerate() {
        let dockerfile = parse.dockerfile();
        for stage in &dockerfile.stages {
            let (Some(name), Some(selection)) = (&stage.name, stage.name_range) else { continue };
            if !name.to_lowercase().contains(&query) {
                continue;
            }
            let detail = dockerfile.instructions.get(stage.from).and_then(|from| match &from.kind {
                InstructionKind::From(from) => from.image.as_ref().map(|image| image.text.clone()),
                _ => None,
            });
            let symbol = Symbol {
                name: name.clone(),
                detail,
                kind: SymbolKind::Stage,
                range: stage.range,
                selection,
                children: Vec::new(),
            };
            found.push((document, symbol));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_matching_the_query() {
        let first = crate::syntax::parse("FROM golang AS Build\nFROM alpine AS runtime\nFROM scratch\n");
        let second = crate::syntax::parse("FROM node AS web-build\n");
        let names = |query: &str| {
            workspace_symbols(&[&first, &second], query)
                .into_iter()
                .map(|(document, symbol)| format!("{document}:{}", symbol.name))
                .collect::<Vec<_>>()
        };
        assert_eq!(names("build"), ["0:Build", "1:web-build"]);
        assert_eq!(names(""), ["0:Build", "0:runtime", "1:web-build"]);
        assert!(names("zzz").is_empty());
    }
}
