//! The label schema shared by DL3049–DL3058: which labels are required, and value validators for
//! each kind of value (`LabelType`).

use super::support::shipping_chain;
use crate::rules::{Context, LabelType, Sink};
use crate::syntax::{InstructionKind, KeyValue, Stage};

/// The schema's type for `key`, if the label is in the schema.
pub(super) fn schema_type(context: &Context<'_>, key: &str) -> Option<LabelType> {
    context.options.label_schema.iter().find(|(label, _)| label == key).map(|&(_, kind)| kind)
}

/// Every LABEL pair of the file, in order.
pub(super) fn all_labels<'a>(context: &Context<'a>) -> impl Iterator<Item = &'a KeyValue> {
    context.dockerfile.instructions.iter().flat_map(|instruction| match &instruction.kind {
        InstructionKind::Label(pairs) => pairs.as_slice(),
        _ => &[],
    })
}

/// The LABEL pairs that end up in the image a plain build produces, with the final stage.
pub(super) fn shipped_labels<'a>(context: &Context<'a>) -> Option<(&'a Stage, Vec<&'a KeyValue>)> {
    let dockerfile = context.dockerfile;
    let chain = shipping_chain(dockerfile);
    let last = *chain.first()?;
    let labels = chain
        .iter()
        .flat_map(|stage| dockerfile.stage_instructions(stage))
        .flat_map(|instruction| match &instruction.kind {
            InstructionKind::Label(pairs) => pairs.as_slice(),
            _ => &[],
        })
        .collect();
    Some((last, labels))
}

/// A value the checks can judge: set, and free of build variables (known only at build time).
pub(super) fn literal_value(pair: &KeyValue) -> Option<&str> {
    pair.value.as_deref().filter(|value| !value.contains('$'))
}

/// `scheme:rest` with an RFC 3986 scheme; after `//` the authority must not be empty.
pub(super) fn is_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else { return false };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let authority_ok = match rest.strip_prefix("//") {
        Some(after) => after.split(['/', '?', '#']).next().is_some_and(|host| !host.is_empty()),
        None => !rest.is_empty(),
    };
    scheme_ok && authority_ok && !value.contains(char::is_whitespace)
}

