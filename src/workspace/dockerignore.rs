//! `.dockerignore` with Docker's semantics (moby's `ignorefile` reader and `patternmatcher`).
//!
//! Reading: a line starting with `#` in column 1 is a comment; lines are trimmed; `!` marks an
//! exception; each pattern is cleaned like Go's `filepath.Clean` and a leading `/` is dropped, so
//! patterns are anchored at the context root. Matching: a path is excluded when the last pattern
//! that matches it, or one of its parent directories, is not an exception. The globs are Go's
//! `filepath.Match` (`*` and `?` stop at `/`, `[…]` classes negated by `^`, `\` escapes) plus `**`
//! for any number of directories. Each pattern is translated into one or more `globset` globs
//! with the same meaning, including moby's special cases for literal patterns, a trailing `**`
//! (prefix match) and a leading `**` (suffix match).

use std::fmt;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::modfile_syntax::ModError;
use crate::syntax::TextRange;

/// One pattern line.
#[derive(Clone)]
pub struct IgnorePattern {
    /// The cleaned pattern, without the `!`.
    pub pattern: String,
    /// A `!` line: re-includes what earlier lines excluded.
    pub exception: bool,
    /// The line as written (trimmed).
    pub range: TextRange,
    /// `None` when the pattern is invalid (Docker then refuses the whole build context).
    matcher: Option<GlobSet>,
}

impl IgnorePattern {
    /// Whether the pattern itself (not its parent-directory rule) matches `path`.
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.is_match(path))
    }
}

impl fmt::Debug for IgnorePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{} @ {:?}", if self.exception { "!" } else { "" }, self.pattern, self.range)
    }
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    pub patterns: Vec<IgnorePattern>,
    /// Invalid patterns (Docker fails the build with "syntax error in pattern").
    pub errors: Vec<ModError>,
}

impl DockerIgnore {
    /// Whether `path` (relative to the context root, `/`-separated) is left out of the context.
    pub fn is_excluded(&self, path: &str) -> bool {
        self.deciding_pattern(path).is_some_and(|p| !p.exception)
    }

    /// The last pattern that matches `path` or one of its parent directories: the one that decides.
    pub fn deciding_pattern(&self, path: &str) -> Option<&IgnorePattern> {
        let path = clean(path.trim_start_matches('/'));
        let parents: Vec<&str> = match path.rfind('/') {
            Some(i) => path[..i].split('/').collect(),
            None => Vec::new(),
        };
        let mut excluded = false;
        let mut decided = None;
        for pattern in &self.patterns {
            // As in moby: an exclusion cannot change an excluded path, nor an exception an included one.
            if pattern.exception != excluded {
                continue;
            }
            let hit = pattern.matches(&path) || (1..=parents.len()).any(|n| pattern.matches(&parents[..n].join("/")));
            if hit {
                excluded = !pattern.exception;
                decided = Some(pattern);
            }
        }
        decided
    }

    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exception)
    }
}

/// Parses `.dockerignore` text. Never fails: invalid patterns are kept (matching nothing) with an error.
pub fn parse_dockerignore(text: &str) -> DockerIgnore {
    let mut out = DockerIgnore::default();
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let mut line = raw.trim_end_matches(['\n', '\r']);
        let mut line_start = start;
        if index == 0
            && let Some(rest) = line.strip_prefix('\u{feff}')
        {
            line = rest;
            line_start += '\u{feff}'.len_utf8();
        }
        if line.starts_with('#') {
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let range = TextRange::new(line_start + lead, line_start + lead + trimmed.len());
        let (exception, body) = match trimmed.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        if body.is_empty() {
            out.errors.push(ModError { range, message: "illegal exclusion pattern: \"!\"".to_string() });
            continue;
        }
        let mut pattern = clean(body);
        if pattern.len() > 1 && pattern.starts_with('/') {
            pattern.remove(0);
        }
        let matcher = compile(&pattern);
        if matcher.is_none() {
            out.errors.push(ModError { range, message: format!("syntax error in pattern: {pattern}") });
        }
        out.patterns.push(IgnorePattern { pattern, exception, range, matcher });
    }
    out
}

