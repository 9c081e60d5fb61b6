"""Large files, converted a window at a time (seq2func.drivers.windowed): every result is compared
with the conversion of the whole text, in windows of a few lines so that every statement
boundary is a window's."""

from __future__ import annotations

import ast
import random
from pathlib import Path
from textwrap import dedent

import pytest
from programs import generate
from test_narrow import sources, with_filler

from seq2func.analysis.narrow import LINE, units
from seq2func.analysis.parse import compiles_in_parts, python_syntax, read_in_chunks, statement_spans
from seq2func.drivers import windowed
from seq2func.drivers.source import Document, convert_bytes, convert_text, rules_of
from seq2func.drivers.windowed import Whole, check_windowed, convert_windowed, plan_windows, survey_windowed
from seq2func.rules.engine import check_text
from seq2func.types import ConvertError, Options, Result

SOURCES = sources()
ROOT = Path(__file__).resolve().parent.parent


def multi(seed: int) -> str:
    """Several programs one after another, with unrelated code between: models that share
    names (`model`, `inputs`) and models that do not."""
    rng = random.Random(seed)
    parts = [
        rng.choice(SOURCES)[1] if rng.random() < 0.5 else generate(rng).source
        for _ in range(rng.randint(2, 4))
    ]
    return with_filler("\n".join(parts), rng)


def whole(text: str, options: Options) -> Result:
    windowed_before = windowed.WINDOW_LINES
    windowed.WINDOW_LINES = 10**9  # never in windows
    try:
        return convert_text(text, options)
    finally:
        windowed.WINDOW_LINES = windowed_before


def assert_same(text: str, options: Options, size: int) -> None:
    parts = convert_windowed(text, options, rules_of(options), size=size)
    assert parts is not None, "fell back to the whole text"
    one = whole(text, options)
    assert parts.new_text == one.new_text
    assert parts.conversions == one.conversions
    assert parts.skips == one.skips
    assert parts.findings == one.findings


# Sources whose statements a window boundary may split wrongly, or that only compile whole.
TRICKY = [
    'x = """\ndef inside():\n    pass\n"""\ny = 1\n',
    "@decorator\ndef f():\n    pass\n\n\n@decorator\nclass C:\n    pass\n",
    "if a:\n    b = 1\nelif c:\n    b = 2\nelse:\n    b = 3\n",
    "try:\n    import keras\nexcept ImportError:\n    keras = None\nfinally:\n    done = 1\n",
    "values = [\n1,\n2,\n]\ntotal = (\n3\n)\n",
    "x = 1 + \\\n2\ny = x\n",
    '"""Docstring."""\nfrom __future__ import annotations\nimport keras\ndef f(a: Later) -> None:\n    pass\n',
    "a = 1\r\nb = [\r\n2]\r\nc = 3\r\n",
    "a = 1\rb = 2\rc = (\r3)\r",
    "a = 1; b = 2\nc = a + b\n\x0cd = c\n",
    "async def f():\n    await g()\nmatch a:\n    case 1:\n        pass\n",
    "def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n# a comment at column 0\n    return g\n",
]


@pytest.mark.parametrize("source", [s for _, s in SOURCES[:40]] + TRICKY)
@pytest.mark.parametrize("size", [1, 2, 7])
def test_a_module_read_in_chunks_is_the_module_read_whole(source: str, size: int) -> None:
    tree = python_syntax(source)
    found, spans = read_in_chunks(LINE.findall(source), size)
    assert found == units(tree)
    assert spans == statement_spans(tree)


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("a = 1\nb = 2\nreturn a\n", 3),  # only the compiler refuses it
        ("a = 1\nb = 2\nnonlocal a\n", 3),
        ('a = 1\n"""text"""\nfrom __future__ import annotations\n', 3),  # not at the start of the file
        ("a = 1\nb = (\n", 2),  # the error is in the rest of the module
        ("a = 1\nb = 2\nc = )\n", 3),
    ],
)
def test_chunks_refuse_what_python_refuses(source: str, line: int) -> None:
    with pytest.raises(ConvertError):
        python_syntax(source)
    with pytest.raises(ConvertError) as refused:
        read_in_chunks(LINE.findall(source), 1)
    assert refused.value.location is not None
    assert refused.value.location.line == line


