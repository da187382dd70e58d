//! The Go-aware navigation through `gantry lsp`: go to definition from a Dockerfile into the Go
//! sources of `tests/fixtures/workspaces/editor` (a main package, a `-X` target), completion of a
//! COPY source from the build context, and signature help on a `go build` flag.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::{LspClient, range};

/// The workspace, canonical: the server reports paths with symlinks resolved.
fn editor() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspaces/editor").canonicalize().expect("fixture")
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn position(text: &str, needle: &str, within: usize) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} in the fixture")) + within;
    let line = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line as u32, column as u32)
}

fn at(uri: &str, (line, character): (u32, u32)) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

#[test]
fn definition_into_go_files_and_copy_completion() {
    let root = editor();
    let path = root.join("Dockerfile");
    let mut text = std::fs::read_to_string(&path).expect("the fixture Dockerfile");
    text.push_str("COPY configs/\n");
    let uri = uri_of(&path);
    let mut client = LspClient::start();
    client.open(&uri, 1, &text);

    // `./cmd/shop` goes to `func main` in cmd/shop/main.go (line 16, `main` at column 6).
    let (line, column) = position(&text, "./cmd/shop", 4);
    let definition = client.definition(&uri, line, column);
    assert_eq!(definition["uri"], uri_of(&root.join("cmd/shop/main.go")), "{definition}");
    assert_eq!(definition["range"], range((15, 5), (15, 9)), "{definition}");

    // The `-X` target goes to the variable's name in internal/buildinfo/buildinfo.go.
    let (line, column) = position(&text, "buildinfo.Version", 12);
    let definition = client.definition(&uri, line, column);
    assert_eq!(definition["uri"], uri_of(&root.join("internal/buildinfo/buildinfo.go")), "{definition}");
    assert_eq!(definition["range"], range((9, 1), (9, 8)), "{definition}");

    // A COPY source goes to the file itself.
    let (line, column) = position(&text, "configs/app.yaml", 9);
    let definition = client.definition(&uri, line, column);
    assert_eq!(definition["uri"], uri_of(&root.join("configs/app.yaml")), "{definition}");

    // Completion after `COPY configs/`: the directory's files, as files, replacing nothing yet.
    let end = (text.lines().count() as u32 - 1, "COPY configs/".len() as u32);
    let completion = client.request_ok("textDocument/completion", at(&uri, end));
    let items = completion["items"].as_array().expect("a completion list");
    let files: Vec<(&str, i64)> =
        items.iter().map(|i| (i["label"].as_str().unwrap_or(""), i["kind"].as_i64().unwrap_or(0))).collect();
    assert_eq!(files, [("app.yaml", 17), ("dev.yaml", 17)], "{completion}");
    assert_eq!(items[0]["textEdit"]["range"], range(end, end), "{completion}");

    // Signature help on `-o`: the go build synopsis, `-o` active, with its description.
    let (line, column) = position(&text, "-o /out/shop", 1);
    let help = client.request_ok("textDocument/signatureHelp", at(&uri, (line, column)));
    let signature = &help["signatures"][0];
    assert!(signature["label"].as_str().is_some_and(|l| l.starts_with("go build [-o ")), "{help}");
    let active = help["activeParameter"].as_u64().expect("an active parameter") as usize;
    let offsets = &signature["parameters"][active]["label"];
    assert_eq!(offsets, &json!([9, 25]), "{help}");
    assert!(signature["documentation"].as_str().is_some_and(|d| d.contains("program is written")), "{help}");
    client.shutdown_and_exit();
}
