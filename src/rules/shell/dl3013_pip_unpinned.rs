//! DL3013: `pip install` of packages without a version, in a stage that ships.

use super::pip::pip_installs;
use super::support::{command_span, is_opaque, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3013",
    name: "pip-install-unpinned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `pip install` (also `pip3`, `python3 -m pip` and `pipx install`) of packages without a
version specifier. Any PEP 440 specifier counts (`==`, `~=`, `>=`, `<`, `!=`), as do direct
references (`pkg @ https://…`, `git+https://…@v1`), local paths, archives and wheels. Installs
from a requirements file (`-r`) are not checked, nor installs under a constraints file (`-c`),
which pins every package it names. Packages held in a variable are not reported.

Like DL3008, only stages that ship are checked.

## Why it matters
An unpinned install takes whatever PyPI has on the day of the build, so a rebuild can bring a new
major version with breaking changes into the image.

## Example
```dockerfile
RUN pip install --no-cache-dir requests flask==3.0.3
```

## Fix
Pin each package (`requests==2.32.3`), or install from a requirements file generated with
hashes (`pip-compile --generate-hashes`) and `pip install --require-hashes -r requirements.txt`.

## References
- hadolint rule DL3013 (https://github.com/hadolint/hadolint/wiki/DL3013)
- pip documentation: repeatable installs (https://pip.pypa.io/en/stable/topics/repeatable-installs/)
";

/// Whether a requirement names a version or a fixed source.
fn is_pinned(requirement: &str) -> bool {
    requirement.contains(['=', '<', '>', '@', '/'])
        || requirement.starts_with('.')
        || [".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"].iter().any(|ext| requirement.ends_with(ext))
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        for pip in pip_installs(run.script) {
            if pip.line.has(&["c", "constraint"]) {
                continue;
            }
            let unpinned: Vec<&str> = pip
                .line
                .arguments()
                .iter()
                .filter(|word| !is_opaque(word))
                .map(|word| word.value.as_str())
                .filter(|requirement| !is_pinned(requirement))
                .collect();
            let Some(first) = unpinned.first() else { continue };
            let names = unpinned.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            sink.report(
                command_span(pip.command, Some(pip.install)),
                format!("pip installs {names} without a version: pin such as `{first}==<version>`"),
            );
        }
    }
}
