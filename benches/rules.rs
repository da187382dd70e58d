//! Rule-pass and request-path benchmarks on the generated 5,000-line Dockerfile: a full check of
//! a parsed file, parse plus check (what opening a file costs), one keystroke (incremental
//! reparse plus check of the edited parse, as the server does it), and the requests that must stay
//! fast while diagnostics are computed: completion and hover.
//!
//! Run with `cargo bench --bench rules`. Sample counts are kept small so that the run is short.

#[path = "common/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::{Duration, Instant};

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

/// Scale: one timed run each (printed, not sampled) of parse, check and one keystroke on a
/// 50,000-line file and on a 10 MB one; criterion would take minutes to sample them.
#[allow(clippy::print_stdout, reason = "a benchmark reports what criterion does not measure")]
fn scale_probe() {
    let per_line = generate::generate_dockerfile(5_000).len() as f64 / 5_000.0;
    let ten_mb = (10.0 * 1024.0 * 1024.0 / per_line) as usize;
    for (name, lines) in [("50,000 lines", 50_000), ("10 MB", ten_mb)] {
        let text = generate::generate_dockerfile(lines);
        let config = Config::default();
        let started = Instant::now();
        let parse = syntax::parse(&text);
        let parsed = started.elapsed();
        let started = Instant::now();
        let found = rules::check_with_facts(&parse, &config, None).len();
        let checked = started.elapsed();
        let started = Instant::now();
        let edited = parse.reparse(&[keystroke(&text)]);
        let reparsed = started.elapsed();
        rules::check_with_facts(&edited, &config, None);
        let keystroke = started.elapsed();
        println!(
            "scale, {name} ({} bytes, {lines} lines): parse {parsed:.1?}, check {checked:.1?} ({found} findings), \
             keystroke reparse {reparsed:.1?}, reparse + check {keystroke:.1?}",
            text.len()
        );
    }
}

/// Where a check of the 50,000-line file spends its time: each rule run alone (the shared shell
/// models already built; the build simulation counted in every rule that reads it), slowest first.
#[allow(clippy::print_stdout, reason = "a benchmark reports what criterion does not measure")]
fn per_rule_probe() {
    let text = generate::generate_dockerfile(50_000);
    let parse = syntax::parse(&text);
    rules::check_with_facts(&parse, &Config::default(), None);
    let mut times: Vec<(Duration, &str)> = rules::ALL
        .iter()
        .map(|rule| {
            let selection = rules::Selection { only: Some(vec![rule.code.to_string()]), ..Default::default() };
            let started = Instant::now();
            rules::check_with(&parse, &selection);
            (started.elapsed(), rule.code)
        })
        .collect();
    times.sort();
    times.reverse();
    println!("per rule: {:?}", &times[..25]);
}

fn bench_rules(c: &mut Criterion) {
    // Opt-in probes (`GANTRY_BENCH_SCALE=1`, `GANTRY_BENCH_RULES=1`): seconds each, not sampled.
    if std::env::var_os("GANTRY_BENCH_RULES").is_some() {
        per_rule_probe();
    }
    if std::env::var_os("GANTRY_BENCH_SCALE").is_some() {
        scale_probe();
    }
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