def test_future_features_hold_in_every_chunk() -> None:
    source = "from __future__ import barry_as_FLUFL\na = 1\nb = 1 <> 2\n"
    found, _ = read_in_chunks(LINE.findall(source), 1)
    assert [u.first for u in found] == [1, 2, 3]


# Programs whose windows must agree on what the whole module says.
CASES = [
    # a closure reads `inputs`: no module-level name may take it, in whichever window
    """
    import keras
    def outer():
        inputs = 1
        def inner():
            return inputs
        return inner
    first = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    second = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    """,
    # a user's own Model, in a statement no window holds
    """
    from keras.models import Sequential
    from keras.layers import Dense
    class Model:
        pass
    seq = Sequential([Dense(2, input_shape=(3,))])
    other = Sequential([Dense(2, input_shape=(4,))])
    """,
    # `Sequential` is removed only when every window converted its uses
    """
    from keras.models import Sequential
    from keras.layers import Dense
    a = Sequential([Dense(2, input_shape=(3,))])
    b = Sequential([Dense(2)])
    c = Sequential([Dense(2, input_shape=(3,))])
    """,
    """
    from keras.models import Sequential
    from keras.layers import Dense
    a = Sequential([Dense(2, input_shape=(3,))])
    c = Sequential([Dense(2, input_shape=(3,))])
    """,
    # imports in the middle of the file, and a function's own import
    """
    import keras
    a = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    from keras import layers
    def build():
        from keras.models import Sequential
        return Sequential([layers.Dense(2, input_shape=(3,))])
    b = keras.Sequential([layers.Dense(2, input_shape=(3,))])
    """,
    # module-level models: each one's tensors are named for it, across windows
    """
    import keras
    encoder = keras.Sequential()
    encoder.add(keras.layers.Dense(4, input_shape=(8,)))
    x = 3
    decoder = keras.Sequential([keras.layers.Dense(8, input_shape=(4,))])
    inputs = [x]
    """,
    # a later window binds `Model`: what the first converted is spelled anew
    """
    from keras.models import Sequential
    from keras.layers import Dense
    seq = Sequential([Dense(2, input_shape=(3,))])
    class Model(Sequential):
        pass
    """,
    # a later window reads `.layers`: a model returned to no caller cannot be followed
    """
    import keras
    def build():
        return keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    def show(m):
        return keras.backend, m.layers
    """,
    # a script's main block imports for itself: one window's like any other statement
    """
    import keras
    a = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    if __name__ == "__main__":
        import argparse
        parser = argparse.ArgumentParser()
        b = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        print(parser, b, a)
    c = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    """,
    # one model's statements around another's: one window holds both
    """
    import keras
    a = keras.Sequential()
    b = keras.Sequential()
    a.add(keras.layers.Dense(2, input_shape=(3,)))
    b.add(keras.layers.Dense(2, input_shape=(3,)))
    """,
]


@pytest.mark.parametrize("source", CASES)
@pytest.mark.parametrize("style", ["model", "shared"])
@pytest.mark.parametrize("size", [1, 3])
def test_windows_agree_on_the_whole_module(source: str, style: str, size: int) -> None:
    assert_same(dedent(source), Options(style=style), size)


@pytest.mark.parametrize(("name", "source"), SOURCES, ids=[name for name, _ in SOURCES])
def test_a_source_in_windows_converts_as_it_does_whole(name: str, source: str) -> None:
    style = "shared" if len(name) % 2 else "model"
    assert_same(source, Options(style=style), 3)
    if len(name) % 3 == 0:  # the checks alone, on a third of them (the findings are compared above)
        rules = rules_of(Options())
        checked = check_windowed(source, rules, size=2)
        assert checked is not None
        assert checked.findings == check_text(source, rules=rules).findings


