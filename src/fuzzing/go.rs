//! The Go targets: go.mod, go.work, vendor/modules.txt, Go sources, and `go` command lines.

use super::invariants::{assert_debug_ranges, assert_range};
use crate::syntax::{GoCommand, LinkerFlags, go_commands, parse_shell};
use crate::workspace::{
    is_generated, parse_go_header, parse_go_mod, parse_go_source, parse_go_work, parse_modules_txt,
};

pub(super) fn go_mod(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let go_mod = parse_go_mod(&text);
    assert_debug_ranges(&text, &format!("{go_mod:?}"), &[], "go.mod");
    // A quoted path with escapes is decoded (`\"` to `"`, an unsupported `\c` dropped with an error),
    // so only a text without backslashes must hold the path verbatim.
    if let Some(path) = go_mod.module_path().filter(|_| !text.contains('\\')) {
        assert!(text.contains(path.trim_matches(['"', '`'])), "module path {path:?} not in the text");
    }
    for require in &go_mod.requires {
        assert!(go_mod.require(&require.path.value).is_some(), "require {:?} not found again", require.path.value);
    }
    let _ = go_mod.directory_replaces().count();
}

pub(super) fn go_work(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let go_work = parse_go_work(&text);
    assert_debug_ranges(&text, &format!("{go_work:?}"), &[], "go.work");
}

pub(super) fn modules_txt(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let modules = parse_modules_txt(&text);
    assert_debug_ranges(&text, &format!("{modules:?}"), &[], "modules.txt");
    for module in &modules.modules {
        assert!(modules.module(&module.path).is_some(), "module {:?} not found again", module.path);
    }
}

/// Go sources are read as bytes, as the loader reads them (a file need not be UTF-8).
pub(super) fn go_source(data: &[u8]) {
    let lossy = String::from_utf8_lossy(data);
    let _ = is_generated(&lossy);
    for file in [parse_go_source(data), parse_go_header(data)] {
        for address in &file.listen_addresses {
            let _ = (address.host(), address.port(), address.is_loopback());
        }
        if let Some(constraint) = &file.build_constraint {
            let tags = constraint.tags();
            let _ = constraint.eval(&|tag| tag == "linux" || tag == "cgo");
            let _ = constraint.eval(&|tag| tags.first().is_some_and(|first| first == tag));
        }
        let _ = (file.package_name(), file.imports_path("C"), file.var("version"));
        // Ranges are byte offsets into the source; only valid UTF-8 can be checked for boundaries.
        if let Ok(text) = std::str::from_utf8(data) {
            assert_debug_ranges(text, &format!("{file:?}"), &[], "Go source");
        }
    }
}

/// A shell script (the text of a RUN) read for its `go` commands and their `-ldflags`.
pub(super) fn go_command(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let script = parse_shell(&text);
    assert_debug_ranges(&text, &format!("{script:?}"), &[], "shell script");
    for command in go_commands(&script.commands) {
        check_go_command(&text, &command);
    }
    // Every word also read as an `-ldflags` value, whatever command it belongs to.
    for word in script.commands.iter().flat_map(|c| &c.args) {
        let flags = LinkerFlags::parse(word);
        assert_debug_ranges(&text, &format!("{flags:?}"), &[], "linker flags");
    }
}

fn check_go_command(text: &str, command: &GoCommand) {
    assert_range(text, command.range, "go command");
    assert_debug_ranges(text, &format!("{command:?}"), &[], "go command");
    let _ = command.subcommand.builds();
    for flag in &command.flags {
        assert!(command.range.contains_range(flag.range), "flag {:?} outside its command", flag.name);
        let _ = (command.flag(&flag.name), command.bool_flag(&flag.name));
    }
    for (name, _) in &command.env {
        assert!(command.env_value(name).is_some(), "env {name:?} not found again");
    }
    if let Some(ldflags) = command.ldflags() {
        assert_debug_ranges(text, &format!("{ldflags:?}"), &[], "ldflags");
    }
}
