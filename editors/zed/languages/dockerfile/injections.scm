; Generated from queries/dockerfile/injections.scm for zed by tests/queries.rs; do not edit.
; Regenerate with `GANTRY_UPDATE_QUERIES=1 cargo test --test queries`.
; Embedded languages in Dockerfiles (tree-sitter-containerfile 0.9.2, nvim-treesitter names).

((comment) @injection.content
  (#set! injection.language "comment"))

; Shell form of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD: one bash document per command, never
; combined, so that one RUN's last word cannot run into the next RUN's first.
; A command that is only a heredoc marker (`RUN <<EOF`) is left out: its script is the heredoc.
((shell_command) @injection.content
  (#not-match? @injection.content "^[<][<]-?[\"']?[A-Za-z0-9_]+[\"']?[ \t]*$")
  (#set! injection.language "bash"))

; RUN heredocs are shell scripts (the body only, without the closing delimiter).
(run_instruction
  (heredoc_block
    (heredoc_content) @injection.content
    (#set! injection.language "bash")))

; COPY/ADD heredocs take the language of the file they create.
((copy_instruction
  (path
    (heredoc_marker))
  .
  (path) @_destination
  .
  (heredoc_block
    (heredoc_content) @injection.content))
  (#match? @_destination "\\.[jJ][sS][oO][nN]$")
  (#set! injection.language "json"))

((copy_instruction
  (path
    (heredoc_marker))
  .
  (path) @_destination
  .
  (heredoc_block
    (heredoc_content) @injection.content))
  (#match? @_destination "\\.[yY][aA]?[mM][lL]$")
  (#set! injection.language "yaml"))

((copy_instruction
  (path
    (heredoc_marker))
  .
  (path) @_destination
  .
  (heredoc_block
    (heredoc_content) @injection.content))
  (#match? @_destination "\\.[tT][oO][mM][lL]$")
  (#set! injection.language "toml"))

((copy_instruction
  (path
    (heredoc_marker))
  .
  (path) @_destination
  .
  (heredoc_block
    (heredoc_content) @injection.content))
  (#match? @_destination "\\.[sS][hH]$")
  (#set! injection.language "bash"))

; Exec form (`CMD ["app", "--flag"]`, `SHELL [...]`, `VOLUME [...]`) is a JSON array.
((json_string_array) @injection.content
  (#set! injection.language "json"))
