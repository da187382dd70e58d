//! The instruction keywords of the Dockerfile language.

/// A known instruction keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Keywords are case-insensitive.
    pub fn parse(word: &str) -> Option<Keyword> {
        Keyword::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(word))
    }

    /// The canonical upper-case spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
        }
    }
}

/// The known keyword closest to a misspelt one, if any is within two edits.
pub fn suggest_keyword(word: &str) -> Option<Keyword> {
    // Two edits change the length by at most two, and keywords are short: a long word (a stray
    // line of thousands of characters) needs no distance computed, which cost a full table each.
    let length = word.chars().count();
    let upper = word.to_ascii_uppercase();
    Keyword::ALL
        .into_iter()
        .filter(|k| length.abs_diff(k.as_str().len()) <= 2)
        .map(|k| (edit_distance(&upper, k.as_str()), k))
        .filter(|&(d, _)| d <= 2)
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_case_insensitive() {
        assert_eq!(Keyword::parse("from"), Some(Keyword::From));
        assert_eq!(Keyword::parse("HealthCheck"), Some(Keyword::Healthcheck));
        assert_eq!(Keyword::parse("FOO"), None);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_keyword("COPPY"), Some(Keyword::Copy));
        assert_eq!(suggest_keyword("workdri"), Some(Keyword::Workdir));
        assert_eq!(suggest_keyword("xyzzy"), None);
    }
}
