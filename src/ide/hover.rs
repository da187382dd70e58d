//! Hover: rule documentation on rule codes and findings, and documentation of whatever is under the
//! cursor: keywords, flags, mount options, directives, variables, stage references, images and the go
//! command inside RUN. The texts live in the submodules, one concern each.

mod flags;
mod go;
mod gorun;
mod images;
mod instructions;
mod variables;

use crate::rules::{self, Diagnostic, GoFacts, Rule};
use crate::syntax::{
    Dockerfile, Instruction, InstructionKind, Keyword, Parse, Scope, SyntaxErrorKind, TextRange, variable_references,
};

/// Markdown to show for a range of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// The hover at `offset`, given the document's current diagnostics and, when known, the Go project.
/// A finding under the cursor comes first, followed by the documentation of the element there.
pub fn hover(parse: &Parse, diagnostics: &[Diagnostic], offset: usize, go: Option<&GoFacts>) -> Option<Hover> {
    if let Some(hover) = code_in_comment(parse, offset) {
        return Some(hover);
    }
    let element = directive_at(parse, offset).or_else(|| element_at(parse, offset, go));
    match (finding_at(diagnostics, offset), element) {
        (Some(finding), Some(element)) => Some(Hover {
            range: element.range,
            markdown: format!("{}\n\n---\n\n{}", finding.markdown, element.markdown),
        }),
        (finding, element) => finding.or(element),
    }
}

fn reference_link(anchor: &str) -> String {
    format!("[Dockerfile reference]({}#{anchor})", instructions::REFERENCE)
}

/// The name of a parser directive.
fn directive_at(parse: &Parse, offset: usize) -> Option<Hover> {
    let directive = parse.dockerfile().directives.iter().find(|d| d.name_range.touches(offset))?;
    let (doc, anchor) = instructions::directive(&directive.name)?;
    let markdown = format!("**`{}`** · parser directive\n\n{doc}\n\n{}", directive.name, reference_link(anchor));
    Some(Hover { range: directive.name_range, markdown })
}

/// The instruction element under the cursor.
fn element_at(parse: &Parse, offset: usize, go: Option<&GoFacts>) -> Option<Hover> {
    let dockerfile = parse.dockerfile();
    let index = dockerfile.instructions.iter().position(|i| i.range.touches(offset))?;
    let instruction = &dockerfile.instructions[index];
    let keyword = instruction.keyword?;
    if instruction.keyword_range.touches(offset) {
        let (doc, anchor) = instructions::keyword(keyword);
        let markdown = format!("**{}** · instruction\n\n{doc}\n\n{}", keyword.as_str(), reference_link(anchor));
        return Some(Hover { range: instruction.keyword_range, markdown });
    }
    if let Some(flag) = instruction.flags.iter().find(|f| f.range.touches(offset)) {
        return flag_hover(parse, instruction, flag, offset, go);
    }
    let scope = Scope::new(dockerfile, parse.text());
    if let Some(hover) = declaration(parse, &scope, instruction, offset) {
        return Some(hover);
    }
    if let Some(hover) = variable_reference(parse, &scope, instruction, offset) {
        return Some(hover);
    }
    if let InstructionKind::From(from) = &instruction.kind
        && let Some(image) = from.image.as_ref().filter(|i| i.range.touches(offset))
    {
        if let Some(hover) = stage_reference(dockerfile, &image.text, image.range, index) {
            return Some(hover);
        }
        let expanded = scope.expand(&image.text, image.range.start).value;
        let markdown = images::image(&expanded, go)?;
        return Some(Hover { range: image.range, markdown });
    }
    if keyword == Keyword::Run {
        let (range, markdown) = gorun::in_run(parse, index, offset, go)?;
        return Some(Hover { range, markdown });
    }
    None
}

