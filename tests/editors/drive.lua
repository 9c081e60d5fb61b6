-- Drive Neovim's own code-action menu headless: pick the action titled $ACTION_TITLE at
-- line $ACTION_LINE (vim.ui.select answers as a user would), wait for the edit, write, quit.
local title, line = os.getenv("ACTION_TITLE"), tonumber(os.getenv("ACTION_LINE"))
local function say(message)
  io.stderr:write(message .. "\n")
end
local function clients() -- get_clients is 0.10+; buf_get_clients is gone in 0.12
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = 0 })
  end
  return vim.lsp.buf_get_clients(0)
end
local attached = vim.wait(30000, function()
  for _, client in pairs(clients()) do
    if client.server_capabilities ~= nil and next(client.server_capabilities) ~= nil then
      return true
    end
  end
  return false
end, 50)
if not attached then
  say("seq2func did not attach")
  vim.cmd("cquit 2")
end
vim.ui.select = function(items, _, on_choice)
  for i, item in ipairs(items) do
    local action = item[2] or item.action or item -- 0.7-0.9: {client_id, action}
    say("offered: " .. action.title)
    if action.title == title then
      return on_choice(item, i)
    end
  end
  on_choice(nil)
end
vim.api.nvim_win_set_cursor(0, { line, 4 })
vim.lsp.buf.code_action()
if not vim.wait(60000, function() return vim.bo.modified end, 50) then
  say("the buffer was not edited")
  vim.cmd("cquit 3")
end
vim.cmd("write")
vim.cmd("qall!")