/// An RFC 3339 date-time: `2024-05-01T12:00:00Z`, with optional fraction and a `Z` or `±hh:mm` offset.
pub(super) fn is_rfc3339(value: &str) -> bool {
    let bytes = value.as_bytes();
    let number = |from: usize, len: usize| -> Option<u32> {
        let digits = bytes.get(from..from + len)?;
        digits.iter().all(u8::is_ascii_digit).then(|| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if bytes.len() < 20
        || separators.iter().any(|&(at, sep)| bytes[at] != sep)
        || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return false;
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) =
        (number(0, 4), number(5, 2), number(8, 2), number(11, 2), number(14, 2), number(17, 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &value[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && (h1 - b'0') * 10 + (h2 - b'0') <= 23
                && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
    }
}

/// A git object name: 7 to 40 hex digits (abbreviated or full SHA-1), or 64 (SHA-256).
pub(super) fn is_git_hash(value: &str) -> bool {
    ((7..=40).contains(&value.len()) || value.len() == 64) && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A Semantic Versioning 2.0.0 version: `MAJOR.MINOR.PATCH[-pre][+build]`, no leading zeros, no `v`.
pub(super) fn is_semver(value: &str) -> bool {
    let (version, build) = match value.split_once('+') {
        Some((version, build)) => (version, Some(build)),
        None => (value, None),
    };
    let (core, pre) = match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    };
    let numeric = |part: &str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part == "0" || !part.starts_with('0'))
    };
    let identifier = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let core_parts: Vec<&str> = core.split('.').collect();
    core_parts.len() == 3
        && core_parts.iter().all(|part| numeric(part))
        && pre.is_none_or(|pre| {
            pre.split('.').all(|part| identifier(part) && (!part.bytes().all(|b| b.is_ascii_digit()) || numeric(part)))
        })
        && build.is_none_or(|build| build.split('.').all(identifier))
}

/// An SPDX license expression of current (not deprecated) identifiers: `MIT`, `Apache-2.0 OR MIT`,
/// `GPL-2.0-only WITH Classpath-exception-2.0`, `LicenseRef-Proprietary`.
pub(super) fn is_spdx_expression(value: &str) -> bool {
    spdx::Expression::parse_mode(value, spdx::ParseMode::STRICT).is_ok()
}

/// One mailbox or a comma-separated list of them, as RFC 5322 writes addresses:
/// `jane@example.com` or `Jane Doe <jane@example.com>`.
pub(super) fn is_email_list(value: &str) -> bool {
    value.split(',').all(|mailbox| is_mailbox(mailbox.trim()))
}

fn is_mailbox(mailbox: &str) -> bool {
    match mailbox.strip_suffix('>').and_then(|rest| rest.rsplit_once('<')) {
        Some((name, address)) => !name.contains(['<', '>', '@']) && is_address(address),
        None => is_address(mailbox),
    }
}

fn is_address(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else { return false };
    let atom_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let dot_atom = |text: &str, allowed: &dyn Fn(char) -> bool| {
        !text.is_empty() && text.split('.').all(|part| !part.is_empty() && part.chars().all(allowed))
    };
    let quoted_local = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
    let label_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let literal_domain = domain.starts_with('[') && domain.ends_with(']') && domain.len() > 2;
    (quoted_local || dot_atom(local, &atom_char)) && (literal_domain || dot_atom(domain, &label_char))
}

/// Whether `value` holds the kind of value `kind` asks for (text accepts anything).
pub(super) fn is_valid(kind: LabelType, value: &str) -> bool {
    match kind {
        LabelType::Text => true,
        LabelType::Url => is_url(value),
        LabelType::Email => is_email_list(value),
        LabelType::Semver => is_semver(value),
        LabelType::Hash => is_git_hash(value),
        LabelType::Rfc3339 => is_rfc3339(value),
        LabelType::Spdx => is_spdx_expression(value),
    }
}

/// Reports every schema label of type `kind` whose literal, non-empty value is not valid;
/// `expected` completes "… is not …" in the message.
pub(super) fn report_invalid(context: &Context<'_>, sink: &mut Sink, kind: LabelType, expected: &str) {
    for pair in all_labels(context) {
        if schema_type(context, &pair.key) != Some(kind) {
            continue;
        }
        let Some(value) = literal_value(pair) else { continue };
        if !value.trim().is_empty() && !is_valid(kind, value) {
            let range = pair.value_range.unwrap_or(pair.range);
            sink.report(range, format!("label `{}` must be {expected}; `{value}` is not", pair.key));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for good in ["https://example.com", "http://a/b?c#d", "mailto:a@b.c", "git+ssh://host/repo", "urn:isbn:1"] {
            assert!(is_url(good), "{good}");
        }
        for bad in ["example.com", "/path", "https://", "https:// x", "1http://a", ""] {
            assert!(!is_url(bad), "{bad}");
        }
    }

    #[test]
    fn times() {
        for good in [
            "2024-02-29T23:59:60Z",
            "2020-01-01t00:00:00z",
            "2020-01-01 00:00:00.123+01:00",
            "2000-02-29T00:00:00-23:59",
        ] {
            assert!(is_rfc3339(good), "{good}");
        }
        for bad in [
            "2020-01-01",
            "2021-02-29T00:00:00Z",
            "2020-13-01T00:00:00Z",
            "2020-01-01T24:00:00Z",
            "2020-01-01T00:00:00",
            "2020-01-01T00:00:00.Z",
            "2020-01-01T00:00:00+1:00",
            "ÿÿÿÿ-01-01T00:00:00Z",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn hashes_and_versions() {
        assert!(is_git_hash("0123abc"));
        assert!(is_git_hash(&"a".repeat(40)));
        assert!(is_git_hash(&"a".repeat(64)));
        assert!(!is_git_hash("abc123"));
        assert!(!is_git_hash(&"a".repeat(41)));
        assert!(!is_git_hash("0123abg"));
        for good in ["1.0.0", "0.1.0-rc.1", "1.0.0-alpha-1+build.5", "10.20.30"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["1.0", "v1.0.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", "1.0.0-a..b", "1.0.0.0"] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn licenses_and_emails() {
        for good in ["MIT", "Apache-2.0 OR MIT", "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-Proprietary"]
        {
            assert!(is_spdx_expression(good), "{good}");
        }
        for bad in ["mit", "Apache2", "GPL-3.0", "MIT OR", "MIT AND", ""] {
            assert!(!is_spdx_expression(bad), "{bad}");
        }
        for good in
            ["jane@example.com", "Jane Doe <jane@example.com>", "a@b", "a@b.c, d@e.f", "\"a b\"@c.d", "a@[1.2.3.4]"]
        {
            assert!(is_email_list(good), "{good}");
        }
        for bad in ["jane", "jane@", "@example.com", "a..b@c.d", "Jane <jane>", "a@b..c", ""] {
            assert!(!is_email_list(bad), "{bad}");
        }
    }
}
