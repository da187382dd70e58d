//! DL3054: a label of the schema's `spdx` kind whose value is not an SPDX license expression.

use super::label_values::report_invalid;
use crate::rules::{Context, LabelType, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3054",
    name: "label-value-not-spdx",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured (`label-schema` in `gantry.toml` or `.hadolint.yaml`), reports
each label the schema types as `spdx` whose value is not an SPDX license expression. Does
nothing without a schema. Empty values are DL3051's; values written with a build variable
(`LABEL license=$VALUE`) are known only at build time and are not judged.

## Why it matters
Labels are read by machines: registries, scanners and deployment tooling parse them, and a
malformed value is dropped or misread without any error at build time.

gantry differs from hadolint: it accepts whole SPDX expressions (`Apache-2.0 OR MIT`,
`GPL-2.0-only WITH Classpath-exception-2.0`) and `LicenseRef-…`, where hadolint accepts a single
identifier only. Identifiers are case-sensitive and deprecated ones (`GPL-3.0`) are reported, as
the SPDX specification asks.

## Example
```dockerfile
# label-schema: license = \"spdx\"
LABEL license=Apache2
```

## Fix
Use the identifier from the SPDX license list: `LABEL license=Apache-2.0`.

## References
- hadolint rule DL3054 (https://github.com/hadolint/hadolint/wiki/DL3054)
- SPDX license list (https://spdx.org/licenses/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    report_invalid(context, sink, LabelType::Spdx, "an SPDX license expression");
}
