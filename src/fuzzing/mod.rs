//! Fuzz targets: one function per input gantry reads, run on arbitrary bytes by the coverage-guided
//! fuzzer in `fuzz/` and replayed over the committed corpus by `tests/fuzz_corpus.rs`.
//!
//! A target panics when gantry does something wrong with its input: a panic of its own, a range
//! outside the text or splitting a character, edits that overlap, an incremental parse that
//! differs from a fresh one, formatting that is not idempotent. Pure like the core: no I/O (the
//! Go facts for the Dockerfile target come from the caller).

mod dockerfile;
mod files;
mod go;
mod invariants;

pub use dockerfile::{EVERY_POSITION_UP_TO, SAMPLED_POSITIONS, all_rules_config};
pub use invariants::positions;

use crate::rules::GoFacts;

/// What a target reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A Dockerfile through the parser, every rule, the whole-document editor features, and the
    /// editor features that take a cursor at a sample of positions.
    Dockerfile,
    /// The same, with the cursor at every position of documents up to [`EVERY_POSITION_UP_TO`] bytes.
    Positions,
    /// One edit, then an incremental reparse compared with a fresh parse.
    Reparse,
    GoMod,
    GoWork,
    ModulesTxt,
    GoSource,
    /// The text of a RUN: the shell model, `go` commands, their flags and `-ldflags`.
    GoCommand,
    Dockerignore,
    /// `compose.yaml` and `docker-bake.hcl`.
    BuildFiles,
    /// `gantry.toml`, `.hadolint.yaml` and editor settings.
    Config,
}

impl Target {
    pub const ALL: &[Target] = &[
        Target::Dockerfile,
        Target::Positions,
        Target::Reparse,
        Target::GoMod,
        Target::GoWork,
        Target::ModulesTxt,
        Target::GoSource,
        Target::GoCommand,
        Target::Dockerignore,
        Target::BuildFiles,
        Target::Config,
    ];

    /// The name used for the corpus folder and on the fuzzer's command line.
    pub fn name(self) -> &'static str {
        match self {
            Target::Dockerfile => "dockerfile",
            Target::Positions => "positions",
            Target::Reparse => "reparse",
            Target::GoMod => "gomod",
            Target::GoWork => "gowork",
            Target::ModulesTxt => "modules_txt",
            Target::GoSource => "go_source",
            Target::GoCommand => "gocmd",
            Target::Dockerignore => "dockerignore",
            Target::BuildFiles => "build_files",
            Target::Config => "config",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// Runs the target on `data`; panics on a defect. `go` is used by the Dockerfile targets only.
    pub fn run(self, data: &[u8], go: Option<&GoFacts>) {
        match self {
            Target::Dockerfile => dockerfile::dockerfile(data, go, SAMPLED_POSITIONS),
            Target::Positions => dockerfile::dockerfile(data, go, EVERY_POSITION_UP_TO),
            Target::Reparse => dockerfile::reparse(data),
            Target::GoMod => go::go_mod(data),
            Target::GoWork => go::go_work(data),
            Target::ModulesTxt => go::modules_txt(data),
            Target::GoSource => go::go_source(data),
            Target::GoCommand => go::go_command(data),
            Target::Dockerignore => files::dockerignore(data),
            Target::BuildFiles => files::build_files(data),
            Target::Config => files::config(data),
        }
    }
}
