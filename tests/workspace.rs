//! Workspace loading: fixture workspaces rendered as snapshots, and the loader's safety limits
//! (symlinks leaving the folder, FIFOs, huge and generated files), caching, invalidation and the
//! time to index a generated 10,000-file workspace.

#[path = "../benches/common/workspace.rs"]
mod workspace_gen;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use gantry_ls::workspace::{
    BuildContext, ContextSource, FileState, MAX_GO_FILE_BYTES, SkipReason, Workspace, parse_go_mod,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspaces").join(name)
}

/// A fresh, empty directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("gantry-ws-{label}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(&path, text).expect("write");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn render_context(out: &mut String, context: &BuildContext) {
    let _ = writeln!(
        out,
        "  context {:?} from {:?}; ignore file {:?}; module {:?}; go.work {:?}",
        context.root,
        context.source,
        context.ignore_file,
        context.module.as_ref().map(|m| m.dir.as_str()),
        context.work.as_ref().map(|w| w.dir.as_str()),
    );
}

/// A readable rendering of everything the workspace knows, for snapshots.
fn render(workspace: &Workspace, dockerfiles: &[&str], probes: &[&str]) -> String {
    let index = workspace.index_now();
    let mut out = String::new();
    let _ = writeln!(out, "index: complete={} truncated={}", index.complete, index.truncated);
    for dir in &index.module_dirs {
        let Some(module) = workspace.module_at(dir) else { continue };
        let _ = writeln!(out, "module {dir}: go.sum={} vendor/={}", module.has_go_sum, module.has_vendor_dir);
        if let Some(m) = module.go_mod.loaded() {
            let _ = writeln!(
                out,
                "  module {:?} deprecated {:?} go {:?} toolchain {:?}",
                m.module_path(),
                m.module.as_ref().and_then(|d| d.deprecated.as_deref()),
                m.go.as_ref().map(|g| g.value.as_str()),
                m.toolchain.as_ref().map(|t| t.value.as_str()),
            );
            for r in &m.requires {
                let _ = writeln!(out, "  require {} {} indirect={}", r.path.value, r.version.value, r.indirect);
            }
            for r in &m.replaces {
                let _ = writeln!(out, "  replace {} => {:?}", r.from.value, r.to);
            }
            for e in &m.excludes {
                let _ = writeln!(out, "  exclude {} {}", e.path.value, e.version.value);
            }
            for e in &m.errors {
                let _ = writeln!(out, "  error {:?}: {}", e.range, e.message);
            }
        }
        if let Some(txt) = module.modules_txt.loaded() {
            for v in &txt.modules {
                let _ = writeln!(
                    out,
                    "  vendored {} {:?} explicit={} replacement={:?} packages={:?}",
                    v.path, v.version, v.explicit, v.replacement, v.packages
                );
            }
        }
    }
    for dir in &index.work_dirs {
        if let Some(work) = workspace.go_work(dir).loaded() {
            let uses: Vec<_> = work.uses.iter().map(|u| u.path.value.as_str()).collect();
            let _ = writeln!(out, "go.work {dir}: go {:?} use {uses:?}", work.go.as_ref().map(|g| g.value.as_str()));
        }
    }
    for package in index.packages.values() {
        let files: Vec<_> = package.files.iter().map(|f| f.name.as_str()).collect();
        let _ = writeln!(out, "package {} ({:?}): files {files:?}", package.dir, package.name());
        for (name, reason) in &package.skipped {
            let _ = writeln!(out, "  skipped {name}: {reason}");
        }
        let _ = writeln!(
            out,
            "  imports {:?} cgo={} tags={:?}",
            package.imports(),
            package.uses_cgo(),
            package.build_tags()
        );
        // The index reads headers only; the full facts come from reading the package on demand.
        let full = workspace.package(&package.dir).expect("the indexed package reads fully");
        assert!(package.files.iter().all(|f| !f.facts.body_facts) && full.files.iter().all(|f| f.facts.body_facts));
        for file in &full.files {
            for var in &file.facts.vars {
                let _ = writeln!(out, "  var {} {:?} = {:?}", var.name.value, var.type_text, var.init);
            }
            for listen in &file.facts.listen_addresses {
                let _ = writeln!(
                    out,
                    "  listen {} {:?} port={:?} loopback={}",
                    listen.call,
                    listen.address,
                    listen.port(),
                    listen.is_loopback()
                );
            }
        }
    }
    for dockerfile in dockerfiles {
        let _ = writeln!(out, "dockerfile {dockerfile}:");
        for context in workspace.build_contexts(dockerfile) {
            render_context(&mut out, &context);
        }
        let context = workspace.build_context(dockerfile);
        for probe in probes {
            let _ = writeln!(out, "    includes {probe}: {:?}", context.includes(probe));
        }
    }
    out
}

#[test]
fn service_fixture_model() {
    let workspace = Workspace::open(&fixture("service")).expect("open");
    let probes = ["go.mod", "go.sum", "README.md", "cmd/api/main.go", "internal/version/version_test.go", "vendor"];
    insta::assert_snapshot!(render(&workspace, &["Dockerfile"], &probes));
}

