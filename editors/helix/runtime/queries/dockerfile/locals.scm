; Generated from queries/dockerfile/locals.scm for helix by tests/queries.rs; do not edit.
; Regenerate with `GANTRY_UPDATE_QUERIES=1 cargo test --test queries`.
; Scopes, definitions and references in Dockerfiles (tree-sitter-containerfile 0.9.2,
; nvim-treesitter names). Build arguments, environment variables and stage names are defined
; once and referred to by `$NAME`, `${NAME}` and `FROM <stage>`.

(source_file) @local.scope

(arg_pair
  name: (unquoted_string) @local.definition.variable)

(env_pair
  name: (unquoted_string) @local.definition.variable)

(image_alias) @local.definition.label

(variable) @local.reference

(image_name) @local.reference
