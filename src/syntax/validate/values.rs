//! Value shapes BuildKit insists on: Go durations, file modes, platforms, digests, sizes, booleans,
//! ports, signals and image references. Each check returns why a value is wrong, in plain words.

use super::{has_variable, word_part};
use crate::images::{GOARCH, GOOS};
use crate::syntax::{SyntaxError, SyntaxErrorKind, Word};

/// Go's `time.ParseDuration` units, in nanoseconds.
const DURATION_UNITS: [(&str, f64); 8] = [
    ("ns", 1.0),
    ("us", 1e3),
    ("\u{b5}s", 1e3),
    ("\u{3bc}s", 1e3),
    ("ms", 1e6),
    ("s", 1e9),
    ("m", 60e9),
    ("h", 3600e9),
];

/// Parses a Go duration (`1m30s`, `1.5h`, `-2s`, `0`) into nanoseconds, with Go's three failures.
fn parse_go_duration(text: &str) -> Result<f64, String> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err("it is empty".to_string());
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err("it is not a number followed by a unit".to_string());
        }
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        if unit.is_empty() {
            return Err(format!("`{number}` has no unit"));
        }
        let Some(&(_, scale)) = DURATION_UNITS.iter().find(|(u, _)| *u == unit) else {
            return Err(format!("`{unit}` is not a unit (use `ns`, `us`, `ms`, `s`, `m` or `h`)"));
        };
        let value: f64 = number.parse().map_err(|_| "it is not a number followed by a unit".to_string())?;
        total += value * scale;
    }
    // Go fails on durations beyond about 292 years.
    if total > 9.2e18 {
        return Err("it is too long".to_string());
    }
    Ok(if negative { -total } else { total })
}

/// HEALTHCHECK durations: Go syntax, and 0 or at least one millisecond.
pub(super) fn duration_problem(value: &str) -> Option<String> {
    match parse_go_duration(value) {
        Err(why) => Some(why),
        Ok(nanos) if nanos != 0.0 && nanos < 1e6 => Some("it must be 0 or at least 1ms".to_string()),
        Ok(_) => None,
    }
}

/// `--retries`: a 32-bit integer, not negative.
pub(super) fn retries_problem(value: &str) -> Option<String> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some("is not a whole number".to_string());
    }
    match value.parse::<i64>() {
        Ok(n) if n < 0 => Some("cannot be negative".to_string()),
        Ok(n) if n <= i64::from(i32::MAX) => None,
        _ => Some("is too large".to_string()),
    }
}

/// `--chmod`: an octal mode up to 07777, or a symbolic mode such as `u=rwx,go=rx`.
pub(super) fn chmod_problem(value: &str) -> Option<String> {
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return match u32::from_str_radix(value, 8) {
            Ok(mode) if mode <= 0o7777 => None,
            Ok(_) => Some("an octal mode goes up to 07777".to_string()),
            Err(_) => Some("use an octal mode such as `0644`, or a symbolic one such as `u=rw,go=r`".to_string()),
        };
    }
    if value.split(',').all(symbolic_clause_ok) {
        None
    } else {
        Some("use an octal mode such as `0644`, or a symbolic one such as `u=rw,go=r`".to_string())
    }
}

/// One clause of a symbolic mode: `[ugoa]*` then one or more `[+-=]` actions, each followed by
/// permissions `[rwxXst]*` or by one of `u`, `g`, `o` (copy another class's bits).
fn symbolic_clause_ok(clause: &str) -> bool {
    let rest = clause.trim_start_matches(['u', 'g', 'o', 'a']);
    if rest.is_empty() {
        return false;
    }
    let mut chars = rest.chars().peekable();
    while let Some(op) = chars.next() {
        if !matches!(op, '+' | '-' | '=') {
            return false;
        }
        if chars.peek().is_some_and(|c| matches!(c, 'u' | 'g' | 'o')) {
            chars.next();
            continue;
        }
        while chars.peek().is_some_and(|c| matches!(c, 'r' | 'w' | 'x' | 'X' | 's' | 't')) {
            chars.next();
        }
    }
    true
}

/// Operating-system names a platform may use besides Go's (`GOOS`).
const EXTRA_OS: &[&str] = &["macos"];

/// Architecture aliases containerd's platform parser accepts besides Go's (`GOARCH`).
const EXTRA_ARCH: &[&str] = &["i386", "x86_64", "x86-64", "aarch64", "armhf", "armel"];

