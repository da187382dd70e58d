//! Tests of the semantic tokens: kinds on a small file, well-formed tokens on the generated
//! 5,000-line Dockerfile and on odd inputs, range requests.

use super::*;
use crate::syntax;

#[path = "../../../benches/common/generate.rs"]
#[allow(dead_code)]
mod generate;

fn render(text: &str) -> Vec<String> {
    let parse = syntax::parse(text);
    semantic_tokens(&parse, None)
        .iter()
        .map(|t| format!("{} {:?}{}", &text[t.range.as_range()], t.kind, if t.modifiers != 0 { "*" } else { "" }))
        .collect()
}

/// Tokens are sorted, within the text, non-empty, on one line, and never overlap.
fn assert_well_formed(text: &str, tokens: &[SemanticToken]) {
    let mut previous_end = 0;
    for token in tokens {
        assert!(token.range.start >= previous_end, "overlap or disorder at {token:?}");
        assert!(!token.range.is_empty() && token.range.end <= text.len(), "{token:?}");
        let piece = text.get(token.range.as_range()).expect("a token on character boundaries");
        assert!(!piece.contains('\n'), "a token spans lines: {piece:?}");
        assert!(token.modifiers < 1 << TOKEN_MODIFIERS.len(), "{token:?}");
        assert!(TokenType::ALL.contains(&token.kind));
        previous_end = token.range.end;
    }
}

#[test]
fn kinds_of_a_small_file() {
    let text = "# syntax=docker/dockerfile:1\nARG GO=1.26\nFROM --platform=$BUILDPLATFORM golang:${GO:-1.26}-alpine AS build\n\
                RUN --mount=type=cache,target=/go/pkg/mod \\\n    CGO_ENABLED=0 go build -o /app . && echo \"$HOME\"\n\
                # done\nFROM build\nCOPY --from=build /app /app\nEXPOSE 8080\nMAINTAINER me\n";
    insta::assert_debug_snapshot!(render(text));
}

#[test]
fn generated_five_thousand_lines() {
    let text = generate::generate_dockerfile(5000);
    let parse = syntax::parse(&text);
    let tokens = semantic_tokens(&parse, None);
    assert!(tokens.len() > 5000, "only {} tokens", tokens.len());
    assert_well_formed(&text, &tokens);
    // A range request gives the full result's tokens that touch the range.
    let middle = TextRange::new(text.len() / 2, text.len() / 2 + 2000);
    let ranged = semantic_tokens(&parse, Some(middle));
    let expected: Vec<_> =
        tokens.iter().filter(|t| t.range.start < middle.end && middle.start < t.range.end).copied().collect();
    assert_eq!(ranged, expected);
}

#[test]
fn odd_inputs_stay_well_formed() {
    for text in [
        "",
        "FROM",
        "RUN <<EOF\n$X \\\nEOF\n",
        "FROM a\nRUN echo ${A:-${B}} \\\n  # $C\n  x\n",
        "# escape=`\nFROM a\nRUN dir `\n  c:\\x\n",
        "ONBUILD RUN --mount=from=x go build\nonbuild copy [\"a\",\"b\"]\n",
        "FROM a\nENV X=\"a \\\n b\" Y=é\nLABEL \"k\"=\"v\"\nHEALTHCHECK CMD curl -f x || exit 1\n",
        "\u{feff}FROM a\r\nCMD [\"x\"]\r\n",
    ] {
        let parse = syntax::parse(text);
        assert_well_formed(text, &semantic_tokens(&parse, None));
    }
}
