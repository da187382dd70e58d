//! `RUN --mount` options, checked as BuildKit reads them: in order, keys in any case, values by type.

use super::{did_you_mean, has_variable, values};
use crate::syntax::{Mount, MountOption, Run, SyntaxError, SyntaxErrorKind};

const TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];
const SHARING: &[&str] = &["shared", "private", "locked"];
const KEYS: &[&str] = &[
    "type",
    "from",
    "source",
    "src",
    "target",
    "dst",
    "destination",
    "readonly",
    "ro",
    "readwrite",
    "rw",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "env",
];

pub(super) fn check(run: &Run, errors: &mut Vec<SyntaxError>) {
    for mount in &run.mounts {
        check_mount(mount, errors);
    }
}

fn invalid(range: crate::syntax::TextRange, message: String) -> SyntaxError {
    SyntaxError::new(SyntaxErrorKind::InvalidMountOption, range, message)
}

fn check_mount(mount: &Mount, errors: &mut Vec<SyntaxError>) {
    // The type as read so far; `None` once it comes from a variable (then type rules wait for the build).
    let mut mount_type = Some("bind".to_string());
    let final_type = final_type(mount);
    for option in &mount.options {
        let key = option.key.to_ascii_lowercase();
        let Some(value) = option.value.as_deref() else {
            check_bare_key(option, &key, mount_type.as_deref(), final_type.as_deref(), errors);
            continue;
        };
        let value_range = option.value_range.unwrap_or(option.key_range);
        if key == "from" && value.find('$').is_some_and(|i| i + 1 < value.len()) {
            errors.push(invalid(
                value_range,
                "`from` in a mount cannot use variables: name a stage (`FROM ${IMAGE} AS deps`) and mount `from=deps`"
                    .to_string(),
            ));
            continue;
        }
        if !KEYS.contains(&key.as_str()) {
            let hint = did_you_mean(&key, KEYS, "");
            errors.push(SyntaxError::new(
                SyntaxErrorKind::UnknownMountOption,
                option.key_range,
                format!("unknown mount option `{}`{hint}", option.key),
            ));
            continue;
        }
        if key == "type" {
            mount_type = if has_variable(value) { None } else { Some(value.to_ascii_lowercase()) };
        }
        if has_variable(value) {
            continue;
        }
        let type_rule = match key.as_str() {
            "required" => type_only("required", &["secret", "ssh"], mount_type.as_deref(), final_type.as_deref()),
            "size" => type_only("size", &["tmpfs"], mount_type.as_deref(), final_type.as_deref()),
            _ => None,
        };
        if let Some(message) = type_rule {
            errors.push(invalid(option.key_range, message));
        } else if let Some(message) = value_problem(&key, value) {
            errors.push(invalid(value_range, message));
        }
    }
    if let Some(mount_type) = mount_type.as_deref().filter(|t| TYPES.contains(t)) {
        check_type_rules(mount, mount_type, errors);
    }
}

/// The type the mount ends up with, for messages about options written before `type=`.
fn final_type(mount: &Mount) -> Option<String> {
    let last = mount.options.iter().rev().find(|o| o.key.eq_ignore_ascii_case("type"));
    match last {
        Some(option) => option.value.as_deref().filter(|v| !has_variable(v)).map(str::to_ascii_lowercase),
        None => Some("bind".to_string()),
    }
}

/// `ro`, `rw`, `required` may stand alone; every other option needs `=value`.
fn check_bare_key(
    option: &MountOption,
    key: &str,
    mount_type: Option<&str>,
    final_type: Option<&str>,
    errors: &mut Vec<SyntaxError>,
) {
    match key {
        "readonly" | "ro" | "readwrite" | "rw" => {}
        "required" => {
            if let Some(message) = type_only("required", &["secret", "ssh"], mount_type, final_type) {
                errors.push(invalid(option.key_range, message));
            }
        }
        _ if KEYS.contains(&key) => errors.push(invalid(
            option.key_range,
            format!("mount option `{}` needs a value: write `{}=...`", option.key, option.key),
        )),
        _ => {
            let hint = did_you_mean(key, KEYS, "");
            errors.push(SyntaxError::new(
                SyntaxErrorKind::UnknownMountOption,
                option.key_range,
                format!("unknown mount option `{}`{hint}", option.key),
            ));
        }
    }
}

