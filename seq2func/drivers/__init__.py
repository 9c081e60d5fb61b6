"""What drives the stages over a text: one text or file (`source`), many files in a pool
(`paths`), a large text a window at a time (`windowed`), an edited text from the last survey
(`incremental`). The API and the shells call these; they call the analysis, conversion and
rules."""
