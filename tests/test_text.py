"""Bytes in, bytes out: line endings, tabs, encodings and comments survive conversion."""

import ast
from textwrap import dedent

import pytest

from seq2func import convert_source
from seq2func.api import convert_bytes
from seq2func.types import Options

SOURCE = (
    "from keras.models import Sequential\n"
    "from keras.layers import Dense\n"
    "\n"
    "def build():\n"
    "\t# a model\n"
    "\tm = Sequential()\n"
    "\tm.add(Dense(2, input_shape=(3,)))  # first\n"
    "\tm.add(Dense(1))\n"
    "\treturn m\n"
    "\n"
    "other = 'caf\u00e9'\n"
)


def _convert(data: bytes) -> bytes:
    result, new = convert_bytes(data, Options())
    assert result.changed
    return new


def test_crlf_kept() -> None:
    """Should write CRLF everywhere when the file uses CRLF, generated lines included."""
    new = _convert(SOURCE.replace("\n", "\r\n").encode())
    assert b"\r\n" in new
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert b"\tm = Model(inputs=inputs, outputs=x)\r\n" in new


def test_tabs_kept() -> None:
    """Should indent generated lines with the tabs of the lines they replace."""
    new = _convert(SOURCE.encode()).decode()
    assert "\tx = Dense(2)(inputs)  # first\n" in new
    assert "\t# a model\n" in new
    ast.parse(new)


@pytest.mark.parametrize(
    ("encode", "marker"),
    [
        pytest.param(lambda s: b"\xef\xbb\xbf" + s.encode(), b"\xef\xbb\xbf", id="bom"),
        pytest.param(
            lambda s: ("# -*- coding: latin-1 -*-\n" + s).encode("latin-1"), b"caf\xe9", id="latin-1"
        ),
    ],
)
def test_encoding_kept(encode, marker: bytes) -> None:
    """Should keep the BOM or the declared encoding of the file."""
    new = _convert(encode(SOURCE))
    assert marker in new
    assert new.startswith(marker) or b"coding: latin-1" in new


def test_unrelated_bytes_identical() -> None:
    """Should leave every line outside the construction byte for byte."""
    new = _convert(SOURCE.encode()).decode()
    assert new.endswith("\treturn m\n\nother = 'caf\u00e9'\n")
    assert new.splitlines()[1] == "from keras.layers import Dense, Input"


def test_no_trailing_newline() -> None:
    """Should still end the last generated line properly when the file has no final newline."""
    src = dedent(
        """\
        import keras
        m = keras.Sequential()
        m.add(keras.layers.Dense(1, input_shape=(2,)))"""
    )
    _, new = convert_bytes(src.encode(), Options())
    assert new.decode().endswith("m = keras.Model(inputs=inputs, outputs=x)\n")
    ast.parse(new)


def test_line_length_honoured() -> None:
    """Should wrap generated lines at the configured line length."""
    src = dedent(
        """\
            import keras
            m = keras.Sequential([keras.layers.Dense(10, activation='relu', input_shape=(3,))])
            """
    )
    result, _ = convert_bytes(src.encode(), Options(line_length=40))
    assert max(len(line) for line in result.new_text.splitlines()) <= 40


def test_document_answers_from_one_analysis() -> None:
    """Document (what editors use) should give the same answers as the one-shot functions."""
    from seq2func import check_source
    from seq2func.api import Document, survey_source

    source = (
        "import keras\n"
        "a = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\n"
        "b = keras.Sequential()\n"
        "b.add(keras.layers.Dense(2))\n"
        "b.summary()\n"
    )
    doc = Document(source)
    [site_a, site_b] = doc.survey().sites
    assert (site_a.start_line, site_a.end_line, site_a.skip, site_a.model) == (2, 2, None, "a")
    assert site_a.shared == "the model is never applied to a tensor, so no call would share its layers"
    assert (site_b.start_line, site_b.end_line, site_b.skip.code) == (3, 4, "input-shape-unknown")
    assert site_b.touches(4, 4) and not site_b.touches(5, 9)
    assert doc.survey() == survey_source(source)
    assert doc.convert(line=2).new_text == convert_source(source, line=2).new_text != source
    assert doc.convert().new_text == convert_source(source).new_text
    assert doc.check().findings == check_source(source).findings == []


def test_result_code_is_the_old_name_of_new_text() -> None:
    """Should still answer `.code` (the name before 0.3), with a DeprecationWarning."""
    result = convert_source(
        dedent(
            """\
        import keras
        m = keras.Sequential([keras.layers.Dense(2, input_dim=3)])
        """
        )
    )
    with pytest.warns(DeprecationWarning, match="Result.code is now Result.new_text"):
        assert result.code == result.new_text != result.source


UNKNOWN_SHAPE = dedent(
    """\
    import keras
    m = keras.Sequential([keras.layers.Dense(2)])
    """
)
SEQUENCE = dedent(
    """\
    import keras
    m = keras.Sequential([keras.layers.Embedding(100, 8), keras.layers.LSTM(4)])
    """
)


@pytest.mark.parametrize(
    ("source", "hints"),
    [
        (UNKNOWN_SHAPE, ("input-shape", "infer-shapes")),
        (SEQUENCE, ("sequence-length", "infer-shapes")),
    ],
)
def test_each_shell_words_the_hints_its_own_way(source: str, hints: tuple[str, ...]) -> None:
    """Should carry what to do as data, and let the CLI say it as flags and the editor as
    settings and actions, each hint once, no CLI flag in the editor's words."""
    from seq2func.cli.output import WORDS as CLI
    from seq2func.lsp.editor import WORDS as EDITOR

    [skip] = convert_source(source).skips
    assert skip.hints == hints
    assert "--" not in skip.message
    for words in (CLI, EDITOR):
        said = skip.explained(words)
        assert said.startswith(skip.message + "; ")
        assert all(said.count(words[hint]) == 1 for hint in hints)  # type: ignore[index]
    assert "--" in skip.explained(CLI)
    assert "--" not in skip.explained(EDITOR)
