//! DL3055: a label of the schema's `hash` kind whose value is not a git commit hash.

use super::label_values::report_invalid;
use crate::rules::{Context, LabelType, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3055",
    name: "label-value-not-git-hash",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured (`label-schema` in `gantry.toml` or `.hadolint.yaml`), reports
each label the schema types as `hash` whose value is not a git commit hash. Does nothing without
a schema. Empty values are DL3051's; values written with a build variable (`LABEL
revision=$VALUE`) are known only at build time and are not judged.

## Why it matters
Labels are read by machines: registries, scanners and deployment tooling parse them, and a
malformed value is dropped or misread without any error at build time.

gantry accepts 7 to 40 hexadecimal digits (abbreviated or full SHA-1 names) and 64 (SHA-256
repositories), in either case; hadolint accepts exactly 7 or 40 lower-case digits.

## Example
```dockerfile
# label-schema: revision = \"hash\"
LABEL revision=main
```

## Fix
Record the commit, not a branch: pass `git rev-parse HEAD` in as a build argument and write
`LABEL revision=$REVISION` after `ARG REVISION`.

## References
- hadolint rule DL3055 (https://github.com/hadolint/hadolint/wiki/DL3055)
- git glossary: object name (https://git-scm.com/docs/gitglossary#def_object_name)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    report_invalid(context, sink, LabelType::Hash, "a git commit hash");
}
