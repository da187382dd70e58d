//! Signature help: the synopsis of the instruction being typed, with the parameter under the cursor
//! (a flag by its name, an argument by its position); inside RUN, on a `go build`, `go install` or
//! `go run` command, that command's synopsis instead (see `go`).

mod go;

use crate::syntax::{Instruction, Keyword, Parse};

/// The synopsis of one instruction and which of its parameters the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub label: String,
    /// Byte offsets of each parameter in `label` (the label is ASCII).
    pub parameters: Vec<(usize, usize)>,
    pub active_parameter: Option<usize>,
    /// One line about the active parameter (for `go` commands).
    pub documentation: Option<String>,
}

/// The synopsis of each instruction and its parameters (substrings of the synopsis, in order).
/// Flags are the parameters starting with `[--`; a positional parameter ending in `...` repeats.
fn synopsis(keyword: Keyword) -> (&'static str, &'static [&'static str]) {
    match keyword {
        Keyword::Add => (
            "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--checksum=<hash>] [--keep-git-dir] [--link] [--exclude=<path>] <src>... <dest>",
            &[
                "[--chown=<user>:<group>]",
                "[--chmod=<perms>]",
                "[--checksum=<hash>]",
                "[--keep-git-dir]",
                "[--link]",
                "[--exclude=<path>]",
                "<src>...",
                "<dest>",
            ],
        ),
        Keyword::Arg => ("ARG <name>[=<default value>]...", &["<name>[=<default value>]..."]),
        Keyword::Cmd => {
            ("CMD [\"executable\", \"param\"...] | CMD command param...", &["[\"executable\", \"param\"...]"])
        }
        Keyword::Copy => (
            "COPY [--from=<stage|image>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<path>] <src>... <dest>",
            &[
                "[--from=<stage|image>]",
                "[--chown=<user>:<group>]",
                "[--chmod=<perms>]",
                "[--link]",
                "[--parents]",
                "[--exclude=<path>]",
                "<src>...",
                "<dest>",
            ],
        ),
        Keyword::Entrypoint => ("ENTRYPOINT [\"executable\", \"param\"...]", &["[\"executable\", \"param\"...]"]),
        Keyword::Env => ("ENV <key>=<value>...", &["<key>=<value>..."]),
        Keyword::Expose => ("EXPOSE <port>[/<protocol>]...", &["<port>[/<protocol>]..."]),
        Keyword::From => (
            "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
            &["[--platform=<platform>]", "<image>[:<tag>|@<digest>]", "[AS <name>]"],
        ),
        Keyword::Healthcheck => (
            "HEALTHCHECK [--interval=<duration>] [--timeout=<duration>] [--start-period=<duration>] [--start-interval=<duration>] [--retries=<n>] CMD <command> | NONE",
            &[
                "[--interval=<duration>]",
                "[--timeout=<duration>]",
                "[--start-period=<duration>]",
                "[--start-interval=<duration>]",
                "[--retries=<n>]",
                "CMD <command> | NONE",
            ],
        ),
        Keyword::Label => ("LABEL <key>=<value>...", &["<key>=<value>..."]),
        Keyword::Maintainer => ("MAINTAINER <name>", &["<name>"]),
        Keyword::Onbuild => ("ONBUILD <instruction>", &["<instruction>"]),
        Keyword::Run => (
            "RUN [--mount=<mount>] [--network=<default|none|host>] [--security=<sandbox|insecure>] <command>",
            &["[--mount=<mount>]", "[--network=<default|none|host>]", "[--security=<sandbox|insecure>]", "<command>"],
        ),
        Keyword::Shell => ("SHELL [\"executable\", \"parameters\"]", &["[\"executable\", \"parameters\"]"]),
        Keyword::Stopsignal => ("STOPSIGNAL <signal>", &["<signal>"]),
        Keyword::User => ("USER <user>[:<group>]", &["<user>[:<group>]"]),
        Keyword::Volume => ("VOLUME <path>...", &["<path>..."]),
        Keyword::Workdir => ("WORKDIR <path>", &["<path>"]),
    }
}

/// The signature of the instruction at `offset` (or the one the cursor ends on the same line).
pub fn signature_help(parse: &Parse, offset: usize) -> Option<Signature> {
    let text = parse.text();
    let instruction = parse.dockerfile().instructions.iter().find(|i| {
        i.range.start <= offset
            && (i.range.touches(offset) || text.get(i.range.end..offset).is_some_and(|gap| !gap.contains('\n')))
    })?;
    let keyword = instruction.keyword?;
    if offset <= instruction.keyword_range.end {
        return None;
    }
    if keyword == Keyword::Run {
        let index = parse.dockerfile().instructions.iter().position(|i| std::ptr::eq(i, instruction))?;
        if let Some(signature) = go::go_signature(parse, index, offset) {
            return Some(signature);
        }
    }
    let (label, names) = synopsis(keyword);
    let mut parameters = Vec::with_capacity(names.len());
    let mut from = 0;
    for name in names {
        let start = label.get(from..)?.find(name)? + from;
        parameters.push((start, start + name.len()));
        from = start + name.len();
    }
    let active_parameter = active(instruction, names, offset);
    Some(Signature { label: label.to_string(), parameters, active_parameter, documentation: None })
}

/// The parameter under the cursor: the flag it is on, or the positional parameter of its argument.
fn active(instruction: &Instruction, names: &[&str], offset: usize) -> Option<usize> {
    if let Some(flag) = instruction.flags.iter().find(|f| f.range.touches(offset)) {
        let wanted = format!("[--{}", flag.name.to_ascii_lowercase());
        return names
            .iter()
            .position(|n| n.strip_prefix(wanted.as_str()).is_some_and(|rest| rest.starts_with(['=', ']'])));
    }
    let positional: Vec<usize> = (0..names.len()).filter(|&i| !names[i].starts_with("[--")).collect();
    let index = instruction.args.iter().filter(|w| w.range.end < offset).count();
    let after = instruction.args.iter().filter(|w| w.range.start > offset).count();
    let last = positional.len().checked_sub(1)?;
    // A repeated parameter followed by others (`<src>... <dest>`): the last words are the others.
    let repeated = positional.iter().position(|&i| names[i].ends_with("..."));
    let slot = match repeated {
        Some(k) if k < last && index > k => {
            let trailing = last - k;
            if after < trailing { last - after } else { k }
        }
        _ => index.min(last),
    };
    positional.get(slot).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::testing::cursor;

    fn active_label(fixture: &str) -> Option<String> {
        let (text, offset) = cursor(fixture);
        let parse = crate::syntax::parse(&text);
        let signature = signature_help(&parse, offset)?;
        let (start, end) = signature.parameters.get(signature.active_parameter?)?;
        Some(signature.label[*start..*end].to_string())
    }

    #[test]
    fn active_parameters() {
        let cases = [
            "COPY --from=bu$0ild a b",
            "COPY --chmod=7$0 a b",
            "COPY a$0 b",
            "COPY a b c$0",
            "COPY a b$0 c",
            "COPY a $0",
            "FROM golang$0",
            "FROM golang AS b$0",
            "FROM --platform=$0 golang",
            "RUN --mount=type=cache,target=/x go $0build",
            "RUN --unknown=1$0 ls",
            "EXPOSE 80 44$0",
            "WORKDIR /a $0",
            "CO$0PY a b",
            "# comment$0",
        ];
        insta::assert_snapshot!(
            cases.iter().map(|c| format!("{c:<45} {:?}", active_label(c))).collect::<Vec<_>>().join("\n")
        );
    }

    #[test]
    fn every_parameter_is_in_its_label() {
        for keyword in Keyword::ALL {
            let parse = crate::syntax::parse(&format!("{} x\n", keyword.as_str()));
            let signature = signature_help(&parse, 1 + keyword.as_str().len());
            assert!(signature.is_some_and(|s| s.parameters.len() == synopsis(keyword).1.len()), "{keyword:?}");
        }
    }
}
