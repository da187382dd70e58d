-- Real-client test: headless Neovim (0.11+) starts gantry through editors/neovim/lsp/gantry.lua,
-- the file users copy, with no plugin installed, opens a copy of examples/hello-api and checks
-- what Neovim's own LSP client received: diagnostics, hover, a code action (applied, then
-- re-diagnosed), the outline, and completion and formatting when the server advertises them.
--
-- Run by editors/test/run-all:
--   GANTRY_REPO=<repo> GANTRY_TRANSCRIPT=<file.json> \
--   nvim --headless --clean --cmd 'set rtp^=<repo>/editors/neovim' -c 'luafile editors/test/neovim_lsp.lua'
-- `gantry` must be on PATH. Prints PASS/SKIP/FAIL lines and exits non-zero on a failure.

local repo = assert(os.getenv('GANTRY_REPO'), 'GANTRY_REPO is not set')
local transcript_path = os.getenv('GANTRY_TRANSCRIPT')
local timeout = 20000

local failures, passes = 0, 0
local transcript = {}

local function say(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function check(ok, name, detail)
  if ok then
    passes = passes + 1
    say('PASS neovim: ' .. name)
  else
    failures = failures + 1
    say('FAIL neovim: ' .. name .. (detail and (' -- ' .. detail) or ''))
  end
  return ok
end

local function skip(name, why)
  say('SKIP neovim: ' .. name .. ' -- ' .. why)
end

local function finish()
  for _, client in ipairs(vim.lsp.get_clients({ name = 'gantry' })) do
    client:stop()
  end
  vim.wait(5000, function()
    return #vim.lsp.get_clients({ name = 'gantry' }) == 0
  end, 50)
  if transcript_path then
    local file = assert(io.open(transcript_path, 'w'))
    file:write(vim.json.encode(transcript))
    file:close()
    say('neovim: transcript of what Neovim received: ' .. transcript_path)
  end
  say(string.format('neovim: %d passed, %d failed', passes, failures))
  vim.cmd('cquit ' .. (failures > 0 and 1 or 0))
end

-- Record every notification and server request Neovim's client receives, before handling it.
for _, method in ipairs({ 'textDocument/publishDiagnostics', 'window/showMessage', 'window/logMessage' }) do
  local original = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, params, ctx, config)
    table.insert(transcript, { method = method, params = params })
    if original then
      return original(err, params, ctx, config)
    end
  end
end

local function request(client, buf, method, params)
  local response, err = client:request_sync(method, params, timeout, buf)
  table.insert(transcript, { method = method, request = params, response = response, error = err })
  if not response then
    return nil, err or 'timeout'
  end
  if response.err then
    return nil, vim.inspect(response.err)
  end
  return response.result
end

-- A copy of the example, so that nothing in the repository is touched.
local workspace = vim.fn.tempname()
vim.fn.mkdir(workspace, 'p')
vim.fn.system({ 'cp', '-R', repo .. '/examples/hello-api', workspace })
local root = workspace .. '/hello-api'
local dockerfile = root .. '/Dockerfile'
check(vim.fn.filereadable(dockerfile) == 1, 'the example was copied', dockerfile)

vim.lsp.enable('gantry')
vim.cmd.edit(vim.fn.fnameescape(dockerfile))
local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == 'dockerfile', 'the Dockerfile has filetype dockerfile', vim.bo[buf].filetype)

local attached = vim.wait(timeout, function()
  return #vim.lsp.get_clients({ bufnr = buf, name = 'gantry' }) > 0
end, 50)
if not check(attached, 'vim.lsp.enable("gantry") started gantry from lsp/gantry.lua and attached it') then
  finish()
  return
end
local client = vim.lsp.get_clients({ bufnr = buf, name = 'gantry' })[1]
local initialized = vim.wait(timeout, function()
  return client.initialized == true
end, 50)
check(initialized, 'the server initialized')
check(client.root_dir == root, 'the root is the Go module (go.mod marker)', tostring(client.root_dir))
check(
  client.server_info and client.server_info.name == 'gantry',
  'serverInfo names gantry',
  vim.inspect(client.server_info)
)

-- 1. Diagnostics, as Neovim stored them from textDocument/publishDiagnostics.
local function codes()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    found[tostring(d.code)] = d
  end
  return found
