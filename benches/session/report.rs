//! The session benchmark's output: a Markdown table per input with both servers' figures and their
//! ratio against the project's targets, a summary of the ratios, and an SVG chart of the ratios.

use std::fmt::Write as _;
use std::time::Duration;

use crate::run::Samples;

/// The figures of one input (a generated size or the corpus) for both servers.
pub(crate) struct InputResult {
    pub(crate) name: String,
    pub(crate) files: usize,
    pub(crate) gantry: Samples,
    pub(crate) node: Option<Samples>,
}

/// One reported figure: how to read it from the samples, and the ratio node ÷ gantry it aims for.
struct Figure {
    name: &'static str,
    short: &'static str,
    target: Option<f64>,
    value: fn(&Samples) -> Option<Value>,
}

#[derive(Clone, Copy)]
enum Value {
    Time(Duration),
    KiB(u64),
}

impl Value {
    fn number(self) -> f64 {
        match self {
            Value::Time(d) => d.as_secs_f64(),
            Value::KiB(k) => k as f64,
        }
    }

    fn text(self) -> String {
        match self {
            Value::Time(d) => time_text(d),
            Value::KiB(k) => format!("{:.1} MiB", k as f64 / 1024.0),
        }
    }
}

const FIGURES: &[Figure] = &[
    Figure { name: "spawn → initialize", short: "initialize", target: Some(20.0), value: |s| p50(&s.initialize) },
    Figure { name: "open → first diagnostics", short: "open", target: Some(100.0), value: |s| p50(&s.open) },
    Figure { name: "change → diagnostics, p50", short: "change p50", target: Some(100.0), value: |s| p50(&s.change) },
    Figure {
        name: "change → diagnostics, p99",
        short: "change p99",
        target: Some(100.0),
        value: |s| percentile(&s.change, 0.99),
    },
    Figure { name: "completion", short: "completion", target: Some(100.0), value: |s| p50(&s.completion) },
    Figure { name: "hover", short: "hover", target: Some(100.0), value: |s| p50(&s.hover) },
    Figure {
        name: "semantic tokens, full",
        short: "tokens full",
        target: Some(1000.0),
        value: |s| p50(&s.tokens_full),
    },
    Figure {
        name: "semantic tokens, delta",
        short: "tokens delta",
        target: Some(1000.0),
        value: |s| p50(&s.tokens_delta),
    },
    Figure { name: "formatting", short: "formatting", target: None, value: |s| p50(&s.formatting) },
    Figure {
        name: "peak RSS (VmHWM)",
        short: "memory",
        target: Some(5.0),
        value: |s| s.peak_rss_kib.iter().max().map(|&k| Value::KiB(k)),
    },
];

fn p50(samples: &[Duration]) -> Option<Value> {
    percentile(samples, 0.5)
}

/// The nearest-rank percentile.
fn percentile(samples: &[Duration], p: f64) -> Option<Value> {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).map(|&d| Value::Time(d))
}

fn time_text(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.001 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

/// node ÷ gantry for one figure, when both servers have it.
fn ratio(figure: &Figure, input: &InputResult) -> Option<f64> {
    let gantry = (figure.value)(&input.gantry)?.number();
    let node = (figure.value)(input.node.as_ref()?)?.number();
    (gantry > 0.0).then_some(node / gantry)
}

fn ratio_text(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) if r >= 100.0 => format!("{r:.0}×"),
        Some(r) if r >= 10.0 => format!("{r:.1}×"),
        Some(r) => format!("{r:.2}×"),
        None => "–".to_string(),
    }
}

fn verdict(ratio: Option<f64>, target: Option<f64>) -> &'static str {
    match (ratio, target) {
        (Some(r), Some(t)) if r >= t => "met",
        (Some(_), Some(_)) => "**missed**",
        _ => "",
    }
}