#[test]
fn monorepo_fixture_model() {
    let workspace = Workspace::open(&fixture("monorepo")).expect("open");
    let dockerfiles = ["api/Dockerfile", "tools/worker/Dockerfile", "deploy/Dockerfile"];
    let probes = ["go.work", "api/go.mod", "lib/lib.go", "tools/worker/main.go", "README.md"];
    insta::assert_snapshot!(render(&workspace, &dockerfiles, &probes));
}

#[test]
fn configured_context_wins_and_paths_outside_are_unknown() {
    let workspace = Workspace::open(&fixture("monorepo")).expect("open");
    workspace.set_context_override("deploy/Dockerfile", "deploy");
    let context = workspace.build_context("deploy/Dockerfile");
    assert_eq!((context.root.as_deref(), &context.source), (Some("deploy"), &ContextSource::Configured));
    workspace.set_context_override("deploy/Dockerfile", "../..");
    assert_eq!(workspace.build_context("deploy/Dockerfile").root, None);
    assert_eq!(workspace.relative(&fixture("monorepo").join("api/go.mod")).as_deref(), Some("api/go.mod"));
    assert_eq!(workspace.relative(Path::new("/elsewhere/go.mod")), None);
}

#[cfg(unix)]
#[test]
fn symlinks_leading_outside_are_not_read() {
    let outside = TempDir::new("outside");
    outside.write("go.mod", "module example.com/secret\n");
    outside.write("pkg/secret.go", "package secret\n");
    let inside = TempDir::new("inside");
    inside.write("real/real.go", "package real\n");
    std::os::unix::fs::symlink(outside.0.join("go.mod"), inside.0.join("go.mod")).expect("symlink");
    std::os::unix::fs::symlink(outside.0.join("pkg"), inside.0.join("linked")).expect("symlink");
    std::os::unix::fs::symlink(outside.0.join("pkg/secret.go"), inside.0.join("real/leak.go")).expect("symlink");
    std::os::unix::fs::symlink(inside.0.join("real/real.go"), inside.0.join("real/alias.go")).expect("symlink");
    std::os::unix::fs::symlink("loop.go", inside.0.join("real/loop.go")).expect("symlink");

    let workspace = Workspace::open(&inside.0).expect("open");
    assert!(matches!(workspace.go_mod("."), FileState::Skipped(SkipReason::OutsideRoot)));
    assert!(workspace.module_at(".").is_some_and(|m| m.path().is_none()), "the module exists but was not read");
    let index = workspace.index_now();
    assert!(index.package("linked").is_none(), "symlinked directories are never walked");
    let real = index.package("real").expect("real package");
    let files: Vec<_> = real.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(files, vec!["alias.go", "real.go"], "a symlink inside the folder is read");
    assert_eq!(
        real.skipped,
        vec![("leak.go".to_string(), SkipReason::OutsideRoot), ("loop.go".to_string(), SkipReason::SymlinkLoop)]
    );
    assert!(!real.is_complete());
}

#[cfg(unix)]
#[test]
fn a_fifo_named_go_mod_does_not_hang() {
    let dir = TempDir::new("fifo");
    let status = std::process::Command::new("mkfifo").arg(dir.0.join("go.mod")).status().expect("run mkfifo");
    assert!(status.success());
    dir.write("main.go", "package main\n");
    std::process::Command::new("mkfifo").arg(dir.0.join("fifo.go")).status().expect("run mkfifo");
    let root = dir.0.clone();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let workspace = Workspace::open(&root).expect("open");
        let go_mod = matches!(workspace.go_mod("."), FileState::Skipped(SkipReason::NotRegularFile));
        let index = workspace.index_now();
        let skipped = index.package(".").map(|p| p.skipped.clone()).unwrap_or_default();
        let _ = send.send((go_mod, skipped));
    });
    let (go_mod, skipped) = receive.recv_timeout(Duration::from_secs(20)).expect("loading must not block on a FIFO");
    assert!(go_mod, "a FIFO go.mod is skipped as not a regular file");
    assert_eq!(skipped, vec![("fifo.go".to_string(), SkipReason::NotRegularFile)]);
}

#[test]
fn huge_and_generated_files_are_skipped_with_a_reason() {
    let dir = TempDir::new("huge");
    dir.write("go.mod", "module example.com/huge\n\ngo 1.22\n");
    dir.write("small.go", "package huge\n\nvar Version string\n");
    let mut huge = String::from("package huge\n\nvar table = []byte{\n");
    while (huge.len() as u64) <= MAX_GO_FILE_BYTES {
        huge.push_str("\t0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,\n");
    }
    huge.push_str("}\n");
    dir.write("table.go", &huge);
    dir.write("bindata.go", "// Code generated by go-bindata. DO NOT EDIT.\n\npackage huge\n");
    let workspace = Workspace::open(&dir.0).expect("open");
    let package = workspace.package(".").expect("package");
    assert_eq!(package.files.len(), 1);
    assert_eq!(package.skipped[0], ("bindata.go".to_string(), SkipReason::Generated));
    assert_eq!(
        package.skipped[1],
        ("table.go".to_string(), SkipReason::TooLarge { len: huge.len() as u64, limit: MAX_GO_FILE_BYTES })
    );
    assert_eq!(package.skipped[1].1.to_string(), format!("too large ({} bytes, limit 1048576)", huge.len()));
}

