; The outline of a Dockerfile for Zed (tree-sitter-containerfile 0.9.2): one item per build
; stage, named by its image and its stage name.

(from_instruction
  "FROM" @context
  (image_spec) @name
  "AS"? @context
  (image_alias)? @name) @item