/// `os[/arch[/variant]]`, as containerd's platform parser reads it.
pub(super) fn platform_problem(value: &str) -> Option<String> {
    if value.contains(',') {
        return Some("FROM takes one platform, not a list".to_string());
    }
    let parts: Vec<&str> = value.split('/').collect();
    if parts.len() > 3 {
        return Some("write it as `os/arch` or `os/arch/variant`, such as `linux/arm64`".to_string());
    }
    for (index, part) in parts.iter().enumerate() {
        // The OS may carry a version in parentheses: `windows(10.0.17763)`.
        let part = if index == 0 { part.split('(').next().unwrap_or(part) } else { part };
        let ok = !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !ok {
            return Some(format!("`{part}` is not a valid platform component"));
        }
    }
    if parts.len() == 1 {
        let lower = value.to_ascii_lowercase();
        let known = |lists: [&[&str]; 2]| lists.iter().any(|list| list.contains(&lower.as_str()));
        if !known([GOOS, EXTRA_OS]) && !known([GOARCH, EXTRA_ARCH]) {
            return Some("not a known operating system or architecture; write it like `linux/amd64`".to_string());
        }
    }
    None
}

/// Git sources of ADD, as BuildKit recognises them.
pub(super) fn is_git_source(source: &str) -> bool {
    if source.starts_with("git@") || source.starts_with("git://") || source.starts_with("ssh://") {
        return true;
    }
    let path = source.split(['#', '?']).next().unwrap_or(source);
    (source.starts_with("http://") || source.starts_with("https://")) && path.ends_with(".git")
}

/// An `algorithm:hex` content digest, as go-digest validates it.
pub(super) fn digest_problem(value: &str) -> Option<String> {
    let Some((algorithm, hex)) = value.split_once(':') else {
        return Some("write it as `sha256:` followed by 64 hexadecimal digits".to_string());
    };
    let length = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Some(format!("`{algorithm}` is not a supported digest algorithm (use `sha256`)")),
    };
    if hex.len() != length || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Some(format!("a {algorithm} digest has {length} lower-case hexadecimal digits"));
    }
    None
}

/// Go's `strconv.ParseBool`.
pub(super) fn is_go_bool(value: &str) -> bool {
    matches!(value, "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False")
}

/// A size such as `64m`, `1.5g` or `512MiB` (docker's RAMInBytes).
pub(super) fn is_ram_size(value: &str) -> bool {
    let number_len = value.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(value.len());
    let (number, unit) = value.split_at(number_len);
    let number_ok = !number.is_empty()
        && number.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
    let unit = unit.strip_prefix(['k', 'm', 'g', 't', 'p']).unwrap_or(&unit);
    let unit = unit.strip_prefix('i').unwrap_or(unit);
    let unit = unit.strip_prefix('b').unwrap_or(unit);
    number_ok && unit.is_empty()
}

/// A port number 0-65535 (Go's ParseInt accepts a leading `+`).
fn port_number(text: &str) -> Option<u32> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().filter(|&n| n <= 65535)
}

/// `port`, `start-end`: the start and end, or why not.
fn port_range(text: &str) -> Result<(u32, u32), String> {
    let (start, end) = match text.split_once('-') {
        Some((start, end)) => (start, Some(end)),
        None => (text, None),
    };
    let first = port_number(start).ok_or_else(|| format!("`{start}` is not a port number (0-65535)"))?;
    match end {
        None => Ok((first, first)),
        Some(end) if end == start => Ok((first, first)),
        Some("") => Err(format!("the range `{text}` has no end")),
        Some(end) => {
            let last = port_number(end).ok_or_else(|| format!("`{end}` is not a port number (0-65535)"))?;
            if last < first { Err(format!("the range `{text}` ends before it starts")) } else { Ok((first, last)) }
        }
    }
}

