//! DL3028: `gem install` without a version, in a stage that ships.

use super::support::{CommandLine, Options, command_span, is_opaque, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3028",
    name: "gem-install-unpinned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `gem install` of gems without a version: neither `name:version` nor `-v`/`--version`.
Local `.gem` files and gems held in a variable are not reported. Like DL3008, only stages that
ship are checked.

## Why it matters
An unpinned gem is whatever rubygems.org serves on the day of the build, so rebuilding the same
commit can install a new major version.

## Example
```dockerfile
RUN gem install bundler
```

## Fix
`gem install bundler:2.5.22` or `gem install bundler -v 2.5.22`; for an application, install
from its `Gemfile.lock` with `bundle install`.

## References
- hadolint rule DL3028 (https://github.com/hadolint/hadolint/wiki/DL3028)
- RubyGems guides: gem install (https://guides.rubygems.org/command-reference/#gem-install)
";

const GEM_OPTIONS: Options = Options {
    short_values: "vinsPg",
    long_values: &[
        "version",
        "install-dir",
        "bindir",
        "source",
        "trust-policy",
        "platform",
        "file",
        "build-root",
        "document",
    ],
};

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        for gem in run.script.commands_running("gem") {
            let line = CommandLine::read(&gem.args, &GEM_OPTIONS);
            let Some(install) = line.operands.first().filter(|w| w.value == "install") else { continue };
            if line.has(&["v", "version"]) {
                continue;
            }
            let unpinned: Vec<&str> = line
                .arguments()
                .iter()
                .filter(|word| !is_opaque(word))
                .map(|word| word.value.as_str())
                .filter(|name| !name.contains(':') && !name.ends_with(".gem"))
                .collect();
            let Some(first) = unpinned.first() else { continue };
            let names = unpinned.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            sink.report(
                command_span(gem, Some(install)),
                format!("gem installs {names} without a version: pin such as `{first}:<version>`"),
            );
        }
    }
}
