-- Real-client test: Neovim's own tree-sitter loads the tree-sitter-containerfile parser gantry
-- depends on, compiles every query in queries/dockerfile, and its highlight captures on the
-- fixtures (with Neovim's vim-regex predicates) are exactly those tests/queries.rs recorded with
-- the Rust tree-sitter (tests/snapshots/queries__highlights.snap and queries__directives.snap).
--
-- Run by editors/test/run-all:
--   GANTRY_REPO=<repo> GANTRY_PARSER=<containerfile.so> nvim --headless --clean -c 'luafile editors/test/neovim_queries.lua'

local repo = assert(os.getenv('GANTRY_REPO'), 'GANTRY_REPO is not set')
local parser_path = assert(os.getenv('GANTRY_PARSER'), 'GANTRY_PARSER is not set')

local failures, passes = 0, 0

local function say(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function check(ok, name, detail)
  if ok then
    passes = passes + 1
    say('PASS neovim-queries: ' .. name)
  else
    failures = failures + 1
    say('FAIL neovim-queries: ' .. name .. (detail and (' -- ' .. detail) or ''))
  end
  return ok
end

local function read(relative)
  local file = assert(io.open(repo .. '/' .. relative, 'r'), 'cannot read ' .. relative)
  local text = file:read('*a')
  file:close()
  return text
end

local function finish()
  say(string.format('neovim-queries: %d passed, %d failed', passes, failures))
  vim.cmd('cquit ' .. (failures > 0 and 1 or 0))
end

local loaded, load_error = pcall(vim.treesitter.language.add, 'containerfile', { path = parser_path })
if not check(loaded, 'Neovim loads the tree-sitter-containerfile parser', tostring(load_error)) then
  finish()
  return
end

local queries = {}
for _, name in ipairs({ 'highlights', 'injections', 'folds', 'indents', 'textobjects', 'locals' }) do
  local ok, query = pcall(vim.treesitter.query.parse, 'containerfile', read('queries/dockerfile/' .. name .. '.scm'))
  check(ok, 'queries/dockerfile/' .. name .. '.scm compiles in Neovim', not ok and tostring(query) or nil)
  queries[name] = ok and query or nil
end

-- `line:col-line:col @capture` for every capture, as tests/queries.rs lists them.
local function neovim_captures(query, text)
  local parser = vim.treesitter.get_string_parser(text, 'containerfile')
  local root = parser:parse()[1]:root()
  local seen, lines = {}, {}
  for id, node in query:iter_captures(root, text, 0, -1) do
    local name = query.captures[id]
    if name:sub(1, 1) ~= '_' then
      local sr, sc, er, ec = node:range()
      local line = string.format('%d:%d-%d:%d @%s', sr + 1, sc, er + 1, ec, name)
      if not seen[line] then
        seen[line] = true
        table.insert(lines, line)
      end
    end
  end
  table.sort(lines)
  return lines
end

-- The same pairs from an insta snapshot written by tests/queries.rs.
local function snapshot_captures(relative)
  local lines = {}
  local body = read(relative):match('^%-%-%-.-\n%-%-%-\n(.*)$') or ''
  for line in body:gmatch('[^\n]+') do
    local position, capture = line:match('^(%d+:%d+%-%d+:%d+)%s+(@[%w%._]+)')
    if position then
      table.insert(lines, position .. ' ' .. capture)
    end
  end
  table.sort(lines)
  return lines
end

local function compare(name, actual, expected)
  local missing, extra = {}, {}
  local in_actual, in_expected = {}, {}
  for _, line in ipairs(actual) do
    in_actual[line] = true
  end
  for _, line in ipairs(expected) do
    in_expected[line] = true
    if not in_actual[line] then
      table.insert(missing, line)
    end
  end
  for _, line in ipairs(actual) do
    if not in_expected[line] then
      table.insert(extra, line)
    end
  end
  check(
    #expected > 0 and #missing == 0 and #extra == 0,
    name,
    string.format('missing in Neovim: %s; only in Neovim: %s', vim.inspect(missing), vim.inspect(extra))
  )
end

if queries.highlights then
  local fixture = read('tests/fixtures/queries/all.Dockerfile')
  compare(
    'highlight captures on all.Dockerfile match tests/snapshots/queries__highlights.snap',
    neovim_captures(queries.highlights, fixture),
    snapshot_captures('tests/snapshots/queries__highlights.snap')
  )
  -- Directives: the snapshot lists `@capture text` for comments only.
  local directives = read('tests/fixtures/queries/directives.Dockerfile')
  local parser = vim.treesitter.get_string_parser(directives, 'containerfile')
  local root = parser:parse()[1]:root()
  local actual = {}
  for id, node in queries.highlights:iter_captures(root, directives, 0, -1) do
    local name = queries.highlights.captures[id]
    if node:type() == 'comment' and name ~= 'spell' and name:sub(1, 1) ~= '_' then
      local text = vim.treesitter.get_node_text(node, directives):gsub('%s+$', '')
      table.insert(actual, '@' .. name .. ' ' .. text)
    end
  end
  local expected = {}
  local body = read('tests/snapshots/queries__directives.snap'):match('^%-%-%-.-\n%-%-%-\n(.*)$') or ''
  for line in body:gmatch('[^\n]+') do
    table.insert(expected, line)
  end
  check(
    vim.deep_equal(actual, expected),
    'parser directives are told from comments as in tests/snapshots/queries__directives.snap',
    vim.inspect({ neovim = actual, snapshot = expected })
  )
end

if queries.folds then
  local fixture = read('tests/fixtures/queries/all.Dockerfile')
  compare(
    'fold captures on all.Dockerfile match tests/snapshots/queries__folds.snap',
    neovim_captures(queries.folds, fixture),
    snapshot_captures('tests/snapshots/queries__folds.snap')
  )
end

finish()