fn flag_hover(
    parse: &Parse,
    instruction: &Instruction,
    flag: &crate::syntax::Flag,
    offset: usize,
    go: Option<&GoFacts>,
) -> Option<Hover> {
    let keyword = instruction.keyword?;
    let index = parse.dockerfile().instructions.iter().position(|i| i.range == instruction.range)?;
    if let InstructionKind::Run(run) = &instruction.kind
        && flag.name.eq_ignore_ascii_case("mount")
        && let Some(mount) = run.mounts.iter().find(|m| m.range.touches(offset))
    {
        if let Some(option) = mount.options.iter().find(|o| o.key_range.touches(offset)) {
            let (doc, anchor) = flags::mount_option(mount.mount_type(), &option.key)?;
            let markdown = format!(
                "**`{}`** · option of `--mount=type={}`\n\n{doc}\n\n{}",
                option.key,
                mount.mount_type(),
                reference_link(anchor)
            );
            return Some(Hover { range: option.key_range, markdown });
        }
        if let Some(option) = mount.option("from")
            && let (Some(value), Some(range)) = (option.value.as_deref(), option.value_range)
            && range.touches(offset)
        {
            return source_reference(parse.dockerfile(), value, range, index, go);
        }
    }
    if let Some(value_range) = flag.value_range.filter(|r| r.touches(offset))
        && flag.name.eq_ignore_ascii_case("from")
    {
        return source_reference(parse.dockerfile(), flag.value.as_deref()?, value_range, index, go);
    }
    let (doc, anchor) = flags::instruction_flag(keyword, &flag.name)?;
    let markdown =
        format!("**`--{}`** · flag of {}\n\n{doc}\n\n{}", flag.name, keyword.as_str(), reference_link(anchor));
    let range = if flag.name_range.touches(offset) { flag.name_range } else { flag.range };
    Some(Hover { range, markdown })
}

/// The `from` of `COPY --from` or `--mount=from=`: an earlier stage, or else an image.
fn source_reference(
    dockerfile: &Dockerfile,
    name: &str,
    range: TextRange,
    index: usize,
    go: Option<&GoFacts>,
) -> Option<Hover> {
    stage_reference(dockerfile, name, range, index)
        .or_else(|| images::image(name, go).map(|markdown| Hover { range, markdown }))
}

/// `name` names a stage defined before instruction `index`: show its FROM line.
fn stage_reference(dockerfile: &Dockerfile, name: &str, range: TextRange, index: usize) -> Option<Hover> {
    let stage = dockerfile.stage_by_reference(name).filter(|s| s.from < index)?;
    let from = dockerfile.instructions.get(stage.from)?;
    let line = match &from.kind {
        InstructionKind::From(f) => {
            let image = f.image.as_ref().map_or("", |i| i.text.as_str());
            let alias = f.alias.as_ref().map_or(String::new(), |a| format!(" AS {}", a.value));
            format!("FROM {image}{alias}")
        }
        _ => return None,
    };
    let label = stage.name.as_deref().map_or(format!("stage {}", stage.index), |n| format!("stage `{n}`"));
    let markdown = format!("**{label}** · build stage {}\n\n```dockerfile\n{line}\n```", stage.index);
    Some(Hover { range, markdown })
}

/// The name of an ARG or ENV declaration.
fn declaration(parse: &Parse, scope: &Scope, instruction: &Instruction, offset: usize) -> Option<Hover> {
    let pairs = match &instruction.kind {
        InstructionKind::Arg(pairs) | InstructionKind::Env(pairs) => pairs,
        _ => return None,
    };
    let pair = pairs.iter().find(|p| p.key_range.touches(offset))?;
    let definition = scope.definitions().iter().find(|d| d.name_range == Some(pair.key_range));
    let markdown = variables::variable(parse.dockerfile(), parse.text(), scope, &pair.key, offset, definition);
    Some(Hover { range: pair.key_range, markdown })
}

/// A `$X` or `${X}` in the instruction's arguments.
fn variable_reference(parse: &Parse, scope: &Scope, instruction: &Instruction, offset: usize) -> Option<Hover> {
    let args = instruction.args_range?;
    let text = parse.text().get(args.as_range())?;
    let reference = variable_references(text, parse.dockerfile().escape)
        .into_iter()
        .find(|r| r.range.start + args.start <= offset && offset <= r.range.end + args.start)?;
    let range = TextRange::new(reference.range.start + args.start, reference.range.end + args.start);
    let markdown = variables::variable(parse.dockerfile(), parse.text(), scope, &reference.name, range.start, None);
    Some(Hover { range, markdown })
}

/// A rule code inside a comment or the `check` directive (`# hadolint ignore=DL3008`, `# check=skip=…`).
fn code_in_comment(parse: &Parse, offset: usize) -> Option<Hover> {
    let dockerfile = parse.dockerfile();
    let text = parse.text();
    let in_comment = dockerfile.comments.iter().any(|c| c.touches(offset))
        || dockerfile.directives.iter().any(|d| d.range.touches(offset));
    if !in_comment {
        return None;
    }
    let is_code_char = |c: char| c.is_ascii_alphanumeric() || c == '/' || c == '-';
    let start = text[..offset].rfind(|c: char| !is_code_char(c)).map_or(0, |i| i + 1);
    let end = text[offset..].find(|c: char| !is_code_char(c)).map_or(text.len(), |i| offset + i);
    let word = text.get(start..end)?;
    let range = TextRange::new(start, end);
    if let Some(rule) = rules::find(word) {
        return Some(Hover { range, markdown: rule_markdown(rule, None) });
    }
    let kind = SyntaxErrorKind::ALL.iter().find(|k| k.code().eq_ignore_ascii_case(word))?;
    Some(Hover { range, markdown: syntax_markdown(kind.code()) })
}