/// Go's `path.Clean`: drop `.` and empty elements, resolve `..`, no trailing slash.
pub(crate) fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Literal(char),
    Star,
    Question,
    /// `**` (with a following `/` eaten); `at_end` when nothing follows.
    DoubleStar {
        at_end: bool,
    },
    /// `[` or `]`, passed to the class syntax.
    Bracket(char),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum MatchType {
    Exact,
    Prefix,
    Suffix,
    Glob,
}

/// Tokenises like moby's `Pattern.compile` and classifies the pattern the same way.
fn tokenize(pattern: &str) -> (Vec<Token>, MatchType) {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut kind = MatchType::Exact;
    let mut i = 0;
    let mut iteration = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                let at_end = i >= chars.len();
                tokens.push(Token::DoubleStar { at_end });
                kind = match (at_end, kind) {
                    (true, MatchType::Exact) => MatchType::Prefix,
                    _ => MatchType::Glob,
                };
                if iteration == 0 {
                    kind = MatchType::Suffix;
                }
            }
            '*' => {
                tokens.push(Token::Star);
                kind = MatchType::Glob;
            }
            '?' => {
                tokens.push(Token::Question);
                kind = MatchType::Glob;
            }
            '\\' => match chars.get(i) {
                Some(&next) => {
                    i += 1;
                    tokens.push(Token::Literal(next));
                }
                None => tokens.push(Token::Literal('\\')),
            },
            '[' | ']' => {
                tokens.push(Token::Bracket(c));
                kind = MatchType::Glob;
            }
            other => tokens.push(Token::Literal(other)),
        }
        iteration += 1;
    }
    (tokens, kind)
}

/// Escapes a character for globset (with backslash escapes on).
fn escape(c: char, out: &mut String) {
    if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
        out.push('\\');
    }
    out.push(c);
}

fn escape_str(s: &str) -> String {
    let mut out = String::new();
    s.chars().for_each(|c| escape(c, &mut out));
    out
}

/// The globset globs (any of which matching means a match) for a cleaned Docker pattern.
fn globs_for(pattern: &str) -> Option<Vec<String>> {
    // Go's filepath.Match rejects these; Docker refuses the pattern.
    if pattern.ends_with('\\') && !pattern.ends_with("\\\\") {
        return None;
    }
    let (tokens, kind) = tokenize(pattern);
    Some(match kind {
        // Literal patterns compare the cleaned text as is (a backslash stays a backslash).
        MatchType::Exact => vec![escape_str(pattern)],
        MatchType::Prefix => {
            let prefix = pattern.strip_suffix("**")?;
            if prefix.ends_with('/') {
                vec![format!("{}**", escape_str(prefix))]
            } else {
                vec![format!("{}*", escape_str(prefix)), format!("{}*/**", escape_str(prefix))]
            }
        }
        MatchType::Suffix => {
            let suffix = pattern.strip_prefix("**")?;
            if suffix.is_empty() {
                vec!["**".to_string()]
            } else if suffix.starts_with('/') {
                vec![format!("**{}", escape_str(suffix))]
            } else {
                vec![format!("**/*{}", escape_str(suffix))]
            }
        }
        MatchType::Glob => glob_alternatives(&tokens)?,
    })
}

