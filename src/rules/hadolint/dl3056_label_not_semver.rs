//! DL3056: a label of the schema's `semver` kind whose value is not a semantic version.

use super::label_values::report_invalid;
use crate::rules::{Context, LabelType, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3056",
    name: "label-value-not-semver",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured (`label-schema` in `gantry.toml` or `.hadolint.yaml`), reports
each label the schema types as `semver` whose value is not a semantic version. Does nothing
without a schema. Empty values are DL3051's; values written with a build variable (`LABEL
version=$VALUE`) are known only at build time and are not judged.

## Why it matters
Labels are read by machines: registries, scanners and deployment tooling parse them, and a
malformed value is dropped or misread without any error at build time.

gantry follows Semantic Versioning 2.0.0 to the letter: `1.2` and `v1.2.3` are reported, and so
are leading zeros (`01.2.3`), which hadolint accepts.

## Example
```dockerfile
# label-schema: version = \"semver\"
LABEL version=v1.2
```

## Fix
Write `MAJOR.MINOR.PATCH`: `LABEL version=1.2.0`.

## References
- hadolint rule DL3056 (https://github.com/hadolint/hadolint/wiki/DL3056)
- Semantic Versioning 2.0.0 (https://semver.org/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    report_invalid(context, sink, LabelType::Semver, "a semantic version");
}