def test_a_long_text_is_compiled_in_parts() -> None:
    lines = ["x = 1\n"] * 30 + ["def f():\n", "    return 1\n"] * 10
    compiles_in_parts("".join(lines), size=4)
    with pytest.raises(ConvertError) as refused:
        compiles_in_parts("".join([*lines, "return 2\n", *lines]), size=4)
    assert refused.value.location is not None and refused.value.location.line == 51


@pytest.mark.parametrize("seed", range(24))
def test_programs_in_windows_convert_as_they_do_whole(seed: int) -> None:
    text = multi(seed)
    style, size = [("model", 1), ("shared", 6), ("shared", 1), ("model", 6)][seed % 4]
    assert_same(text, Options(style=style), size)


ONE_LINE = "import keras; model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\n"


@pytest.mark.parametrize(
    "source",
    [
        ONE_LINE,  # a Keras import
        "import json\nif __name__ == '__main__':\n    import os\n    x = 1\nprint(os)\n",  # used elsewhere
        "if __name__ == '__main__':\n    from os import *\n    x = 1\n",  # names no one can list
    ],
)
def test_a_statement_that_imports_for_others_and_binds_is_read_whole(source: str) -> None:
    with pytest.raises(Whole):
        plan_windows(source, 1)


def test_what_cannot_be_converted_in_windows_is_converted_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ONE_LINE + "x = 1\n" * 30
    with pytest.raises(Whole, match="both imports what others use and binds"):
        convert_windowed(source, Options(), rules_of(Options()), size=1)
    monkeypatch.setattr(windowed, "WINDOW_LINES", 8)
    assert convert_text(source, Options()) == whole(source, Options())
    monkeypatch.setattr(windowed, "WHOLE_CHARS", 100)  # and beyond what can be read whole, refused
    with pytest.raises(ConvertError, match="cannot be read a part at a time: a statement both imports"):
        convert_text(source, Options())


BLOCKS = "import keras\n" + "".join(
    f"def helper_{i}(a):\n    return a * {i}\n\n\n"
    f"model_{i} = keras.Sequential()\nmodel_{i}.add(keras.layers.Dense({i + 1}, input_shape=(4,)))\n"
    for i in range(6)
)


def test_a_long_file_is_converted_in_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    text = BLOCKS
    one = whole(text, Options())
    monkeypatch.setattr(windowed, "WINDOW_LINES", 8)
    plan = plan_windows(text)
    assert plan is not None and plan.count > 1
    assert convert_text(text, Options()) == one


def test_a_window_sees_no_statement_of_another() -> None:
    text = dedent(CASES[5])
    plan = plan_windows(text, 1)
    assert plan is not None
    owned = [
        [u.first for u, mine in zip(plan.found, plan.owned(k), strict=True) if mine]
        for k in range(plan.count)
    ]
    assert owned == [[2, 3, 4], [6]]  # the imports with the first; `x` and `inputs` matter to none
    assert ast.parse(text)