/// Translates a token stream; `**` inside a path element has no single globset form, so it
/// forks the glob into the alternatives that together mean what moby's regular expression means.
fn glob_alternatives(tokens: &[Token]) -> Option<Vec<String>> {
    const MAX_ALTERNATIVES: usize = 64;
    let mut alternatives = vec![String::new()];
    let mut class: Option<String> = None;
    for token in tokens {
        if let Some(content) = class.as_mut() {
            match token {
                Token::Bracket(']') => {
                    let content = class.take().unwrap_or_default();
                    let text = class_glob(&content)?;
                    alternatives.iter_mut().for_each(|a| a.push_str(&text));
                }
                Token::Literal(c) | Token::Bracket(c) => content.push(*c),
                Token::Star => content.push('*'),
                Token::Question => content.push('?'),
                Token::DoubleStar { .. } => content.push_str("**"),
            }
            continue;
        }
        match token {
            Token::Literal(c) => alternatives.iter_mut().for_each(|a| escape(*c, a)),
            Token::Star => alternatives.iter_mut().for_each(|a| a.push('*')),
            Token::Question => alternatives.iter_mut().for_each(|a| a.push('?')),
            Token::Bracket('[') => class = Some(String::new()),
            // A `]` outside a class is an ordinary character for Go.
            Token::Bracket(c) => alternatives.iter_mut().for_each(|a| escape(*c, a)),
            Token::DoubleStar { at_end } => {
                let mut next = Vec::new();
                for alternative in alternatives {
                    let at_boundary = alternative.is_empty() || alternative.ends_with('/');
                    match (at_boundary, at_end) {
                        (true, true) => next.push(alternative + "**"),
                        (true, false) => next.push(alternative + "**/"),
                        // `x**` at the end: anything after x, across directories.
                        (false, true) => {
                            next.push(format!("{alternative}*"));
                            next.push(format!("{alternative}*/**"));
                        }
                        // `x**y`: moby's `(.*/)?` is either nothing or anything ending in `/`.
                        (false, false) => {
                            next.push(alternative.clone());
                            next.push(format!("{alternative}*/**/"));
                        }
                    }
                }
                alternatives = next;
                if alternatives.len() > MAX_ALTERNATIVES {
                    return None;
                }
            }
        }
    }
    // An unclosed `[` is a syntax error in Go's filepath.Match.
    if class.is_some() { None } else { Some(alternatives) }
}

/// A Go character class body as a globset class: Go negates with `^` only, globset also with `!`.
fn class_glob(content: &str) -> Option<String> {
    let (negated, body) = match content.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, content),
    };
    if body.is_empty() {
        return None;
    }
    // A leading `!` is a member in Go; move it where globset does not read it as negation.
    let body = match body.strip_prefix('!') {
        Some("") if !negated => return Some("\\!".to_string()),
        Some("") => return Some("[^!]".to_string()),
        Some(rest) => format!("{rest}!"),
        None => body.to_string(),
    };
    Some(format!("[{}{body}]", if negated { "^" } else { "" }))
}