/// EXPOSE `[ip:][hostport:]port[-end][/tcp|udp|sctp]`, as BuildKit parses it.
pub(super) fn check_port(word: &Word, errors: &mut Vec<SyntaxError>) {
    let value = word.value.as_str();
    if has_variable(value) {
        return;
    }
    let container_start = value.rfind(':').map_or(0, |i| i + 1);
    // Everything before the last `:` (without it): `[ip:]hostport`.
    let host_part = &value[..container_start.saturating_sub(1)];
    let container = &value[container_start..];
    let (port, protocol) = match container.split_once('/') {
        Some((port, protocol)) => (port, Some(protocol)),
        None => (container, None),
    };
    let port_end = container_start + port.len();
    if let Some(protocol) = protocol
        && !["", "tcp", "udp", "sctp"].contains(&protocol.to_ascii_lowercase().as_str())
    {
        errors.push(SyntaxError::new(
            SyntaxErrorKind::InvalidPort,
            word_part(word, port_end + 1, value.len()),
            format!("invalid protocol `{protocol}` in EXPOSE: use `tcp`, `udp` or `sctp`"),
        ));
        return;
    }
    let container_range = match port_range(port) {
        Ok(range) => range,
        Err(why) => {
            let (message, range) = if port.is_empty() {
                (format!("`{value}` names no port: write a port such as `8080` or `8080/tcp`"), word.range)
            } else {
                (format!("invalid port in EXPOSE: {why}"), word_part(word, container_start, port_end))
            };
            errors.push(SyntaxError::new(SyntaxErrorKind::InvalidPort, range, message));
            return;
        }
    };
    // A host port (`8080:80`) is discouraged (ExposeInvalidFormat) but accepted when it parses.
    let host_port = host_part.rsplit(':').next().unwrap_or("");
    if container_start > 0 && !host_port.is_empty() {
        let host_start = container_start - 1 - host_port.len();
        match port_range(host_port) {
            Err(why) => errors.push(SyntaxError::new(
                SyntaxErrorKind::InvalidPort,
                word_part(word, host_start, container_start - 1),
                format!("invalid host port in EXPOSE: {why}"),
            )),
            Ok((first, last))
                if last - first != container_range.1 - container_range.0 && container_range.0 != container_range.1 =>
            {
                errors.push(SyntaxError::new(
                    SyntaxErrorKind::InvalidPort,
                    word.range,
                    "the host and container port ranges in EXPOSE differ in length",
                ));
            }
            Ok(_) => {}
        }
    }
}

/// Linux signal names without `SIG`, as moby's signal table has them.
const SIGNALS: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL",
    "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1",
    "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX",
];

fn is_signal_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    if SIGNALS.contains(&bare) {
        return true;
    }
    // RTMIN+1 .. RTMIN+15 and RTMAX-14 .. RTMAX-1.
    let offset = |rest: Option<&str>| rest.and_then(|n| n.parse::<u8>().ok()).is_some_and(|n| (1..=15).contains(&n));
    offset(bare.strip_prefix("RTMIN+")) || bare.strip_prefix("RTMAX-").is_some_and(|n| offset(Some(n)) && n != "15")
}

/// STOPSIGNAL: a non-zero number, or a signal name with or without `SIG`, in any case.
pub(super) fn check_signal(word: &Word, errors: &mut Vec<SyntaxError>) {
    let value = word.value.as_str();
    if has_variable(value) || is_signal_name(value) {
        return;
    }
    let message = match value.parse::<i64>() {
        Ok(0) => "signal 0 is not a signal: use a name such as `SIGTERM` or a number from 1".to_string(),
        Ok(_) => return,
        Err(_) => format!("invalid signal `{value}`: use a name such as `SIGTERM` or `SIGINT`, or a number"),
    };
    errors.push(SyntaxError::new(SyntaxErrorKind::InvalidSignal, word.range, message));
}

/// The image of FROM: `[registry/]path[:tag][@digest]`, checked where the reference grammar is
/// unambiguous (tags, digests, empty or malformed path components). Upper case is left alone: a
/// FROM may name a stage, and stage names match in any case.
pub(super) fn check_image(word: &Word, errors: &mut Vec<SyntaxError>) {
    let text = word.value.as_str();
    if has_variable(text) || text.eq_ignore_ascii_case("scratch") {
        return;
    }
    if let Some((start, end, message)) = image_problem(text) {
        errors.push(SyntaxError::new(SyntaxErrorKind::InvalidImageReference, word_part(word, start, end), message));
    }
}