end
vim.wait(timeout, function()
  local found = codes()
  return found['syntax/unknown-instruction'] ~= nil and found['JSONArgsRecommended'] ~= nil
end, 50)
local found = codes()
local unknown = found['syntax/unknown-instruction']
check(
  unknown ~= nil and unknown.lnum == 6 and unknown.col == 0 and unknown.severity == vim.diagnostic.severity.ERROR,
  'diagnostics: EXPOSED on line 7 is an unknown instruction (error)',
  vim.inspect(vim.diagnostic.get(buf))
)
check(
  unknown ~= nil and unknown.message:find('EXPOSE', 1, true) ~= nil and unknown.source == 'gantry',
  'diagnostics: the message suggests EXPOSE and the source is gantry',
  unknown and unknown.message
)
local json_args = found['JSONArgsRecommended']
check(
  json_args ~= nil and json_args.lnum == 7 and json_args.severity == vim.diagnostic.severity.WARN,
  'diagnostics: CMD /app in shell form is JSONArgsRecommended (warning)',
  vim.inspect(json_args)
)
local published = 0
for _, entry in ipairs(transcript) do
  if entry.method == 'textDocument/publishDiagnostics' and entry.params.uri == vim.uri_from_bufnr(buf) then
    published = published + 1
  end
end
check(published > 0, 'the transcript holds the publishDiagnostics notifications Neovim received')

-- 2. Hover on the finding shows the rule's documentation.
if json_args then
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = json_args.lnum, character = json_args.col },
  }
  local hover, err = request(client, buf, 'textDocument/hover', params)
  local value = hover and hover.contents and (hover.contents.value or vim.inspect(hover.contents)) or ''
  check(value:find('JSONArgsRecommended', 1, true) ~= nil, 'hover on the finding names the rule', err or value)
end

-- 3. A quick fix for the finding, applied through Neovim, makes the finding go away.
if json_args then
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = {
      start = { line = json_args.lnum, character = json_args.col },
      ['end'] = { line = json_args.end_lnum, character = json_args.end_col },
    },
    context = { diagnostics = { json_args.user_data.lsp }, only = { 'quickfix' } },
  }
  local actions, err = request(client, buf, 'textDocument/codeAction', params)
  local fix
  for _, action in ipairs(actions or {}) do
    -- The fix itself, not one of the "Suppress ..." actions offered beside it.
    if action.kind == 'quickfix' and action.edit and not action.title:find('^Suppress') then
      fix = action
      break
    end
  end
  if check(fix ~= nil, 'codeAction offers a quick fix (and suppressions) for JSONArgsRecommended', err or vim.inspect(actions)) then
    vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
    local line = vim.api.nvim_buf_get_lines(buf, 7, 8, false)[1]
    check(line == 'CMD ["/app"]', 'the quick fix rewrote line 8 to the JSON form', line)
    local cleared = vim.wait(timeout, function()
      return codes()['JSONArgsRecommended'] == nil
    end, 50)
    check(cleared, 'after the edit (didChange), the new diagnostics no longer report JSONArgsRecommended')
    check(codes()['syntax/unknown-instruction'] ~= nil, 'the other finding is still reported')
  end
end

-- 4. The outline (documentSymbol) has the build stage.
local symbols, err = request(client, buf, 'textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
check(
  symbols ~= nil and #symbols > 0 and vim.inspect(symbols):find('golang:1.21', 1, true) ~= nil,
  'documentSymbol lists the golang:1.21 stage',
  err or vim.inspect(symbols)
)

-- 5. Completion and formatting: checked when the server advertises them, skipped visibly otherwise.
local capabilities = client.server_capabilities or {}
if capabilities.completionProvider then
  local items, cerr = request(client, buf, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = 2, character = 0 },
  })
  local list = items and (items.items or items) or {}
  check(#list > 0, 'completion at the start of a line offers items', cerr or vim.inspect(items))
else
  skip('completion', 'server does not advertise completionProvider yet')
end
if capabilities.documentFormattingProvider then
  local edits, ferr = request(client, buf, 'textDocument/formatting', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    options = { tabSize = 4, insertSpaces = true },
  })
  check(ferr == nil and type(edits) == 'table', 'formatting returns a list of edits', ferr or vim.inspect(edits))
  if edits then
    vim.lsp.util.apply_text_edits(edits, buf, client.offset_encoding)
    local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
    check(text:find('FROM golang:1.21', 1, true) ~= nil, 'the formatted buffer keeps its instructions', text)
  end
else
  skip('formatting', 'server does not advertise documentFormattingProvider yet')
end

finish()
