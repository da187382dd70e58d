//! ConsistentInstructionCasing: an instruction keyword in mixed case, or in the file's minority case.

use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "ConsistentInstructionCasing",
    name: "inconsistent-keyword-case",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Counts the instruction keywords written all in upper case and all in lower case, and reports every
keyword that is not written like the majority: mixed-case keywords (`From`, `EntryPoint`) always,
and lower-case ones in a mostly upper-case file (or the reverse). A tie counts as upper case.
Unlike BuildKit, the global ARGs before the first FROM are counted and checked too.

## Why it matters
Keywords are case-insensitive, so the build does not change, but a file that mixes `RUN`, `run`
and `Run` is harder to scan and suggests copy-pasted fragments. BuildKit reports the same check as
a warning.

## Example
```dockerfile
FROM alpine
Run echo hello > /greeting.txt
entrypoint [\"cat\", \"/greeting.txt\"]
```

## Fix
Write every keyword in the majority case. The quick fix rewrites the keyword; it is safe.

## References
- BuildKit build checks: ConsistentInstructionCasing (https://docs.docker.com/reference/build-checks/consistent-instruction-casing/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let keywords: Vec<_> = context.dockerfile.instructions.iter().filter(|i| i.keyword.is_some()).collect();
    let is_lower = |k: &str| k == k.to_lowercase();
    let is_upper = |k: &str| k == k.to_uppercase();
    let lower = keywords.iter().filter(|i| is_lower(&i.keyword_text)).count();
    let upper = keywords.iter().filter(|i| is_upper(&i.keyword_text)).count();
    let majority_lower = lower > upper;
    for instruction in keywords {
        let keyword = &instruction.keyword_text;
        let (wanted, case) =
            if majority_lower { (keyword.to_lowercase(), "lowercase") } else { (keyword.to_uppercase(), "uppercase") };
        if *keyword == wanted {
            continue;
        }
        let message = if is_lower(keyword) || is_upper(keyword) {
            format!("`{keyword}` should be {case} like most instructions in this file")
        } else {
            format!("`{keyword}` mixes upper and lower case: write `{wanted}` like most instructions in this file")
        };
        sink.report(instruction.keyword_range, message).with_fix(
            format!("Write `{wanted}`"),
            instruction.keyword_range,
            wanted,
            true,
        );
    }
}
