"""What every stage may use and none owns: the one file writer and tree walker (`files`),
unified diffs, an editor's line changes mapped (`line_map`), and what seq2func knows of
Keras's API as plain data (`keras_api`)."""
