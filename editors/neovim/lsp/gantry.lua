---@brief
---
--- gantry: a language server and linter for Dockerfiles that understands the Go project next
--- to them (the `go` line of go.mod against the golang image, build paths against main
--- packages, cgo against the runtime image).
---
--- Build and install it from a clone of the gantry repository (Rust 1.95 or newer):
--- ```sh
--- cargo install --locked --path .
--- ```
---
--- Rule settings are read from `gantry.toml` and `.hadolint.yaml` next to the Dockerfile or
--- above it; `settings.gantry` (same keys as gantry.toml) is layered over them:
--- ```lua
--- vim.lsp.config('gantry', {
---   settings = { gantry = { ignore = { 'DL3008' }, severity = { DL3007 = 'error' } } },
--- })
--- ```

---@type vim.lsp.Config
return {
  cmd = { 'gantry', 'lsp' },
  filetypes = { 'dockerfile' },
  -- Highest priority first: a Go workspace, then the module, then the repository; a lone
  -- Dockerfile roots at its own directory.
  root_markers = { 'go.work', 'go.mod', '.git', 'Dockerfile' },
  settings = {
    gantry = vim.empty_dict(),
  },
}
