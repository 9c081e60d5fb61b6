"""Planning and rendering a conversion: what a construction is made of (`facts`), where its
Input comes from (`inputs`), the plan in one of two styles (`model_style`, `shared_style`,
chosen by `plan`), the comments and imports it touches, and the text edits that apply it
(`render`, driven by `rewrite`). Reads the analysis; knows nothing of rules or shells."""
