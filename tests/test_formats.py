"""`--output-format text|json|github|sarif`: one list of located messages behind every
format, the JSON checked against its documented schema (`seq2func/cli/output-schema.json`)."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

import jsonschema
import pytest
from test_notebook import MULTI_CELL, jupyter_bytes

from seq2func.cli import main
from seq2func.cli.schema import SCHEMA_PATH
from seq2func.types import Hint

SCHEMA = json.loads(SCHEMA_PATH.read_text())
# a model left (its shape unknown) above one that converts, and a finding: line order matters
MIXED = """\
import keras
left = keras.Sequential([keras.layers.Dense(2)])
net = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])


def branch(t):
    return keras.layers.Dense(4)(t)


a, b = keras.Input((2,)), keras.Input((2,))
twice = keras.Model([a, b], [branch(a), branch(b)])
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "mixed.py").write_text(MIXED)
    (tmp_path / "nb.ipynb").write_bytes(jupyter_bytes(MULTI_CELL))
    (tmp_path / "broken.py").write_text("import keras\nmodel = keras.Sequential(\n")
    (tmp_path / "plain.py").write_text("x = 1\n")
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", [["convert", "--check"], ["check"]])
def test_json_follows_the_documented_schema(
    tree: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Should print JSON that validates against seq2func/cli/output-schema.json, with the same
    location fields on every conversion, skip and finding and the same summary keys."""
    code, out, _ = run([*command, "--output-format", "json", str(tree)], capsys)
    assert code == 123  # broken.py
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["command"] == command[0]
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    assert by_name["broken.py"]["error"]
    mixed = by_name["mixed.py"]
    [finding] = mixed["findings"]
    assert (finding["line"], finding["end_line"], finding["code"]) == (6, 7, "S2F101")
    assert finding["end_column"] == len("    return keras.layers.Dense(4)(t)") + 1
    if command[0] == "convert":
        [skip] = mixed["skips"]
        [conversion] = mixed["conversions"]
        assert (skip["line"], skip["column"], skip["code"]) == (2, 8, "input-shape-unknown")
        assert (conversion["line"], conversion["end_line"], conversion["end_column"]) == (
            3,
            3,
            len(MIXED.splitlines()[2]) + 1,
        )
        [cells] = by_name["nb.ipynb"]["conversions"]
        assert (cells["cell"], cells["line"]) == (2, 1)
        assert "plain.py" in by_name
    else:
        assert "plain.py" not in by_name  # check lists what it found, as ruff does
    assert report["summary"]["failed"] == 1


def test_the_schema_names_every_hint() -> None:
    """Should list in the schema exactly the hints the library can give."""
    hints = SCHEMA["$defs"]["skip"]["properties"]["hints"]["items"]["enum"]
    assert sorted(hints) == sorted(typing.get_args(Hint))


def test_json_is_the_same_as_output_format_json(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["check", "--json", str(tree)], capsys)[1]
        == run(["check", "--output-format", "json", str(tree)], capsys)[1]
    )


def test_text_is_in_line_order(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should print a file's messages in line order: the skip on line 2, the conversion on
    line 3, the finding on line 6 (skips used to come first whatever their line)."""
    _, _, err = run(["convert", "--check", str(tree / "mixed.py")], capsys)
    lines = [line.split(":")[1] for line in err.splitlines() if line.startswith(str(tree))]
    assert lines == ["2", "3", "6"]


GITHUB = re.compile(r"^::(notice|warning|error) (?P<props>[^:]*)::(?P<text>.*)$")


def test_github_annotations(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should print one workflow command per message, as GitHub Actions reads them: escaped
    properties, a notebook's annotation on the file (its lines are a cell's), a conversion
    still to make a warning under --check."""
    code, out, err = run(["convert", "--check", "--output-format", "github", str(tree)], capsys)
    assert code == 123 and err.count("\n") <= 2  # no text lines, only the error
    found = {}
    for line in out.splitlines():
        match = GITHUB.match(line)
        assert match, line
        props = dict(p.split("=", 1) for p in match["props"].split(","))
        found[(Path(props["file"].replace("%3A", ":")).name, props.get("line"))] = (
            match[1],
            props,
            match["text"],
        )
    level, props, text = found[("mixed.py", "3")]
    assert (
        level == "warning"
        and props["title"] == "seq2func (would-convert)"
        and props["endColumn"] == str(len(MIXED.splitlines()[2]) + 1)
    )
    assert text.endswith(":3:7: would convert net (1 layer; input from the first layer's input_shape=)")
    assert found[("mixed.py", "2")][0] == "notice" and found[("mixed.py", "6")][0] == "warning"
    level, props, text = found[("nb.ipynb", None)]
    assert "col" not in props and ":cell[2]:1:9: would convert" in text
    assert found[("broken.py", "1")][0] == "error"


@pytest.mark.parametrize(
    ("text", "prop", "expected"),
    [
        ("50% done\nnext", False, "50%25 done%0Anext"),
        ("a:b,c", True, "a%3Ab%2Cc"),
        ("a:b,c", False, "a:b,c"),
        ("\r", True, "%0D"),
    ],
)
def test_github_escaping(text: str, prop: bool, expected: str) -> None:
    from seq2func.cli.formats import _escape

    assert _escape(text, prop) == expected


def test_sarif(tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Should print SARIF 2.1.0: rules described once and indexed, paths relative to the
    working directory, regions with end positions, a notebook's result on the file with
    its cell in the message."""
    monkeypatch.chdir(tree)
    code, out, _ = run(["convert", "--check", "--output-format", "sarif", str(tree)], capsys)
    assert code == 123
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    [run_] = sarif["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    # under --check a model is one still to convert: `would-convert`, never `converted`
    assert {"S2F101", "would-convert", "input-shape-unknown", "error"} <= {r["id"] for r in rules}
    assert "converted" not in {r["id"] for r in rules}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("note", "warning", "error")
    by_rule = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r
        for r in run_["results"]
    }
    region = by_rule[("S2F101", "mixed.py")]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6, "startColumn": 1, "endLine": 7, "endColumn": 36}
    notebook = next(r for (rule, uri), r in by_rule.items() if uri.endswith("nb.ipynb"))
    assert "region" not in notebook["locations"][0]["physicalLocation"]
    assert notebook["properties"]["cell"] == 2 and notebook["message"]["text"].startswith("cell[2]:1:9:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "--json", "--output-format", "sarif"], "use one"),
        (["convert", "--diff", "--output-format", "json"], "--diff prints a diff"),
        (["check", "--diff", "--output-format", "github"], "--diff prints a diff"),
        (["check", "--output-format", "xml"], "'xml' is not one of"),
    ],
)
def test_format_usage_errors(
    tree: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*args, str(tree / "mixed.py")], capsys)
    assert code == 2 and message in err


def slug(heading: str) -> str:
    """A Markdown heading's anchor, as GitHub and PyPI's renderer make it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip("# ").lower())
    return text.replace(" ", "-")


def test_documentation_links_point_at_the_readme_tables() -> None:
    """Should link every code (diagnostics' codeDescription, SARIF's helpUri) to a README
    heading that exists, under the documentation URL that pyproject.toml declares."""
    import tomllib

    from seq2func import DOCUMENTATION, REASONS_TABLE, RULES_TABLE, __version__

    root = Path(__file__).parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["urls"]["Documentation"] == DOCUMENTATION and project["version"] == __version__
    anchors = {slug(line) for line in (root / "README.md").read_text().splitlines() if line.startswith("#")}
    for link in (REASONS_TABLE, RULES_TABLE):
        assert link.startswith(DOCUMENTATION + "#") and link.split("#", 1)[1] in anchors