fn compile(pattern: &str) -> Option<GlobSet> {
    let mut set = GlobSetBuilder::new();
    for glob in globs_for(pattern)? {
        set.add(GlobBuilder::new(&glob).literal_separator(true).backslash_escape(true).build().ok()?);
    }
    set.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(ignore: &str, path: &str) -> bool {
        parse_dockerignore(ignore).is_excluded(path)
    }

    /// The examples of Docker's documentation of `.dockerignore` files.
    #[test]
    fn documented_examples() {
        let doc = "# comment\n*/temp*\n*/*/temp*\ntemp?\n";
        assert!(excluded(doc, "somedir/temporary.txt"));
        assert!(excluded(doc, "somedir/temp"));
        assert!(excluded(doc, "somedir/subdir/temporary.txt"));
        assert!(excluded(doc, "tempa"));
        assert!(excluded(doc, "tempb"));
        assert!(!excluded(doc, "temporary.txt"), "*/temp* only matches one level down");
        assert!(!excluded(doc, "a/b/c/temp"), "*/*/temp* only matches two levels down");
        assert!(!excluded(doc, "# comment"));

        assert!(excluded("**/*.go", "main.go") && excluded("**/*.go", "a/b/c.go"));

        let readme = "*.md\n!README.md\n";
        assert!(excluded(readme, "CHANGELOG.md"));
        assert!(!excluded(readme, "README.md"));
        assert!(!excluded(readme, "docs/a.md"), "Docker's *.md only matches at the root, unlike .gitignore");

        let secret_last = "*.md\n!README*.md\nREADME-secret.md\n";
        assert!(excluded(secret_last, "README-secret.md"));
        assert!(!excluded(secret_last, "README-public.md"));
        let secret_middle = "*.md\nREADME-secret.md\n!README*.md\n";
        assert!(!excluded(secret_middle, "README-secret.md"), "the last matching line decides");

        for pattern in ["/foo/bar", "foo/bar", "./foo/bar", "foo/bar/", "foo//bar"] {
            assert!(excluded(pattern, "foo/bar"), "{pattern}");
            assert!(excluded(pattern, "foo/bar/baz.txt"), "{pattern}: a matched directory excludes its contents");
            assert!(!excluded(pattern, "bar") && !excluded(pattern, "x/foo/bar"), "{pattern}");
        }

        let allow_list = "*\n!go.mod\n!go.sum\n!cmd\n!internal/**\n";
        assert!(!excluded(allow_list, "go.mod") && !excluded(allow_list, "cmd/api/main.go"));
        assert!(!excluded(allow_list, "internal/x/y.go"));
        assert!(excluded(allow_list, "README.md") && excluded(allow_list, "docs/x.md"));
    }

    #[test]
    fn double_star_forms() {
        assert!(excluded("vendor/**", "vendor/a/b.go") && !excluded("vendor/**", "vendorx/a"));
        assert!(excluded("**/node_modules", "node_modules") && excluded("**/node_modules", "web/node_modules/x"));
        assert!(excluded("a/**/b", "a/b") && excluded("a/**/b", "a/x/y/b") && !excluded("a/**/b", "a/xb"));
        // moby's special cases: `x**` is a prefix match, `**x` a suffix match, `x**y` is `x(.*/)?y`.
        assert!(excluded("foo**", "foobar/baz"));
        assert!(excluded("**foo", "a/barfoo"));
        assert!(excluded("a**b", "ab") && excluded("a**b", "ax/y/b") && !excluded("a**b", "axb"));
        assert!(excluded("**", "anything/at/all"));
    }

    #[test]
    fn go_match_details() {
        assert!(excluded("[^a]b", "xb") && !excluded("[^a]b", "ab"));
        assert!(excluded("[!a]b", "!b") && excluded("[!a]b", "ab") && !excluded("[!a]b", "xb"));
        assert!(excluded("f?o", "fxo") && !excluded("f?o", "f/o"));
        assert!(excluded("a]", "a]") && excluded("x]*", "x]y"));
        assert!(excluded("{a,b}", "{a,b}") && !excluded("{a,b}", "a"), "braces are literal");
        // moby compares a pattern without wildcards as text, so its backslash stays; in a glob it escapes.
        assert!(excluded("a\\*b", "a\\*b") && !excluded("a\\*b", "a*b"));
        assert!(excluded("a\\*b*", "a*bc") && !excluded("a\\*b*", "axbc"));
        assert!(excluded("*.go", "main.go") && !excluded("*.go", "cmd/main.go"));
        assert!(excluded("../x", "../x"), "patterns that climb out of the context are kept as cleaned");
        assert_eq!(clean("a/../../b/./c/"), "../b/c");
        assert_eq!(clean("/.."), "/");
    }

    #[test]
    fn deciding_pattern_and_exceptions() {
        let ignore = parse_dockerignore("  bin  \n!bin/keep\n# comment\n \n");
        assert!(ignore.has_exceptions());
        assert_eq!(ignore.deciding_pattern("bin/x").map(|p| p.range), Some(TextRange::new(2, 5)));
        assert_eq!(ignore.deciding_pattern("bin/keep").map(|p| p.pattern.as_str()), Some("bin/keep"));
        assert!(!ignore.is_excluded("bin/keep/deeper"));
        assert!(ignore.deciding_pattern("src/x").is_none());
    }

    #[test]
    fn invalid_patterns_are_ranged_errors() {
        let text = "ok\n!\n[abc\nx\\\n[]\n";
        let ignore = parse_dockerignore(text);
        let found: Vec<_> = ignore.errors.iter().map(|e| (e.message.as_str(), &text[e.range.as_range()])).collect();
        assert_eq!(
            found,
            vec![
                ("illegal exclusion pattern: \"!\"", "!"),
                ("syntax error in pattern: [abc", "[abc"),
                ("syntax error in pattern: x\\", "x\\"),
                ("syntax error in pattern: []", "[]"),
            ]
        );
        assert!(ignore.is_excluded("ok") && !ignore.is_excluded("[abc"));
        for garbage in ["\u{feff}# bom comment", "!!", "\\", "[", "]", "***", "a**b**c**d**e**f**g**h", "é[é"] {
            let _ = parse_dockerignore(garbage).is_excluded("a/b");
        }
        assert!(parse_dockerignore("\u{feff}# bom comment\n").patterns.is_empty());
    }
}
