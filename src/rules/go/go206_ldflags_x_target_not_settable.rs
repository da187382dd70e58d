//! GO206: `-ldflags -X` on a variable the linker cannot set: not a string, or initialised by a
//! function call or another variable.

use super::go2xx_support::{Project, XTarget, built_module, go_site, milder, resolve_x, x_target_range};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::GoSubcommand;
use crate::workspace::Initializer;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO206",
    name: "ldflags-x-target-not-settable",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Looks up the variable that each `-X importpath.name=value` of `-ldflags` sets (as GO205 resolves
it) and checks its declaration: the type must be `string`, and the variable must be uninitialised
or initialised to a constant string expression.

## Why it matters
`-X` writes a string into the binary's data. On a variable of another type the link fails:

```text
example.com/app/internal/version.Count: cannot set with -X: not a var of type string (type.int)
```

On a string variable initialised by a function call (`var Built = defaultBuilt()`) or from another
variable, the initialiser runs at start-up and overwrites the value: the `-X` silently has no
effect. The first form is reported at the rule's severity (an error by default), the silent forms
one level lower.

The rule stays silent for named types it cannot see through (an alias of `string` is fine), for
initialisers it cannot classify (selectors, concatenations with identifiers), and wherever GO205
stays silent.

## Example
```go
// internal/version/version.go
var Count int
var Built = time.Now().String()
```
```dockerfile
RUN go build -ldflags \"-X example.com/app/internal/version.Count=3 -X example.com/app/internal/version.Built=$(date)\" ./cmd/app
```

## Fix
Declare the variable as `var Count string` (parse it at start-up if a number is needed), and leave
it uninitialised or initialise it to a string literal (`var Built = \"unknown\"`). There is no
automatic fix.

## References
- The linker's `-X` flag and its restrictions: https://pkg.go.dev/cmd/link
- golang/go#9621: https://github.com/golang/go/issues/9621
";

/// Types that are certainly not `string` (a named type may be an alias of `string`).
fn certainly_not_string(type_text: &str) -> bool {
    const BUILTIN: &[&str] = &[
        "bool",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "float32",
        "float64",
        "complex64",
        "complex128",
        "byte",
        "rune",
        "error",
        "any",
    ];
    let text = type_text.trim();
    BUILTIN.contains(&text)
        || [
            "[",
            "*",
            "map[",
            "chan ",
            "chan<-",
            "<-chan",
            "func(",
            "func ",
            "struct{",
            "struct {",
            "interface{",
            "interface {",
        ]
        .iter()
        .any(|prefix| text.starts_with(prefix))
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(project) = Project::new(context) else { return };
    let build = context.build();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run) {
            continue;
        }
        let Some(ldflags) = run.command.ldflags() else { continue };
        if ldflags.definitions.is_empty() {
            continue;
        }
        let Some(site) = go_site(context, build, stage, run) else { continue };
        let Some(module) = built_module(&project, &site) else { continue };
        for (index, definition) in ldflags.definitions.iter().enumerate() {
            let occurrence = ldflags.definitions[..index].iter().filter(|d| d.target == definition.target).count();
            let target_range = x_target_range(context.text, &ldflags, definition, occurrence);
            let XTarget::Var { package, file, decl } = resolve_x(&project, &site, &module, definition) else {
                continue;
            };
            let name = &decl.name.value;
            let target = &definition.target;
            let (message, silent) = match (&decl.type_text, &decl.init) {
                (Some(type_text), _) if certainly_not_string(type_text) => (
                    format!(
                        "`-X {target}` cannot set `{name}`: its type is `{type_text}`, not `string`, and the link fails \
                         with `{target}: cannot set with -X: not a var of type string (type.{type_text})`"
                    ),
                    false,
                ),
                (None, Initializer::OtherLiteral) => (
                    format!(
                        "`-X {target}` cannot set `{name}`: its initialiser makes it a number or a bool, not a \
                         `string`, and the link fails with `{target}: cannot set with -X: not a var of type string`"
                    ),
                    false,
                ),
                (Some(type_text), _) if type_text.trim() != "string" => continue,
                (_, Initializer::Call) => (
                    format!(
                        "`-X {target}` has no effect: `{name}` is initialised by a function call, which runs at \
                         start-up and replaces the value the linker wrote"
                    ),
                    true,
                ),
                (_, Initializer::Identifier(other)) if !package.has_const(other) && package.var(other).is_some() => (
                    format!(
                        "`-X {target}` has no effect: `{name}` is initialised from the variable `{other}`, and -X \
                         only works on variables that are uninitialised or set to a constant string"
                    ),
                    true,
                ),
                _ => continue,
            };
            let diagnostic = sink.report(target_range, message);
            if silent {
                diagnostic.severity = milder(diagnostic.severity);
            }
            diagnostic.with_related(Some(file), decl.name.range, format!("`{name}` is declared here"));
        }
    }
}
