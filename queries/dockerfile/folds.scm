; Folding for Dockerfiles (tree-sitter-containerfile 0.9.2, nvim-treesitter names). Editors fold
; only the nodes that span several lines: instructions continued with `\`, heredocs, and JSON
; arrays written over several lines.

[
  (from_instruction)
  (run_instruction)
  (cmd_instruction)
  (label_instruction)
  (expose_instruction)
  (env_instruction)
  (add_instruction)
  (copy_instruction)
  (entrypoint_instruction)
  (volume_instruction)
  (user_instruction)
  (workdir_instruction)
  (arg_instruction)
  (onbuild_instruction)
  (stopsignal_instruction)
  (healthcheck_instruction)
  (shell_instruction)
  (maintainer_instruction)
  (cross_build_instruction)
  (heredoc_block)
  (json_string_array)
] @fold
