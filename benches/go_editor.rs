//! Go-aware editor features on a generated 10,000-file Go workspace: completion of COPY sources,
//! `-X` targets and build tags, and go to definition of a main package, as an editor asks for
//! them on each keystroke once the workspace is indexed.
//!
//! Run with `cargo bench --bench go_editor`. Also printed (not measured by criterion): how long the
//! first `-X` completion takes on a fresh workspace, and how long until every package has been
//! read in full (the first request reads for at most 40 ms, a background thread does the rest).

#[path = "common/workspace.rs"]
mod workspace_gen;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use gantry_ls::ide::{self, CompletionOptions};
use gantry_ls::rules::GoFacts;
use gantry_ls::syntax;
use gantry_ls::workspace::Workspace;

const TEXT: &str =
    "FROM golang:1.23\nCOPY . .\nRUN go build -tags  -ldflags \"-X \" -o /app ./cmd/app\nCOPY internal/\n";

fn at(needle: &str, within: usize) -> usize {
    TEXT.find(needle).expect("the needle") + within
}

#[allow(clippy::print_stdout, reason = "a benchmark reports what criterion does not measure")]
fn bench_go_editor(c: &mut Criterion) {
    let root = std::env::temp_dir().join(format!("gantry-bench-go-editor-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("create the benchmark workspace");
    workspace_gen::generate_workspace(&root, 10_000).expect("generate the benchmark workspace");
    let parse = syntax::parse(TEXT);
    let options = CompletionOptions::default();
    let x_offset = at("-X ", 3);

    // A fresh workspace: the first -X completions read packages within their budget.
    let workspace = Arc::new(Workspace::open(&root).expect("open"));
    workspace.index_now();
    let facts = GoFacts::for_dockerfile(Arc::clone(&workspace), "Dockerfile");
    let started = Instant::now();
    let mut requests = 0;
    let mut first = Duration::ZERO;
    loop {
        let request = Instant::now();
        let found = ide::completions(&parse, x_offset, Some(&facts), options);
        requests += 1;
        if requests == 1 {
            first = request.elapsed();
        }
        // Every package read (the answer itself stays incomplete: it shows 200 of 20,000 targets).
        let read = workspace.full_packages(Duration::ZERO).complete;
        if read || started.elapsed() > Duration::from_secs(300) {
            println!(
                "-X targets: first request {:.1} ms; all packages read: {read} after {requests} requests 100 ms apart, {:.2} s, {} shown",
                first.as_secs_f64() * 1000.0,
                started.elapsed().as_secs_f64(),
                found.items.len()
            );
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    c.bench_function("complete COPY internal/ (50 directories, listing cached)", |b| {
        b.iter(|| black_box(ide::completions(&parse, at("internal/", 9), Some(&facts), options)))
    });
    c.bench_function("complete -X targets (1,000 packages read, 200 of 20,000 shown)", |b| {
        b.iter(|| black_box(ide::completions(&parse, x_offset, Some(&facts), options)))
    });
    c.bench_function("complete -tags", |b| {
        b.iter(|| black_box(ide::completions(&parse, at("-tags ", 6), Some(&facts), options)))
    });
    c.bench_function("definition of ./cmd/app", |b| {
        b.iter(|| black_box(ide::definition(&parse, at("./cmd/app", 3), Some(&facts))))
    });
    let _ = std::fs::remove_dir_all(&root);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = bench_go_editor
}
criterion_main!(benches);
