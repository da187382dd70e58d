//! Test support: fixtures with a `$0` cursor marker (`\$0` stands for a literal `$0`).

/// Removes the `$0` marker from `fixture`; returns the text and the marker's byte offset.
pub(crate) fn cursor(fixture: &str) -> (String, usize) {
    let mut text = String::with_capacity(fixture.len());
    let mut offset = None;
    let mut rest = fixture;
    while let Some(i) = rest.find("$0") {
        if rest[..i].ends_with('\\') {
            text.push_str(&rest[..i - 1]);
            text.push_str("$0");
        } else {
            text.push_str(&rest[..i]);
            assert!(offset.is_none(), "more than one $0 marker in fixture");
            offset = Some(text.len());
        }
        rest = &rest[i + 2..];
    }
    text.push_str(rest);
    (text, offset.expect("fixture has no $0 marker"))
}
