; Indentation for Dockerfiles in Zed (tree-sitter-containerfile 0.9.2): inside a multi-line JSON
; array, and on the lines that continue an instruction after `\`.

(json_string_array
  "]" @end) @indent

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
] @indent