/// The rule behind the narrowest finding under the cursor.
fn finding_at(diagnostics: &[Diagnostic], offset: usize) -> Option<Hover> {
    let diagnostic = diagnostics.iter().filter(|d| d.range.touches(offset)).min_by_key(|d| d.range.len())?;
    let markdown = match rules::find(&diagnostic.code) {
        Some(rule) => rule_markdown(rule, Some(diagnostic)),
        None if diagnostic.code.starts_with("syntax/") => syntax_markdown(&diagnostic.code),
        None => return None,
    };
    Some(Hover { range: diagnostic.range, markdown })
}

fn rule_markdown(rule: &Rule, finding: Option<&Diagnostic>) -> String {
    let mut out = format!("**{}** · `{}` · {} by default", rule.code, rule.name, rule.default_severity);
    if !rule.default_enabled {
        out += " (off unless enabled)";
    }
    out += "\n\n";
    if let Some(finding) = finding {
        out += &format!("{}\n\n", finding.message);
    }
    out += rule.docs.trim_end();
    if let Some(uri) = rules::help_uri(rule.code) {
        out += &format!("\n\n[Rule reference]({uri})");
    }
    out
}

fn syntax_markdown(code: &str) -> String {
    let mut out = format!(
        "**{code}** · a syntax error: BuildKit refuses to build this file until it is fixed.\n\n\
         Suppressing it hides the finding, not the failure."
    );
    if let Some(uri) = rules::help_uri(code) {
        out += &format!("\n\n[Reference]({uri})");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::testing::cursor;
    use crate::syntax;

    fn hover_at(marked: &str) -> Option<Hover> {
        let (text, offset) = cursor(marked);
        let parse = syntax::parse(&text);
        let diagnostics = rules::check(&parse);
        hover(&parse, &diagnostics, offset, None)
    }

    #[test]
    fn rule_code_in_a_suppression_comment() {
        let hover = hover_at("FROM alpine:3.20\n# hadolint ignore=JSONArgs$0Recommended\nCMD echo hi\n").unwrap();
        assert!(hover.markdown.starts_with("**JSONArgsRecommended** · `"), "{}", hover.markdown);
        assert!(hover.markdown.contains("## What it does"));
        let hover = hover_at("# check=skip=StageName$0Casing\nFROM alpine:3.20\n").unwrap();
        assert!(hover.markdown.starts_with("**StageNameCasing**"));
        let hover = hover_at("FROM a:1\n# gantry: ignore=syntax/unknown-$0instruction\nFROM b:1\n").unwrap();
        assert!(hover.markdown.starts_with("**syntax/unknown-instruction**"), "{}", hover.markdown);
    }

    #[test]
    fn the_finding_under_the_cursor() {
        let hover = hover_at("FROM alpine:3.20 AS B$0ase\n").unwrap();
        assert!(hover.markdown.starts_with("**StageNameCasing**"), "{}", hover.markdown);
        assert!(hover.markdown.contains("stage name `Base` should be lowercase"));
    }

    #[test]
    fn a_finding_comes_before_the_element_documentation() {
        let marked = "FROM alpine:3.20\nENV NAME=x\nCMD echo $NA$0ME\n";
        let hover = hover_at(marked).unwrap();
        assert!(hover.markdown.starts_with("**JSONArgsRecommended**"), "{}", hover.markdown);
        assert!(hover.markdown.contains("\n\n---\n\n**`NAME`** · `ENV` on line 2"), "{}", hover.markdown);
        let (text, _) = cursor(marked);
        assert_eq!(text.get(hover.range.as_range()), Some("$NAME"));
    }

    #[test]
    fn nothing_elsewhere() {
        assert_eq!(hover_at("FROM alpine:3.20\n# just a com$0ment\n"), None);
        assert_eq!(hover_at("FROM alpine:3.20 AS ba$0se\n"), None);
        assert_eq!(hover_at("$0"), None);
    }
}
