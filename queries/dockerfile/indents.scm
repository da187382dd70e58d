; Indentation for Dockerfiles (tree-sitter-containerfile 0.9.2, nvim-treesitter names). A line
; that continues an instruction (after `\`) is indented one level; a heredoc body keeps the
; indentation it has, since it is the text of a file or script.

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
] @indent.begin

(json_string_array
  "]" @indent.branch)

(heredoc_block) @indent.auto

(heredoc_end) @indent.auto

(comment) @indent.auto
