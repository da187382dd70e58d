; Indentation for Dockerfiles in Helix (tree-sitter-containerfile 0.9.2). A line that continues
; an instruction after `\` is indented one level; the `]` that closes a multi-line JSON array
; goes back.

[
  (run_instruction)
  (cmd_instruction)
  (label_instruction)
  (env_instruction)
  (add_instruction)
  (copy_instruction)
  (entrypoint_instruction)
  (volume_instruction)
  (arg_instruction)
  (healthcheck_instruction)
  (shell_instruction)
  (json_string_array)
] @indent

(json_string_array
  "]" @outdent)
