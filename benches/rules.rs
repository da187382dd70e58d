//! Rule-pass and request-path benchmarks on the generated 5,000-line Dockerfile: a full check of
//! a parsed file, parse plus check (what opening a file costs), one keystroke (incremental
//! reparse plus check of the edited parse, as the server does it), and the requests that must stay
//! fast while diagnostics are computed: completion and hover.
//!
//! Run with `cargo bench --bench rules`. Sample counts are kept small so that the run is short.

#[path = "common/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use gantry_ls::ide::{self, CompletionOptions};
use gantry_ls::rules::{self, Config};
use gantry_ls::syntax::{self, TextEdit, TextRange};

/// Typing one character at the end of the first `go build` line after the middle of the file: an
/// edit inside one RUN, the common case while editing.
fn keystroke(text: &str) -> TextEdit {
    let middle = text.len() / 2;
    let at =
        middle + text[middle..].find("go build -trimpath").expect("the generated file builds Go") + "go build".len();
    TextEdit { range: TextRange::empty(at), new_text: " -v".to_string() }
}

fn bench_rules(c: &mut Criterion) {
    let text = generate::generate_dockerfile(5_000);
    let config = Config::default();
    let parse = syntax::parse(&text);
    c.bench_function("check, 5,000 lines", |b| {
        b.iter(|| black_box(rules::check_with_facts(black_box(&syntax::parse(&text)), &config, None)))
    });
    c.bench_function("check of a parsed file, 5,000 lines (cold: fresh parse per sample)", |b| {
        b.iter_batched(
            || syntax::parse(&text),
            |fresh| black_box(rules::check_with_facts(&fresh, &config, None)),
            criterion::BatchSize::LargeInput,
        )
    });
    // The server checks every version it publishes, so the parse an edit starts from has the
    // shell models of all its RUNs: the edited parse reuses those the edit did not touch.
    let edit = [keystroke(&text)];
    rules::check_with_facts(&parse, &config, None);
    c.bench_function("keystroke: reparse + check, 5,000 lines", |b| {
        b.iter(|| {
            let edited = parse.reparse(black_box(&edit));
            black_box(rules::check_with_facts(&edited, &config, None))
        })
    });
    c.bench_function("keystroke: reparse only, 5,000 lines", |b| b.iter(|| black_box(parse.reparse(black_box(&edit)))));

    let diagnostics = ide::diagnostics_for(&parse, &config, None);
    let middle = text.len() / 2;
    let options = CompletionOptions { snippets: true };
    let flag = middle + text[middle..].find("--mount=type=cache").expect("a cache mount") + "--mo".len();
    c.bench_function("completion of a RUN flag, 5,000 lines", |b| {
        b.iter(|| black_box(ide::completions(black_box(&parse), flag, None, options)))
    });
    let instruction = middle + text[middle..].find("\nWORKDIR").expect("a WORKDIR") + 3;
    c.bench_function("completion of an instruction, 5,000 lines", |b| {
        b.iter(|| black_box(ide::completions(black_box(&parse), instruction, None, options)))
    });
    let variable = middle + text[middle..].find("${VERSION}").expect("a variable") + 3;
    c.bench_function("hover on a variable, 5,000 lines", |b| {
        b.iter(|| black_box(ide::hover(black_box(&parse), &diagnostics, variable, None)))
    });
    let go_build = middle + text[middle..].find("go build").expect("a go build") + 4;
    c.bench_function("hover on go build, 5,000 lines", |b| {
        b.iter(|| black_box(ide::hover(black_box(&parse), &diagnostics, go_build, None)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(4));
    targets = bench_rules
}
criterion_main!(benches);
