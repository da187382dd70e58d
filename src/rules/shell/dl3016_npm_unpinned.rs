//! DL3016: `npm install <package>` without a version, in a stage that ships.

use super::support::{CommandLine, Options, command_span, is_opaque, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3016",
    name: "npm-install-unpinned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `npm install` (also `npm i` and `npm add`, which hadolint misses) naming packages
without a version: `express` rather than `express@4.21.1`. Ranges (`react@^18`), dist-tags other
than `latest`, local paths, tarballs and git or URL sources count as chosen on purpose; `@latest`
is reported, since it pins nothing (hadolint accepts it). `npm install` and `npm ci` without
package names install what `package-lock.json` says and are not reported.

Like DL3008, only stages that ship are checked.

## Why it matters
Without a version, npm installs the newest release on the day of the build, so a rebuild can
bring a new major version into the image.

## Example
```dockerfile
RUN npm install -g pnpm
```

## Fix
Name the version: `npm install -g pnpm@9.12.2`. For application dependencies, copy
`package.json` and `package-lock.json` and run `npm ci`.

## References
- hadolint rule DL3016 (https://github.com/hadolint/hadolint/wiki/DL3016)
- npm documentation: npm install (https://docs.npmjs.com/cli/commands/npm-install)
";

const NPM_OPTIONS: Options = Options {
    short_values: "w",
    long_values: &[
        "registry",
        "prefix",
        "cache",
        "tag",
        "workspace",
        "omit",
        "include",
        "loglevel",
        "userconfig",
        "location",
        "install-strategy",
    ],
};

/// Whether a package spec names a version, a range, a tag or a fixed source.
fn is_pinned(spec: &str) -> bool {
    // `@scope/name` starts with `@`; the version comes after the next one.
    let after_name = spec.get(1..).and_then(|rest| rest.find('@')).map(|at| &spec[at + 2..]);
    match after_name {
        Some(version) => !version.is_empty() && version != "latest",
        None => {
            spec.starts_with(['.', '/', '~'])
                || spec.contains(':')
                || spec.ends_with(".tgz")
                || spec.ends_with(".tar.gz")
                || (spec.contains('/') && !spec.starts_with('@'))
        }
    }
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        for npm in run.script.commands_running("npm") {
            let line = CommandLine::read(&npm.args, &NPM_OPTIONS);
            let Some(install) = line.operands.first().filter(|w| matches!(w.value.as_str(), "install" | "i" | "add"))
            else {
                continue;
            };
            let unpinned: Vec<&str> = line
                .arguments()
                .iter()
                .filter(|word| !is_opaque(word))
                .map(|word| word.value.as_str())
                .filter(|spec| !is_pinned(spec))
                .collect();
            let Some(first) = unpinned.first() else { continue };
            let names = unpinned.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            let base = first.strip_suffix("@latest").unwrap_or(first);
            sink.report(
                command_span(npm, Some(install)),
                format!("npm installs {names} without a version: pin such as `{base}@<version>`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_pinned;

    #[test]
    fn package_specs() {
        for pinned in [
            "express@4",
            "@scope/pkg@1.0.0",
            "react@^18",
            "vue@next",
            "./local",
            "git+https://x/y.git",
            "github:a/b",
            "a.tgz",
            "user/repo",
        ] {
            assert!(is_pinned(pinned), "{pinned}");
        }
        for unpinned in ["express", "@scope/pkg", "lodash@latest", "x@"] {
            assert!(!is_pinned(unpinned), "{unpinned}");
        }
    }
}
