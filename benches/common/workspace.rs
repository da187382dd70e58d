//! A deterministic generator of large Go workspaces on disk, shared by the workspace benchmark and
//! the integration tests.
//!
//! Include it with `#[path = "common/workspace.rs"] mod workspace_gen;` from a bench, or with
//! `#[path = "../benches/common/workspace.rs"] mod workspace_gen;` from a test.

use std::fs;
use std::io;
use std::path::Path;

/// Go files per generated package directory.
pub(crate) const FILES_PER_PACKAGE: usize = 10;

/// Writes a module with `go_files` Go files into `root` (which must exist): go.mod, go.sum, a
/// Dockerfile and a .dockerignore at the top, `cmd/app/main.go`, and packages
/// `internal/g<NN>/p<NNNN>/` of `FILES_PER_PACKAGE` files each, every file with imports, a few
/// package-level variables and a function body of about 40 lines, so parsing has real work.
pub(crate) fn generate_workspace(root: &Path, go_files: usize) -> io::Result<()> {
    fs::write(root.join("go.mod"), "module example.com/big\n\ngo 1.23\n\nrequire golang.org/x/sync v0.8.0\n")?;
    fs::write(root.join("go.sum"), "golang.org/x/sync v0.8.0 h1:AAAA=\n")?;
    fs::write(root.join("Dockerfile"), "FROM golang:1.23\nCOPY . .\nRUN go build -o /app ./cmd/app\n")?;
    fs::write(root.join(".dockerignore"), ".git\n**/*_test.go\n")?;
    let app = root.join("cmd/app");
    fs::create_dir_all(&app)?;
    fs::write(
        app.join("main.go"),
        "package main\n\nimport \"net/http\"\n\nvar Version string\n\nfunc main() { _ = http.ListenAndServe(\":8080\", nil) }\n",
    )?;
    let packages = go_files.saturating_sub(1).div_ceil(FILES_PER_PACKAGE);
    let mut written = 1;
    for p in 0..packages {
        let dir = root.join(format!("internal/g{:02}/p{p:04}", p % 50));
        fs::create_dir_all(&dir)?;
        for f in 0..FILES_PER_PACKAGE {
            if written >= go_files {
                break;
            }
            fs::write(dir.join(format!("file{f:02}.go")), go_file(p, f))?;
            written += 1;
        }
    }
    Ok(())
}

fn go_file(package: usize, file: usize) -> String {
    let mut text = format!(
        "//go:build linux || darwin\n\n// Package p{package:04} is generated for benchmarks.\npackage p{package:04}\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nconst name{file} = \"p{package}-{file}\"\n\nvar (\n\tVersion{file} string\n\tLabel{file} = name{file}\n\tCount{file} = len(name{file})\n)\n\n"
    );
    for function in 0..4 {
        text.push_str(&format!("func F{file}_{function}(xs []string) string {{\n\tvar b strings.Builder\n"));
        for line in 0..8 {
            text.push_str(&format!(
                "\tfor i, x := range xs {{\n\t\tif i%{m} == {line} {{\n\t\t\tb.WriteString(fmt.Sprintf(\"%d:%s\", i, x))\n\t\t}}\n\t}}\n",
                m = line + 2
            ));
        }
        text.push_str("\treturn b.String()\n}\n\n");
    }
    text
}
