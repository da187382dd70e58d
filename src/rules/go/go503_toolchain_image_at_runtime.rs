//! GO503: the image is the golang toolchain image itself, running `go run` or a program it built.

use super::go4xx_support::chain;
use crate::build::{Build, GoRun, Stage};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Command, GoSubcommand, InstructionKind};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO503",
    name: "toolchain-image-at-runtime",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a final stage on a `golang` image whose CMD or ENTRYPOINT runs `go run …`, or runs a program
that `go build`/`go install` produced in that same stage.

## Why it matters
The golang image holds the whole toolchain, a C compiler on Debian, the module cache and the
sources: 800 MB and more, against a few megabytes for a Go program on `distroless/static` or
`scratch`. Every piece of it is attack surface and something for scanners to report. `go run`
also compiles at every start (and may download modules then), so containers start slowly and need
network access to start at all.

The rule does not report a golang final stage that only serves as a build or development
environment (no CMD/ENTRYPOINT of its own, or one that runs something else, such as `go test` or a
linter that needs the toolchain at run time, copied in from elsewhere).

## Example
```dockerfile
FROM golang:1.23
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD [\"app\"]
```

## Fix
Build in one stage and run in another:

```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT [\"/app\"]
```

There is no quick fix: the runtime image (and whether cgo stays on) is the project's choice.

## References
- Docker documentation, multi-stage builds: https://docs.docker.com/build/building/multi-stage/
- SUSE/BCI-dockerfile-generator#1169; mayflower/docker-ls#31 (860 MB to 28 MB); gogs/gogs#1521
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    let Some(last) = build.final_stage() else { return };
    if last.golang.is_none() {
        return;
    }
    let Some((index, words)) = start_command(context, build, last) else { return };
    let Some(program) = words.first().map(|w| basename(w)) else { return };
    let module_name = facts.context.module.as_ref().and_then(|m| m.path()).map(|path| program_name(path).to_string());
    let reason = if program == "go" && words.get(1).map(String::as_str) == Some("run") {
        "runs `go run`, which compiles the program at every start;"
    } else if chain(build, last.index)
        .iter()
        .flat_map(|s| s.go_runs.iter())
        .any(|run| outputs(run, module_name.as_deref()).iter().any(|name| name == program))
    {
        "runs a program built in this same stage;"
    } else {
        return;
    };
    let root = chain(build, last.index).into_iter().next().unwrap_or(last);
    let Some((image, range)) = &root.image_text else { return };
    let diagnostic = sink.report(
        *range,
        format!(
            "the final image is `{image}` and {reason} it ships the Go toolchain, the module cache and the sources \
             (hundreds of megabytes): build in a builder stage and copy the program into a small runtime stage"
        ),
    );
    if let Some(instruction) = context.dockerfile.instructions.get(index) {
        diagnostic.with_related(None, instruction.range, "what the container runs");
    }
}

/// The instruction that says what the container runs and its words: the last ENTRYPOINT of the
/// stage chain, else the last CMD.
fn start_command(context: &Context<'_>, build: &Build, stage: &Stage) -> Option<(usize, Vec<String>)> {
    let mut entrypoint = None;
    let mut cmd = None;
    for member in chain(build, stage.index) {
        let syntax_stage = context.dockerfile.stages.get(member.index)?;
        for at in syntax_stage.instructions.clone() {
            match &context.dockerfile.instructions[at].kind {
                InstructionKind::Entrypoint(command) => entrypoint = Some((at, command)),
                InstructionKind::Cmd(command) => cmd = Some((at, command)),
                _ => {}
            }
        }
    }
    let (at, command) = entrypoint.or(cmd)?;
    let words: Vec<String> = match command {
        Command::Exec { args, .. } => args.iter().map(|w| w.value.clone()).collect(),
        Command::Shell { text, .. } => text.split_whitespace().map(str::to_string).collect(),
        Command::Empty => return None,
    };
    Some((at, words))
}

/// The names of the programs a `go build`/`go install` writes: the `-o` file, or the last element
/// of each package path (`.` is the module's name, approximately).
fn outputs(run: &GoRun, module_name: Option<&str>) -> Vec<String> {
    if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install) {
        return Vec::new();
    }
    if let Some(output) = run.command.flag("o").and_then(|f| f.value.as_ref()).filter(|v| !v.dynamic)
        && !output.value.ends_with('/')
    {
        return vec![basename(&output.value).to_string()];
    }
    let packages: Vec<&str> = run.command.packages.iter().filter(|p| !p.dynamic).map(|p| p.value.as_str()).collect();
    let packages = if packages.is_empty() { vec!["."] } else { packages };
    packages
        .into_iter()
        .filter(|p| !p.ends_with(".go") && !p.contains("..."))
        .filter_map(|package| {
            let path = package.split('@').next().unwrap_or(package).trim_end_matches('/');
            match path {
                "." | "" => module_name.map(str::to_string),
                _ => Some(program_name(path).to_string()),
            }
        })
        .collect()
}

/// The program name Go gives a package path: its last element, skipping a `/vN` major version.
fn program_name(path: &str) -> &str {
    let mut parts = path.rsplit('/').filter(|p| !p.is_empty() && *p != ".");
    let last = parts.next().unwrap_or(path);
    let is_major = last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    if is_major { parts.next().unwrap_or(last) } else { last }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::program_name;

    #[test]
    fn program_names_follow_go() {
        assert_eq!(program_name("example.com/app/v2"), "app");
        assert_eq!(program_name("./cmd/server"), "server");
        assert_eq!(program_name("example.com/tool"), "tool");
        assert_eq!(program_name("v2"), "v2");
    }
}
