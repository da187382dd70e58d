; Scopes, definitions and references in Dockerfiles (tree-sitter-containerfile 0.9.2,
; nvim-treesitter names). Build arguments, environment variables and stage names are defined
; once and referred to by `$NAME`, `${NAME}` and `FROM <stage>`.

(source_file) @local.scope

(arg_pair
  name: (unquoted_string) @local.definition.var)

(env_pair
  name: (unquoted_string) @local.definition.var)

(image_alias) @local.definition.type

(variable) @local.reference

(image_name) @local.reference
