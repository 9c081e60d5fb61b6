"""What a conversion and a lint rule's fix both produce: edits anchored on LibCST nodes
(`parts`), the `Input(...)` a first layer's arguments become (`first_input`), how a file
spells and imports `Input` and `Model` (`imports`), and text edits spliced into the source
(`render`). Below both `convert/` and `rules/`, so a rule never depends on the planner."""
