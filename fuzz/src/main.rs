//! The AFL++ harness: `gantry-fuzz TARGET` fuzzes one of `gantry_ls::fuzzing::Target` (run it
//! through `scripts/fuzz`). Outside AFL++ it reads one input from standard input and runs it once,
//! which replays a crash: `gantry-fuzz dockerfile < crash-file`.

use std::path::Path;
use std::sync::Arc;

use gantry_ls::fuzzing::Target;
use gantry_ls::rules::GoFacts;
use gantry_ls::workspace::Workspace;

/// A small Go service (module, vendor/, cgo, generated files) that the Dockerfile target's Go
/// rules read, so that they run on every fuzzed Dockerfile.
const GO_PROJECT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/workspaces/service");

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(target) = Target::from_name(&name) else {
        let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
        eprintln!("usage: gantry-fuzz TARGET, one of: {}", names.join(" "));
        std::process::exit(2);
    };
    let go = matches!(target, Target::Dockerfile | Target::Positions).then(go_facts).flatten();
    afl::fuzz!(|data: &[u8]| {
        target.run(data, go.as_ref());
    });
}

fn go_facts() -> Option<GoFacts> {
    let workspace = Arc::new(Workspace::open(Path::new(GO_PROJECT)).ok()?);
    // Index before the first input, so every execution sees the same, complete package index.
    workspace.index_now();
    Some(GoFacts::for_dockerfile(workspace, "Dockerfile"))
}
