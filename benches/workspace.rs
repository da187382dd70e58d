//! Workspace benchmarks: indexing a generated 10,000-file Go workspace (headers only), and reading
//! one package fully on demand.
//!
//! Run with `cargo bench --bench workspace`. The workspace is generated once into the system's
//! temporary directory; each iteration opens a fresh `Workspace`, so the file cache starts cold
//! (the operating system's page cache stays warm, as it is in an editor session).

#[path = "common/workspace.rs"]
mod workspace_gen;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gantry_ls::workspace::Workspace;

#[allow(clippy::print_stdout, reason = "a benchmark reports what criterion does not measure")]
fn bench_index(c: &mut Criterion) {
    let root = std::env::temp_dir().join(format!("gantry-bench-workspace-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("create the benchmark workspace");
    workspace_gen::generate_workspace(&root, 10_000).expect("generate the benchmark workspace");

    // Memory: what an indexed 10,000-file workspace keeps, as resident-set growth (Linux only;
    // printed, not asserted). Measured before criterion allocates its own sample buffers.
    let before = resident_kib();
    let indexed = Workspace::open(&root).expect("open");
    let index = indexed.index_now();
    if let (Some(before), Some(after)) = (before, resident_kib()) {
        println!(
            "memory: {} packages indexed; resident set grew by {} KiB ({} KiB in all)",
            index.packages.len(),
            after.saturating_sub(before),
            after
        );
    }
    drop((index, indexed));

    c.bench_function("index 10,000 Go files (headers)", |b| {
        b.iter(|| {
            let workspace = Workspace::open(&root).expect("open");
            black_box(workspace.index_now())
        })
    });
    let warm = Workspace::open(&root).expect("open");
    c.bench_function("read one package fully (10 files)", |b| {
        b.iter(|| black_box(Workspace::open(&root).expect("open").package("internal/g07/p0007")))
    });
    c.bench_function("build context of the root Dockerfile (warm cache)", |b| {
        b.iter(|| black_box(warm.build_context("Dockerfile")))
    });
    let _ = std::fs::remove_dir_all(&root);
}

/// The process's resident set size in KiB, from `/proc/self/status` (`None` elsewhere).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(10));
    targets = bench_index
}
criterion_main!(benches);
