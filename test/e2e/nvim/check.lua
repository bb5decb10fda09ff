-- Headless Neovim (0.7+) as a second LSP client of the Keyless server, over stdio, the way a user's
-- config starts it (docs/editors.md). Run by run.mjs:
--   KEYLESS_SERVER=dist/server.js KEYLESS_WORKSPACE=<copy of examples/> KEYLESS_EXPECTED=<expected-findings.json> \
--     nvim --headless --clean -n -i NONE -c 'luafile check.lua'
-- It opens one file of each format and compares the diagnostics (rule and line) with the shared
-- expectations, checks that the client's settings reached the server, asks for the hover on the workflow's configure-aws-credentials step, then takes
-- the "Suppress … on this line" code action, applies its edit, writes the file, and waits for
-- the finding to go. It prints ONE line of JSON and exits 0 when every check passed, 1 otherwise.
local server = assert(os.getenv('KEYLESS_SERVER'), 'set KEYLESS_SERVER')
local root = assert(os.getenv('KEYLESS_WORKSPACE'), 'set KEYLESS_WORKSPACE')
local expected_file = assert(os.getenv('KEYLESS_EXPECTED'), 'set KEYLESS_EXPECTED')
local timeout = tonumber(os.getenv('KEYLESS_TIMEOUT_MS') or '30000')

local version = vim.version()
local result = {
  ok = false,
  nvim = string.format('%d.%d.%d', version.major, version.minor, version.patch),
  checks = {},
}

local function check(name, ok, detail)
  table.insert(result.checks, { name = name, ok = ok and true or false, detail = detail })
end

local function finish()
  local all = #result.checks > 0
  for _, c in ipairs(result.checks) do all = all and c.ok end
  result.ok = all and result.error == nil
  io.stdout:write(vim.fn.json_encode(result) .. '\n')
  io.stdout:flush()
  vim.cmd(result.ok and 'qa!' or 'cq!')
end

local function read_file(path)
  local f = assert(io.open(path, 'r'))
  local text = f:read('*a')
  f:close()
  return text
end

-- The diagnostic's rule id: 0.7 copies `code` onto the diagnostic; the LSP original rides in user_data.
local function code_of(d)
  if d.code ~= nil then return tostring(d.code) end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and tostring(lsp.code) or '?'
end

