; Matching brackets in Dockerfiles for Zed (tree-sitter-containerfile 0.9.2).

(json_string_array
  "[" @open
  "]" @close)

(expansion
  "{" @open
  "}" @close)