/// What is wrong with an image reference, and where in `text` (byte offsets), if anything.
pub(super) fn image_problem(text: &str) -> Option<(usize, usize, String)> {
    let (before_digest, digest) = match text.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (text, None),
    };
    if let Some(digest) = digest {
        let start = before_digest.len() + 1;
        let algorithm_ok = digest.split_once(':').is_some_and(|(algorithm, hex)| {
            !algorithm.is_empty()
                && algorithm.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'_' | b'-'))
                && hex.len() >= 32
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !algorithm_ok {
            return Some((
                start,
                text.len(),
                format!("invalid digest `{digest}`: write it as `sha256:` and 64 hex digits"),
            ));
        }
        if let Some(why) = digest_problem(digest).filter(|_| digest.starts_with("sha")) {
            return Some((start, text.len(), format!("invalid digest `{digest}`: {why}")));
        }
    }
    let last_slash = before_digest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match before_digest[last_slash..].rfind(':') {
        Some(i) => (&before_digest[..last_slash + i], Some((last_slash + i + 1, &before_digest[last_slash + i + 1..]))),
        None => (before_digest, None),
    };
    if let Some((tag_start, tag)) = tag {
        let tag_ok = tag.len() <= 128
            && tag.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !tag_ok {
            let message = if tag.is_empty() {
                format!("`{text}` ends its image name with `:` but gives no tag: add one or remove the `:`")
            } else {
                format!(
                    "invalid tag `{tag}`: a tag has letters, digits, `_`, `.` and `-`, and does not start with `.` or `-`"
                )
            };
            return Some((tag_start.saturating_sub(1), tag_start + tag.len(), message));
        }
    }
    // Path components after the registry: lower-case letters and digits joined by `.`, `_`, `__` or dashes.
    let components: Vec<&str> = name.split('/').collect();
    let has_registry = components.len() > 1
        && (components[0].contains(['.', ':'])
            || components[0] == "localhost"
            || components[0] != components[0].to_ascii_lowercase());
    let path_components = if has_registry { &components[1..] } else { &components[..] };
    let bad = path_components.iter().find(|c| !path_component_ok(c))?;
    {
        let message = if bad.is_empty() {
            format!("`{name}` has an empty path component: remove the extra `/`")
        } else {
            format!(
                "invalid image name `{name}`: `{bad}` may only hold letters, digits and single `.`, `_`, `__` or `-` separators"
            )
        };
        Some((0, name.len(), message))
    }
}

fn path_component_ok(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: &u8| b.is_ascii_alphanumeric();
    if bytes.first().is_none_or(|b| !alnum(b)) || bytes.last().is_none_or(|b| !alnum(b)) {
        return false;
    }
    // Separators between alphanumeric runs: `.`, `_`, `__`, or any number of `-`.
    let mut run = String::new();
    for &b in bytes {
        if alnum(&b) {
            let separator_ok =
                run.is_empty() || run == "." || run == "_" || run == "__" || run.bytes().all(|c| c == b'-');
            if !separator_ok {
                return false;
            }
            run.clear();
        } else if matches!(b, b'.' | b'_' | b'-') {
            run.push(b as char);
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        for ok in ["0", "30s", "1m30s", "1.5h", "500ms", "+2s", "1h2m3s4ms5us6ns", "3000\u{b5}s"] {
            assert_eq!(duration_problem(ok), None, "{ok}");
        }
        for bad in ["30", "5x", "-1s", "10us", "", "s", ".s", "1..5s", "1e3s"] {
            assert!(duration_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn modes() {
        for ok in ["0644", "755", "7777", "u=rwx,go=rx", "+x", "a-w", "g=u", "u+s,o-t"] {
            assert_eq!(chmod_problem(ok), None, "{ok}");
        }
        for bad in ["10000", "0789", "64a", "u+q", "u", "rwx", "u+x,"] {
            assert!(chmod_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn platforms_signals_sizes_and_digests() {
        for ok in ["linux/amd64", "linux/arm/v7", "arm64", "windows", "windows(10.0.17763)/amd64"] {
            assert_eq!(platform_problem(ok), None, "{ok}");
        }
        for bad in ["linux/amd64,linux/arm64", "amd65", "linux//amd64", "a/b/c/d", "linux/*"] {
            assert!(platform_problem(bad).is_some(), "{bad}");
        }
        assert!(is_signal_name("sigterm") && is_signal_name("KILL") && is_signal_name("SIGRTMAX-1"));
        assert!(!is_signal_name("SIGRTMIN+16") && !is_signal_name("TERMINATE"));
        assert!(is_ram_size("64m") && is_ram_size("1.5GiB") && is_ram_size("10 kb") && is_ram_size("4096"));
        assert!(!is_ram_size("lots") && !is_ram_size("1.") && !is_ram_size("m"));
        assert_eq!(digest_problem(&format!("sha256:{}", "a".repeat(64))), None);
        assert!(digest_problem(&format!("sha256:{}", "A".repeat(64))).is_some());
        assert!(is_git_source("https://github.com/org/repo.git#main") && !is_git_source("https://example.com/a.tgz"));
    }

    #[test]
    fn image_path_components() {
        assert!(path_component_ok("my-app__x.y") && path_component_ok("a---b"));
        assert!(
            !path_component_ok("a..b")
                && !path_component_ok("-a")
                && !path_component_ok("")
                && !path_component_ok("a_")
        );
    }
}