/// An option that only some types take, judged by the type read so far (BuildKit reads in order).
fn type_only(key: &str, types: &[&str], mount_type: Option<&str>, final_type: Option<&str>) -> Option<String> {
    let current = mount_type?;
    if types.contains(&current) {
        return None;
    }
    let allowed = types.join(" and ");
    Some(match final_type {
        Some(last) if types.contains(&last) => {
            format!("`{key}` comes before `type={last}`: BuildKit reads mount options in order, so put `type=` first")
        }
        _ => format!("`{key}` only applies to {allowed} mounts, not {current}"),
    })
}

fn value_problem(key: &str, value: &str) -> Option<String> {
    let not_bool = || !values::is_go_bool(value);
    match key {
        "type" if !TYPES.contains(&value.to_ascii_lowercase().as_str()) => Some(format!(
            "unknown mount type `{value}`: use bind, cache, tmpfs, secret or ssh{}",
            did_you_mean(value, TYPES, "")
        )),
        "readonly" | "ro" | "readwrite" | "rw" | "required" if not_bool() => {
            Some(format!("mount option `{key}` takes `true` or `false`, not `{value}`"))
        }
        "size" if !values::is_ram_size(value) => {
            Some(format!("invalid tmpfs size `{value}`: write a size such as `64m` or `1g`"))
        }
        "sharing" if !SHARING.contains(&value.to_ascii_lowercase().as_str()) => Some(format!(
            "unknown sharing mode `{value}`: use shared, private or locked{}",
            did_you_mean(value, SHARING, "")
        )),
        "mode" if u32::from_str_radix(value, 8).is_err() => {
            Some(format!("invalid mount mode `{value}`: write an octal mode such as `0755`"))
        }
        "uid" | "gid" if value.parse::<u32>().is_err() || value.starts_with('+') => {
            Some(format!("invalid {key} `{value}`: write a number such as `1000`"))
        }
        _ => None,
    }
}

/// Rules that need the whole mount: which options each type accepts, and what a secret needs.
fn check_type_rules(mount: &Mount, mount_type: &str, errors: &mut Vec<SyntaxError>) {
    let option = |name: &str| mount.options.iter().find(|o| o.key.eq_ignore_ascii_case(name));
    let any = |names: &[&str]| names.iter().find_map(|n| option(n));
    let file_info = matches!(mount_type, "cache" | "secret" | "ssh");
    for key in ["mode", "uid", "gid"] {
        if let Some(found) = option(key).filter(|_| !file_info) {
            errors.push(invalid(
                found.key_range,
                format!("`{key}` only applies to cache, secret and ssh mounts, not {mount_type}"),
            ));
        }
    }
    if let Some(found) = option("sharing").filter(|_| mount_type != "cache") {
        errors.push(invalid(found.key_range, format!("`sharing` only applies to cache mounts, not {mount_type}")));
    }
    if mount_type != "secret" {
        return;
    }
    if let Some(found) = option("from") {
        errors.push(invalid(found.key_range, "a secret mount cannot take `from`".to_string()));
    }
    let source = any(&["source", "src"]);
    let id = option("id");
    if source.is_none() && id.is_none() && any(&["target", "dst", "destination", "env"]).is_none() {
        errors.push(invalid(mount.range, "a secret mount needs `id=` (or `target=`) to say which secret".to_string()));
    }
    if let (Some(source), Some(_)) = (source, id) {
        errors.push(invalid(source.key_range, "a secret mount takes `id` or `source`, not both".to_string()));
    }
}