/// The summary table: one row per figure, one ratio column per input.
pub(crate) fn summary_table(results: &[InputResult]) -> String {
    let mut out = String::from("| figure | target |");
    for input in results {
        let _ = write!(out, " {} |", input.name);
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---:|".repeat(results.len()));
    out.push('\n');
    for figure in FIGURES {
        let target = figure.target.map_or("–".to_string(), |t| format!("≥ {t:.0}×"));
        let _ = write!(out, "| {} | {target} |", figure.name);
        for input in results {
            let r = ratio(figure, input);
            let mark = if verdict(r, figure.target) == "**missed**" { " (missed)" } else { "" };
            let _ = write!(out, " {}{mark} |", ratio_text(r));
        }
        out.push('\n');
    }
    out
}

/// The detailed table of one input: both servers' values, the ratio and the verdict.
pub(crate) fn input_table(input: &InputResult) -> String {
    let mut out =
        String::from("| figure | gantry | docker-langserver | ratio | target | |\n|---|---:|---:|---:|---:|---|\n");
    for figure in FIGURES {
        let gantry = (figure.value)(&input.gantry).map_or("–".to_string(), Value::text);
        let node = input.node.as_ref().and_then(figure.value).map_or("–".to_string(), Value::text);
        let r = ratio(figure, input);
        let target = figure.target.map_or("–".to_string(), |t| format!("≥ {t:.0}×"));
        let _ = writeln!(
            out,
            "| {} | {gantry} | {node} | {} | {target} | {} |",
            figure.name,
            ratio_text(r),
            verdict(r, figure.target)
        );
    }
    let counts = |s: &Samples| {
        format!(
            "{} change, {} completion, {} hover, {} full-token, {} delta-token, {} formatting samples",
            s.change.len(),
            s.completion.len(),
            s.hover.len(),
            s.tokens_full.len(),
            s.tokens_delta.len(),
            s.formatting.len()
        )
    };
    let _ = writeln!(out, "\nSamples: gantry {}.", counts(&input.gantry));
    if let Some(node) = &input.node {
        let _ = writeln!(out, "docker-langserver {}.", counts(node));
        if !node.delta_supported {
            out.push_str("docker-langserver offers no semantic-token deltas: its delta figure is the full request an editor falls back to.\n");
        }
    }
    out
}

/// The input's sanity facts: what completion and hover returned (so that the figures are work).
pub(crate) fn checks(input: &InputResult) -> String {
    let describe = |s: &Samples| {
        format!("{} completion items, hover {}", s.completion_items, if s.hover_found { "found" } else { "empty" })
    };
    match &input.node {
        Some(node) => format!("gantry: {}; docker-langserver: {}", describe(&input.gantry), describe(node)),
        None => format!("gantry: {}", describe(&input.gantry)),
    }
}

/// A bar chart of the ratios node ÷ gantry, log scale, one group of bars per figure and one bar
/// per input, with each figure's target as a red line.
pub(crate) fn svg_chart(results: &[InputResult], title: &str) -> String {
    const COLOURS: &[&str] = &["#4e79a7", "#59a14f", "#f28e2b", "#e15759", "#b07aa1", "#76b7b2"];
    let (left, top, plot_w, plot_h) = (70.0, 50.0, 840.0, 300.0);
    let ratios: Vec<Vec<Option<f64>>> =
        FIGURES.iter().map(|f| results.iter().map(|input| ratio(f, input)).collect()).collect();
    let max = ratios
        .iter()
        .flatten()
        .flatten()
        .chain(FIGURES.iter().filter_map(|f| f.target.as_ref()))
        .fold(10.0f64, |m, &r| m.max(r));
    let min = ratios.iter().flatten().flatten().fold(1.0f64, |m, &r| m.min(r));
    let decades = max.log10().ceil().max(1.0);
    // Below 1× (gantry slower) the axis goes down as far as needed, bars pointing down from 1×.
    let low = min.max(1e-3).log10().floor().min(0.0);
    let y = |r: f64| top + plot_h - ((r.max(1e-3).log10() - low) / (decades - low)) * plot_h;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{left}\" y=\"24\" font-size=\"15\">{title}</text>\n",
        w = left + plot_w + 20.0,
        h = top + plot_h + 90.0,
    );
    for decade in low as i32..=decades as i32 {
        let value = 10f64.powi(decade);
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}×</text>",
            left + plot_w,
            left - 6.0,
            y(value) + 4.0,
            if value >= 1000.0 { format!("{}k", value / 1000.0) } else { format!("{value}") },
            y0 = y(value),
        );
    }
    let group = plot_w / FIGURES.len() as f64;
    let bar = (group - 12.0) / results.len().max(1) as f64;
    for (i, figure) in FIGURES.iter().enumerate() {
        let x0 = left + i as f64 * group + 6.0;
        for (j, r) in ratios[i].iter().enumerate() {
            let Some(r) = r else { continue };
            let (end, base) = (y(*r), y(1.0));
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{} {}: {}</title></rect>",
                x0 + j as f64 * bar,
                end.min(base),
                bar - 1.0,
                (end - base).abs().max(0.5),
                COLOURS[j % COLOURS.len()],
                figure.name,
                results[j].name,
                ratio_text(Some(*r)),
            );
        }
        if let Some(target) = figure.target {
            let _ = writeln!(
                svg,
                "<line x1=\"{x0:.1}\" x2=\"{:.1}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\" stroke=\"#c00\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>",
                x0 + group - 12.0,
                ty = y(target),
            );
        }
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x0 + (group - 12.0) / 2.0,
            top + plot_h + 18.0,
            figure.short
        );
    }
    let _ = writeln!(
        svg,
        "<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{}\" stroke=\"#333\"/>\
         <line x1=\"{left}\" x2=\"{}\" y1=\"{base:.1}\" y2=\"{base:.1}\" stroke=\"#333\"/>",
        top + plot_h,
        left + plot_w,
        base = y(1.0),
    );
    let legend_y = top + plot_h + 50.0;
    for (j, input) in results.iter().enumerate() {
        let x = left + j as f64 * 150.0;
        let _ = writeln!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{legend_y}\">{}</text>",
            legend_y - 10.0,
            COLOURS[j % COLOURS.len()],
            x + 16.0,
            input.name
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{left}\" y=\"{}\" fill=\"#c00\">dashed red: target ratio; bars: docker-langserver ÷ gantry (higher is better)</text>\n</svg>",
        legend_y + 24.0
    );
    svg
}