local function keyless(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'keyless' then table.insert(out, d) end
  end
  return out
end

-- `rule@line` labels (1-based lines), sorted, as in expected-findings.json.
local function labels(bufnr)
  local out = {}
  for _, d in ipairs(keyless(bufnr)) do table.insert(out, code_of(d) .. '@' .. (d.lnum + 1)) end
  table.sort(out)
  return out
end

local function sorted(list)
  local copy = vim.deepcopy(list)
  table.sort(copy)
  return copy
end

local function same(a, b)
  return vim.fn.json_encode(a) == vim.fn.json_encode(b)
end

-- Waits (processing events) until the buffer's Keyless diagnostics are exactly `want`.
local function wait_for_labels(bufnr, want)
  local target = sorted(want)
  local ok = vim.wait(timeout, function() return same(labels(bufnr), target) end, 20)
  return ok, labels(bufnr)
end

-- Moves the labels at or below 1-based line `from` down by `by` lines: what a line inserted above
-- `from` does; findings above it (a workflow's `on:`) stay where they are.
local function shift(list, by, from)
  local out = {}
  for _, l in ipairs(list) do
    local rule, line = l:match('^(.-)@(%d+)$')
    line = tonumber(line)
    table.insert(out, rule .. '@' .. (line >= from and line + by or line))
  end
  return out
end

local ok, err = pcall(function()
  local expected = vim.fn.json_decode(read_file(expected_file))
  -- As docs/editors.md tells Neovim 0.7 users to start it, settings included: 0.7 neither sends
  -- them nor answers workspace/configuration, so on_init notifies them.
  local client_id = vim.lsp.start_client({
    name = 'keyless',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    settings = { keyless = { rules = { ['long-lived-key'] = 'warning' } } },
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
  })
  assert(client_id, 'vim.lsp.start_client failed')

  local buffers = {}
  for _, format in ipairs(expected.formats) do
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. format.file))
    local bufnr = vim.api.nvim_get_current_buf()
    assert(vim.lsp.buf_attach_client(bufnr, client_id), 'buf_attach_client failed for ' .. format.file)
    buffers[format.file] = bufnr
    local got_ok, got = wait_for_labels(bufnr, format.expected)
    check('diagnostics: ' .. format.format .. ' (' .. format.file .. ')', got_ok, { expected = sorted(format.expected), got = got })
  end

  -- The client's settings reached the server: long-lived-key is reported as a warning.
  local severities = {}
  for _, format in ipairs(expected.formats) do
    for _, d in ipairs(keyless(buffers[format.file])) do
      if code_of(d) == 'long-lived-key' then table.insert(severities, d.severity) end
    end
  end
  local all_warnings = #severities > 0
  for _, s in ipairs(severities) do all_warnings = all_warnings and s == vim.diagnostic.severity.WARN end
  check('settings from the client apply (long-lived-key as a warning)', all_warnings, { severities = severities })

  local workflow = expected.workflow
  local bufnr = buffers[workflow.file]
  local uri = vim.uri_from_bufnr(bufnr)
  local uses_line = workflow.usesLine - 1
  local line_text = vim.api.nvim_buf_get_lines(bufnr, uses_line, uses_line + 1, false)[1]
  local column = (line_text:find('configure-aws-credentials', 1, true) or 1) - 1

  -- Hover on the configure-aws-credentials step.
  local hovers = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover',
    { textDocument = { uri = uri }, position = { line = uses_line, character = column } }, timeout)
  local hover = hovers and hovers[client_id] and hovers[client_id].result
  local hover_text = ''
  if hover and hover.contents then
    local contents = hover.contents
    if type(contents) == 'string' then hover_text = contents
    elseif contents.value then hover_text = contents.value
    else hover_text = vim.fn.json_encode(contents) end
  end
  check('hover on the uses: line says "' .. workflow.hover .. '"', hover_text:find(workflow.hover, 1, true) ~= nil, { hover = hover_text })

  -- The code action, with the finding's LSP diagnostic in the context: the server computes the fixes of the
  -- diagnostics a request names, matched by rule and range (its `data` says which rule and version).
  local finding
  for _, d in ipairs(keyless(bufnr)) do
    if code_of(d) == workflow.rule and d.lnum == uses_line then finding = d end
  end
  assert(finding, 'no ' .. workflow.rule .. ' diagnostic on line ' .. workflow.usesLine)
  -- Back to LSP shape the way 0.7's own vim.lsp.buf.code_action does it: the position, message and
  -- source from the diagnostic, the rest (`data` above all) from the original kept in user_data.
  -- Columns are bytes in Neovim and UTF-16 in LSP; the examples are ASCII, where they agree.
  local lsp_diagnostic = vim.tbl_extend('keep', {
    range = { start = { line = finding.lnum, character = finding.col }, ['end'] = { line = finding.end_lnum, character = finding.end_col } },
    severity = finding.severity, message = finding.message, source = finding.source, code = code_of(finding),
  }, (finding.user_data and finding.user_data.lsp) or {})
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } },
  }, timeout)
  local actions = (responses and responses[client_id] and responses[client_id].result) or {}
  local title = 'Suppress ' .. workflow.rule .. ' on this line'
  local titles, action = {}, nil
  for _, a in ipairs(actions) do
    table.insert(titles, a.title)
    if a.title == title then action = a end
  end
  check('code action "' .. title .. '" offered', action ~= nil, { actions = titles })
  assert(action, 'no "' .. title .. '" code action')

  local client = vim.lsp.get_client_by_id(client_id)
  if not action.edit and action.data ~= nil then
    -- A server may leave the edit to codeAction/resolve.
    local resolved = vim.lsp.buf_request_sync(bufnr, 'codeAction/resolve', action, timeout)
    action = (resolved and resolved[client_id] and resolved[client_id].result) or action
  end
  assert(action.edit, 'the code action has no edit')

  local before = labels(bufnr)
  local remaining = {}
  for _, l in ipairs(before) do
    if l ~= workflow.rule .. '@' .. workflow.usesLine then table.insert(remaining, l) end
  end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  local comment = vim.trim(vim.api.nvim_buf_get_lines(bufnr, uses_line, uses_line + 1, false)[1] or '')
  check('the edit inserts the keyless-ignore comment above the step', comment == '# keyless-ignore ' .. workflow.rule, { line = comment })

  -- didChange re-analysis: the finding goes, every one below the inserted comment moves a line down.
  local cleared, now = wait_for_labels(bufnr, shift(remaining, 1, uses_line + 1))
  check('the suppressed finding is gone after the edit', cleared, { expected = sorted(shift(remaining, 1, uses_line + 1)), got = now })

  vim.api.nvim_set_current_buf(bufnr)
  vim.cmd('silent write')
  local disk = vim.split(read_file(vim.api.nvim_buf_get_name(bufnr)), '\n', true)
  check('the file on disk has the comment', vim.trim(disk[uses_line + 1] or '') == '# keyless-ignore ' .. workflow.rule, { line = disk[uses_line + 1] })

  vim.lsp.stop_client(client_id)
end)
if not ok then result.error = tostring(err) end
finish()
