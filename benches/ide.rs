//! Editor-feature benchmarks on the generated 5,000-line Dockerfile: semantic tokens (full and a
//! 100-line range), formatting, and completion of a `--mount` option and of a variable.
//!
//! Run with `cargo bench --bench ide`. Sample counts are kept small so that the run is short.

#[path = "common/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gantry_ls::ide::{self, CompletionOptions, FormatOptions};
use gantry_ls::syntax::{self, TextRange};

fn bench_ide(c: &mut Criterion) {
    let text = generate::generate_dockerfile(5000);
    let parse = syntax::parse(&text);
    c.bench_function("semantic tokens, full, 5,000 lines", |b| {
        b.iter(|| black_box(ide::semantic_tokens(black_box(&parse), None)))
    });
    let middle = text.len() / 2;
    let range = TextRange::new(middle, middle + text[middle..].match_indices('\n').nth(100).map_or(0, |(i, _)| i));
    c.bench_function("semantic tokens, 100-line range, 5,000 lines", |b| {
        b.iter(|| black_box(ide::semantic_tokens(black_box(&parse), Some(range))))
    });
    c.bench_function("formatting, 5,000 lines", |b| {
        b.iter(|| black_box(ide::format(black_box(&parse), FormatOptions::default())))
    });
    let mount = middle + text[middle..].find("target=").expect("a cache mount") + "target=".len();
    let options = CompletionOptions { snippets: true };
    c.bench_function("completion of a mount target, 5,000 lines", |b| {
        b.iter(|| black_box(ide::completions(black_box(&parse), mount, None, options)))
    });
    let variable = middle + text[middle..].find('$').expect("a variable") + 1;
    c.bench_function("completion of a variable, 5,000 lines", |b| {
        b.iter(|| black_box(ide::completions(black_box(&parse), variable, None, options)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = bench_ide
}
criterion_main!(benches);
