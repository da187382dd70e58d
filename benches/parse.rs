//! Parsing benchmarks: a full parse of a large generated Dockerfile, and a one-character edit
//! followed by an incremental reparse on a large and on a medium-sized file.
//!
//! Run with `cargo bench --bench parse`. Sample counts are kept small so that the whole run
//! takes well under two minutes.

#[path = "common/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gantry_ls::syntax::{self, Parse, TextEdit, TextRange};

/// An edit typing one character at the end of the first WORKDIR line after the middle of the
/// file: the path gets one letter longer and the file stays valid, like a user typing.
fn middle_insert(text: &str) -> TextEdit {
    let middle = text.len() / 2;
    let workdir = middle + text[middle..].find("\nWORKDIR ").expect("the generated file has WORKDIRs") + 1;
    let line_end = workdir + text[workdir..].find('\n').unwrap_or(text.len() - workdir);
    TextEdit { range: TextRange::empty(line_end), new_text: "x".to_string() }
}

fn bench_reparse(c: &mut Criterion, name: &str, lines: usize) {
    let text = generate::generate_dockerfile(lines);
    let parse: Parse = syntax::parse(&text);
    let edit = [middle_insert(&text)];
    assert!(parse.reparse(&edit).errors().is_empty(), "the benchmarked edit must keep the file valid");
    c.bench_function(name, |b| b.iter(|| black_box(parse.reparse(black_box(&edit)))));
}

fn parse_benchmarks(c: &mut Criterion) {
    let text = generate::generate_dockerfile(5_000);
    c.bench_function("full_parse_5000_lines", |b| b.iter(|| black_box(syntax::parse(black_box(&text)))));
    bench_reparse(c, "edit_and_reparse_5000_lines", 5_000);
    bench_reparse(c, "edit_and_reparse_500_lines", 500);
}

fn config() -> Criterion {
    Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = parse_benchmarks
}
criterion_main!(benches);
