//! The outline: one symbol per stage (named after its alias or image), with its instructions inside.

use crate::syntax::{Instruction, InstructionKind, Parse, TextRange};

/// What a symbol stands for; the LSP layer maps it to a symbol kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Stage,
    Instruction,
    Variable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole extent of the symbol.
    pub range: TextRange,
    /// The part to select when the symbol is picked.
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// Global ARGs first, then each stage with its instructions.
pub fn document_symbols(parse: &Parse) -> Vec<Symbol> {
    let dockerfile = parse.dockerfile();
    let mut symbols: Vec<Symbol> = dockerfile.global_instructions().iter().map(instruction_symbol).collect();
    for stage in &dockerfile.stages {
        let from = &dockerfile.instructions[stage.from];
        let image = match &from.kind {
            InstructionKind::From(f) => f.image.as_ref().map(|i| i.text.clone()),
            _ => None,
        };
        let name = stage.name.clone().or_else(|| image.clone()).unwrap_or_else(|| format!("stage {}", stage.index));
        symbols.push(Symbol {
            name,
            detail: image,
            kind: SymbolKind::Stage,
            range: stage.range,
            selection: stage.name_range.unwrap_or(from.keyword_range),
            children: dockerfile.stage_instructions(stage)[1..].iter().map(instruction_symbol).collect(),
        });
    }
    symbols
}

fn instruction_symbol(instruction: &Instruction) -> Symbol {
    let detail = instruction.args_range.map(|_| {
        let words: Vec<&str> = instruction.args.iter().map(|w| w.text.as_str()).collect();
        let joined = words.join(" ");
        match joined.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &joined[..cut]),
            None => joined,
        }
    });
    let is_variable = matches!(instruction.kind, InstructionKind::Arg(_) | InstructionKind::Env(_));
    Symbol {
        name: instruction.keyword_text.to_ascii_uppercase(),
        detail,
        kind: if is_variable { SymbolKind::Variable } else { SymbolKind::Instruction },
        range: instruction.range,
        selection: instruction.keyword_range,
        children: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_contain_their_instructions() {
        let parse = crate::syntax::parse(
            "ARG V=1\nFROM golang:1.23 AS build\nRUN go build\nFROM scratch\nCOPY --from=build /a /a\n",
        );
        let symbols = document_symbols(&parse);
        let outline: Vec<String> = symbols
            .iter()
            .map(|s| {
                format!("{} [{}]", s.name, s.children.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(","))
            })
            .collect();
        assert_eq!(outline, ["ARG []", "build [RUN]", "scratch [COPY]"]);
    }
}
