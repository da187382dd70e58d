; Text objects for Dockerfiles (tree-sitter-containerfile 0.9.2, nvim-treesitter-textobjects
; names): an instruction is a "function", its command or value a function body, its flags and
; arguments "parameters".

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
] @function.outer

[
  (shell_command)
  (json_string_array)
  (heredoc_content)
] @function.inner

[
  (param)
  (mount_param)
  (arg_pair)
  (env_pair)
  (label_pair)
  (path)
  (expose_port)
  (json_string)
  (image_spec)
] @parameter.outer

[
  (param)
  (mount_param)
  (arg_pair)
  (env_pair)
  (label_pair)
  (path)
  (expose_port)
  (json_string)
  (image_spec)
] @parameter.inner

(comment) @comment.outer

(comment) @comment.inner
