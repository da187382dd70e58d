//! What the programs a Dockerfile builds need at run time and at build time (cgo, a CA bundle,
//! a time zone database, `/etc/passwd`, files read from the working directory), from the same
//! evidence the GO3xx rules use. The multi-stage conversion asks this about the builder stage it
//! writes, so that its choices and the rules' findings agree.

use std::cell::OnceCell;

use super::go3xx_support::{TargetTags, built_code, cgo_state, excluded_cgo_files};
use super::go302_cgo_only_dependency_without_cgo::cgo_only_module;
use super::go307_no_ca_certificates::makes_tls_connections;
use crate::rules::{Context, GoFacts, RuleOptions};
use crate::syntax::{GoSubcommand, Parse, ShellScripts};

/// The needs of the program one `go build`/`go install`/`go run` compiles. Reasons are short
/// sentences naming the file that shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramNeeds {
    /// Index of the RUN in `Dockerfile::instructions`.
    pub instruction: usize,
    /// Why the code needs cgo (`import "C"` without a cgo-free alternative, or a module that only
    /// works with cgo); `None` when it builds without.
    pub cgo: Option<String>,
    /// Why the program makes TLS connections (and needs CA certificates).
    pub tls: Option<String>,
    /// Why the program needs a time zone database (`time.LoadLocation`).
    pub time_zones: Option<String>,
    /// The program embeds its own roots (`golang.org/x/crypto/x509roots/fallback`).
    pub embeds_ca_roots: bool,
    /// The program embeds the zone database (`time/tzdata` or `-tags timetzdata`).
    pub embeds_tzdata: bool,
    /// The program looks up users (`os/user`): it needs `/etc/passwd`.
    pub looks_up_users: bool,
    /// Relative paths named by string literals of the built code (candidates for files it reads).
    pub relative_paths: Vec<String>,
    /// Every package and file of the build was found and decided: a `None` above is certain.
    pub complete: bool,
}

/// The needs of every compiling `go` command of the Dockerfile, in order. Empty when the package
/// index is not complete yet or nothing can be traced to the workspace.
pub fn program_needs(parse: &Parse, facts: &GoFacts) -> Vec<ProgramNeeds> {
    let options = RuleOptions::default();
    let context = Context {
        parse,
        dockerfile: parse.dockerfile(),
        text: parse.text(),
        options: &options,
        shells: ShellScripts::new(parse.text(), parse.dockerfile()),
        go: Some(facts),
        build: OnceCell::new(),
        scope: OnceCell::new(),
        shipping_stages: OnceCell::new(),
    };
    let build = context.build();
    let go_mod = facts.context.module.as_ref().and_then(|m| m.go_mod.loaded().cloned());
    let mut found = Vec::new();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run) {
            continue;
        }
        let cgo = cgo_state(&context, stage, run);
        let tags = TargetTags::new(stage, run, cgo);
        let Some(code) = built_code(&context, facts, stage, run, &tags) else { continue };
        let mut needs =
            ProgramNeeds { instruction: run.instruction, complete: code.complete, ..ProgramNeeds::default() };
        // cgo: what a cgo-free build of the same code would leave out or break.
        let without_cgo = TargetTags::new(stage, run, Some(false));
        if let Some(code_without) = built_code(&context, facts, stage, run, &without_cgo) {
            needs.complete &= code_without.complete;
            let excluded = code_without.packages.iter().find_map(|package| {
                let files = excluded_cgo_files(package, &without_cgo)?;
                Some(package.file_path(files.first()?))
            });
            needs.cgo = excluded.map(|file| format!("{file} imports \"C\""));
        }
        if needs.cgo.is_none() {
            let required = |path: &str| {
                cgo_only_module(path).is_some_and(|module| go_mod.as_ref().is_some_and(|m| m.require(module).is_some()))
            };
            needs.cgo =
                code.find_import(required).map(|site| format!("{} imports {}, which needs cgo", site.file, site.path));
        }
        let imports = |path: &str| code.find_import(|p| p == path).is_some();
        needs.embeds_ca_roots = imports("golang.org/x/crypto/x509roots/fallback");
        needs.embeds_tzdata = imports("time/tzdata") || tags.custom("timetzdata") == Some(true);
        needs.looks_up_users = imports("os/user");
        needs.tls = code.find_import(makes_tls_connections).map(|site| format!("{} imports {}", site.file, site.path));
        // Calls and literals are body facts: read the built packages in full.
        for built in &code.packages {
            let Some(full) = facts.workspace.package(&built.package.dir) else {
                needs.complete = false;
                continue;
            };
            for file in full.files.iter().filter(|f| built.files.iter().any(|b| b.name == f.name)) {
                let path = built.file_path(file);
                if file.facts.loads_locations && needs.time_zones.is_none() {
                    needs.time_zones = Some(format!("{path} calls time.LoadLocation"));
                }
                if file.facts.https_urls && needs.tls.is_none() {
                    needs.tls = Some(format!("{path} uses an https:// URL"));
                }
                for relative in &file.facts.relative_paths {
                    if !needs.relative_paths.contains(relative) {
                        needs.relative_paths.push(relative.clone());
                    }
                }
            }
        }
        found.push(needs);
    }
    found
}
