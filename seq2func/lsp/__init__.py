"""The language server, a shell over the API: handlers (`server`), the server's state and
buffers (`state`), resolve and the commands (`commands`), results as LSP types (`editor`),
the transport (`transport`), and the analysis process that does the LibCST work
(`analyser`, driven through `worker` over `frames`)."""