/// The language server shares one `Arc<Workspace>` between handler tasks and the index thread.
#[test]
fn the_workspace_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Workspace>();
    assert_send_sync::<gantry_ls::workspace::PackageIndex>();
    assert_send_sync::<BuildContext>();
}

#[test]
fn changes_are_seen_through_stamps_and_invalidation() {
    let dir = TempDir::new("changes");
    let go_mod = dir.write("go.mod", "module example.com/a\n\ngo 1.21\n");
    dir.write("a.go", "package a\n");
    let workspace = Arc::new(Workspace::open(&dir.0).expect("open"));
    let module_path = |w: &Workspace| w.go_mod(".").loaded().and_then(|m| m.module_path().map(str::to_string));
    assert_eq!(module_path(&workspace).as_deref(), Some("example.com/a"));
    // A different length changes the stamp: re-read without being told.
    fs::write(&go_mod, "module example.com/longer\n\ngo 1.21\n").expect("write");
    assert_eq!(module_path(&workspace).as_deref(), Some("example.com/longer"));
    // Same length, possibly the same mtime tick: only invalidation is sure to be seen.
    fs::write(&go_mod, "module example.com/LONGER\n\ngo 1.21\n").expect("write");
    workspace.invalidate(&go_mod);
    assert_eq!(module_path(&workspace).as_deref(), Some("example.com/LONGER"));

    // The background index, then a new package and a removed one.
    workspace.start_indexing();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !workspace.package_index().complete {
        assert!(Instant::now() < deadline, "background indexing did not finish");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(workspace.package_index().packages.keys().collect::<Vec<_>>(), vec!["."]);
    let new_file = dir.write("sub/b.go", "package b\n");
    workspace.invalidate(&new_file);
    fs::remove_file(dir.0.join("a.go")).expect("remove");
    workspace.invalidate(&dir.0.join("a.go"));
    let index = workspace.package_index();
    assert!(index.complete);
    assert_eq!(index.packages.keys().collect::<Vec<_>>(), vec!["sub"]);
    assert_eq!(workspace.package("sub").and_then(|p| p.name().map(str::to_string)).as_deref(), Some("b"));
    assert!(workspace.cached_files() >= 2);
}

#[test]
fn module_and_ignore_files_of_the_corpus_parse_without_errors() {
    // The shared corpus holds real go.mod, go.work and .dockerignore files of 35 Go projects; read
    // them where they are (never copied into the repository).
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(projects) = fs::read_dir(&corpus) else { return };
    let mut parsed = 0;
    for project in projects.flatten() {
        for name in ["go.mod", "go.work", "dockerignore.txt"] {
            let Ok(text) = fs::read_to_string(project.path().join(name)) else { continue };
            let errors = match name {
                "go.mod" => parse_go_mod(&text).errors,
                "go.work" => gantry_ls::workspace::parse_go_work(&text).errors,
                _ => gantry_ls::workspace::parse_dockerignore(&text).errors,
            };
            assert!(errors.is_empty(), "{}: {errors:?}", project.path().join(name).display());
            parsed += 1;
        }
    }
    assert!(parsed > 0 || !corpus.exists());
}

/// Generates a 10,000-file workspace and indexes it; the time is printed for the record (the
/// benchmark `cargo bench --bench workspace` measures it properly).
#[test]
#[allow(clippy::print_stderr)]
fn indexes_a_ten_thousand_file_workspace() {
    let dir = TempDir::new("big");
    workspace_gen::generate_workspace(&dir.0, 10_000).expect("generate");
    let workspace = Workspace::open(&dir.0).expect("open");
    let started = Instant::now();
    let index = workspace.index_now();
    let elapsed = started.elapsed();
    eprintln!("indexed 10,000 Go files in {elapsed:?}");
    assert!(index.is_authoritative());
    let files: usize = index.packages.values().map(|p| p.files.len()).sum();
    assert_eq!(files, 10_000);
    assert_eq!(index.packages.len(), 1 + 9_999usize.div_ceil(workspace_gen::FILES_PER_PACKAGE));
    let package = index.package("internal/g07/p0007").expect("a generated package");
    assert_eq!((package.name(), package.imports()), (Some("p0007"), vec!["fmt", "strings"]));
    let full = workspace.package("internal/g07/p0007").expect("read on demand");
    assert!(full.var("Version3").is_some() && package.var("Version3").is_none());
    // The build context and module answer without waiting for the index.
    let context = Workspace::open(&dir.0).expect("open").build_context("Dockerfile");
    assert_eq!(context.module.and_then(|m| m.path().map(str::to_string)).as_deref(), Some("example.com/big"));
}