CORPUS = sorted((ROOT / "bench" / "corpus").rglob("*.py")) + sorted((ROOT / "samples").glob("*.ipynb"))
CORPUS += sorted((ROOT / "bench" / "corpus").rglob("*.ipynb"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_the_corpus_in_windows_converts_as_it_does_whole(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    notebook = path.suffix == ".ipynb"
    options = Options(style="shared" if len(path.name) % 2 else "model")
    monkeypatch.setattr(windowed, "WINDOW_LINES", 10**9)
    one = convert_bytes(data, options, notebook=notebook)
    monkeypatch.setattr(windowed, "WINDOW_LINES", 1)
    assert convert_bytes(data, options, notebook=notebook) == one
    if not notebook:
        text = data.decode()
        monkeypatch.setattr(windowed, "WINDOW_LINES", 10**9)
        assert convert_windowed(text, options, rules_of(options), size=2) == one[0]
        # one window: what a text of up to 2,000 relevant lines is converted in
        assert convert_windowed(text, options, rules_of(options), size=10**9) == one[0]


@pytest.mark.parametrize(
    ("source", "size", "passes"),
    [
        (BLOCKS, 3, 1),  # nothing a later window adds is read by an earlier one
        (BLOCKS, 1, 2),  # a second module-level model: the first one's tensors are named for it
        (CASES[5], 1, 2),
        (next(c for c in CASES if "m.layers" in c), 1, 2),  # a later window reads `.layers`
    ],
)
def test_windows_are_read_again_only_when_what_they_read_grew(
    source: str, size: int, passes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = dedent(source)
    analysed = []
    analysis = windowed.Module.analysis

    def counted(self: windowed.Module, keep: list[bool]) -> object:
        analysed.append(keep)
        return analysis(self, keep)

    monkeypatch.setattr(windowed.Module, "analysis", counted)
    plan = plan_windows(text, size)
    assert plan is not None and plan.count > 1
    assert_same(text, Options(), size)
    assert len(analysed) == passes * plan.count + 1  # and the imports alone


def assert_surveyed_alike(text: str, size: int) -> None:
    """The editor's survey of `text` read in windows of `size` lines is the whole text's."""
    options = Options()
    surveyed = survey_windowed(text, options, rules_of(options), size=size)
    assert surveyed is not None, "fell back to the whole text"
    assert surveyed.survey == Document(text).survey()


@pytest.mark.parametrize(("name", "source"), SOURCES[::2], ids=[name for name, _ in SOURCES[::2]])
def test_a_source_in_windows_is_surveyed_as_it_is_whole(name: str, source: str) -> None:
    assert_surveyed_alike(source, 1 + len(name) % 4)


@pytest.mark.parametrize("seed", range(12))
def test_programs_in_windows_are_surveyed_as_they_are_whole(seed: int) -> None:
    assert_surveyed_alike(multi(100 + seed), [1, 6][seed % 2])


@pytest.mark.parametrize("seed", range(4))
def test_an_editor_reads_a_large_text_in_windows_as_it_reads_it_whole(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should survey a buffer past the editor's size in windows, and convert one of its models
    from them, as the whole text's analysis does."""
    from seq2func.drivers import source

    text = multi(200 + seed)
    whole_survey = Document(text).survey()
    lines = sorted({s.start_line for s in whole_survey.sites})
    assert lines
    converted = [Document(text).convert(line=line, lint=False) for line in lines]
    monkeypatch.setattr(source, "EDITOR_WINDOWS_CHARS", 0)
    monkeypatch.setattr(windowed, "WINDOW_LINES", 4)
    document = Document(text)
    assert document.survey() == whole_survey
    assert document._analysis is None  # never read whole
    for line, one in zip(lines, converted, strict=True):
        windowed_one = document.convert(line=line, lint=False)
        assert document._analysis is None
        assert (windowed_one.new_text, windowed_one.conversions, windowed_one.skips) == (
            one.new_text,
            one.conversions,
            one.skips,
        )


@pytest.mark.parametrize("seed", range(12))
def test_an_edit_of_a_buffer_read_in_windows_is_surveyed_from_the_last_survey(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should survey an edit of a buffer read in windows from the windows' survey (the whole
    text is never analysed), and convert and fix from it, as the whole text's analysis does."""
    from test_incremental import check_step, edit, module

    from seq2func.drivers import source

    monkeypatch.setattr(source, "EDITOR_WINDOWS_CHARS", 0)
    monkeypatch.setattr(windowed, "WINDOW_LINES", 4)
    rng = random.Random(seed)
    text = module(rng)
    document = Document(text)
    document.survey()
    assert document._surveyed is not None and document._analysis is None  # read in windows

    def whole(document: Document) -> None:
        with monkeypatch.context() as inside:
            inside.setattr(source, "EDITOR_WINDOWS_CHARS", 10**12)
            document.survey()

    taken = 0
    for _ in range(4):
        text = edit(rng, text)
        document, took = check_step(document, text, whole)
        taken += took and document._analysis is None
    if seed == 0:
        assert taken  # an edit was surveyed from the windows' survey, never read whole
