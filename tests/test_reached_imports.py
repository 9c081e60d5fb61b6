"""A conversion never adds an import that cannot run: new `Input`s and `Model`s are reached the
way the file reaches Keras.

Stand-in packages mirror the layouts of the real re-exports (keras2onnx's `proto/__init__.py`
and TF Model Optimization's `compat.py` bind `keras`; KerasTuner's `backend/keras.py` is a
module that star-imports Keras; a project's own `compat.py`; `tf_keras`, a package this
environment lacks), each binding the real Keras. Programs reaching Keras through them are
converted in both styles and run for real; and every import that any case row or corpus file
gains must resolve wherever the original's own imports do.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from seq2func import convert_source
from seq2func.api import convert_bytes
from seq2func.notebook import script_from_bytes
from seq2func.types import Options

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
CORPUS = ROOT / "bench" / "corpus"

# path -> text: the real packages' layouts, each bound to the real Keras
STAND_INS = {
    "keras2onnx/__init__.py": "",
    # keras2onnx/proto/__init__.py: `keras` is a name the package binds, not a submodule
    "keras2onnx/proto/__init__.py": "import os\n\nimport keras\n\nis_tf_keras = False\n",
    "tensorflow_model_optimization/__init__.py": "",
    "tensorflow_model_optimization/python/__init__.py": "",
    "tensorflow_model_optimization/python/core/__init__.py": "",
    "tensorflow_model_optimization/python/core/keras/__init__.py": "",
    # .../core/keras/compat.py: a module whose `keras` is whichever Keras it finds
    "tensorflow_model_optimization/python/core/keras/compat.py": dedent(
        """\
        def _get_keras_instance():
            import keras

            return keras


        keras = _get_keras_instance()
        """
    ),
    "keras_tuner/__init__.py": "",
    "keras_tuner/backend/__init__.py": "from keras_tuner.backend import keras\n",
    # keras_tuner/backend/keras.py: a module; its `layers` and `models` are attributes
    "keras_tuner/backend/keras.py": "from keras import *  # noqa: F403\n",
    "mypkg/__init__.py": "",
    "mypkg/compat.py": "from tensorflow import keras\n",
    # tf_keras: a package with the subpackages `layers` and `models`
    "tf_keras/__init__.py": "from keras import *  # noqa: F403\nfrom tf_keras import layers, models\n",
    "tf_keras/layers/__init__.py": "from keras.layers import *  # noqa: F403\n",
    "tf_keras/models/__init__.py": "from keras.models import *  # noqa: F403\n",
}


def write_stand_ins(folder: Path) -> Path:
    for relative, text in STAND_INS.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


# (id, program, convert_source keywords): each builds `model`, reaching Keras another way
PROGRAMS = [
    (
        "keras2onnx-bare-names",
        """\
        from keras2onnx.proto import keras

        Dense = keras.layers.Dense
        Sequential = keras.models.Sequential

        model = Sequential()
        model.add(Dense(4, input_shape=(3,)))
        model.add(Dense(2))
        """,
        {},
    ),
    (
        "keras2onnx-attributes",
        """\
        from keras2onnx.proto import keras

        model = keras.models.Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(2)])
        """,
        {},
    ),
    (
        "keras2onnx-factory",
        """\
        from keras2onnx.proto import keras

        Sequential = keras.models.Sequential
        Dense = keras.layers.Dense


        def build(width):
            m = Sequential()
            m.add(Dense(width, input_dim=3))
            m.add(Dense(1))
            return m


        model = build(5)
        """,
        {},
    ),
    (
        "model-optimization-bare-names",
        """\
        from tensorflow_model_optimization.python.core.keras.compat import keras

        Sequential = keras.Sequential
        layers = keras.layers

        model = Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
        """,
        {},
    ),
    (
        "model-optimization-attributes",
        """\
        from tensorflow_model_optimization.python.core.keras.compat import keras

        model = keras.Sequential()
        model.add(keras.layers.Dense(4, input_shape=(3,)))
        """,
        {},
    ),
    (
        "keras-tuner-submodule-names",
        """\
        from keras_tuner.backend import keras

        Sequential = keras.models.Sequential

        model = Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(2)])
        """,
        {},
    ),
    (
        "keras-tuner-module-names",
        """\
        from keras_tuner.backend.keras import Sequential, layers

        model = Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
        """,
        {},
    ),
    (
        "keras-tuner-layers-and-models",
        """\
        from keras_tuner.backend.keras import layers, models

        model = models.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
        """,
        {},
    ),
    (
        "project-compat-bare-names",
        """\
        from mypkg.compat import keras

        Sequential = keras.models.Sequential
        Dense = keras.layers.Dense

        model = Sequential([Dense(4, input_shape=(3,)), Dense(2)])
        """,
        {"keras_modules": ("mypkg.compat.keras",)},
    ),
    (
        "project-compat-attributes",
        """\
        from mypkg.compat import keras

        model = keras.Sequential()
        model.add(keras.layers.Dense(4, input_shape=(3,)))
        model.add(keras.layers.Dense(2))
        """,
        {"keras_modules": ("mypkg.compat.keras",)},
    ),
    (
        "tf-keras-names",
        """\
        from tf_keras.layers import Dense
        from tf_keras.models import Sequential

        model = Sequential([Dense(4, input_shape=(3,)), Dense(2)])
        """,
        {},
    ),
]

# Runs each program in a fresh namespace, in one process (one Keras import); prints what each
# did: its model's parameter count, or the error that stopped it.
RUNNER = """\
import json, runpy, sys, traceback
out = {}
for name, path in json.loads(sys.argv[1]).items():
    try:
        out[name] = runpy.run_path(path)["model"].count_params()
    except BaseException:
        out[name] = traceback.format_exc(limit=3)
print(json.dumps(out))
"""


def with_stand_ins(folder: Path, script: str, argument: object) -> Any:
    """What `script` prints last (JSON), run with `argument` (JSON) and the stand-ins on the path."""
    env = {**os.environ, "PYTHONPATH": str(write_stand_ins(folder / "site")), "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(argument)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def run_programs(folder: Path, programs: dict[str, str]) -> dict[str, object]:
    paths = {}
    for name, text in programs.items():
        paths[name] = str(folder / f"{name}.py")
        Path(paths[name]).write_text(text)
    result: dict[str, object] = with_stand_ins(folder, RUNNER, paths)
    return result


@pytest.mark.tensorflow
def test_programs_that_reach_keras_through_a_reexport_run_after_converting(tmp_path: Path) -> None:
    """Every program converts in both styles, and the converted program imports and builds
    the same model as the original, with each stand-in on the path."""
    programs = {}
    for name, text, options in PROGRAMS:
        source = dedent(text)
        programs[f"{name}.original"] = source
        for style in ("model", "shared"):
            result = convert_source(source, style=style, **options)  # type: ignore[arg-type]
            assert result.conversions and not result.skips, (name, style, result.skips)
            programs[f"{name}.{style}"] = result.new_text
    ran = run_programs(tmp_path, programs)
    for name, _, _ in PROGRAMS:
        assert isinstance(ran[f"{name}.original"], int), ran[f"{name}.original"]
        for style in ("model", "shared"):
            assert ran[f"{name}.{style}"] == ran[f"{name}.original"], (name, style, ran[f"{name}.{style}"])


def test_an_import_that_would_not_run_refuses_the_model() -> None:
    """A bare `Sequential` from a re-export that is no package, with nothing else reaching the
    family: refused, the message naming the import and what to write instead; the shared
    style, which needs neither `Input` nor `Model`, converts it."""
    source = dedent(
        """\
        import tensorflow as tf
        from keras2onnx.proto.keras.models import Sequential

        inputs = tf.keras.Input((3,))
        model = Sequential()
        model.add(tf.keras.layers.Dense(4, input_shape=(3,)))
        y = model(inputs)
        """
    )
    result = convert_source(source)
    [skip] = result.skips
    assert (skip.code, skip.location.line) == ("import-unreachable", 5)
    assert "`from keras2onnx.proto.keras.layers import Input`" in skip.message
    assert "`from keras2onnx.proto import keras`" in skip.message
    assert "shared-style" in skip.hints
    assert result.new_text == source
    shared = convert_source(source, style="shared")
    assert shared.conversions and "import Input" not in shared.new_text


def test_a_rule_fix_that_would_need_such_an_import_is_withheld() -> None:
    """S2F201's fix adds an `Input`: where it cannot be imported, the finding says why."""
    from seq2func import check_source

    source = dedent(
        """\
        import tensorflow as tf
        from keras2onnx.proto.keras.models import Sequential

        model = Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])
        """
    )
    [finding] = check_source(source, select=("S2F201",)).findings
    assert not finding.fixable
    assert finding.no_fix is not None and "[import-unreachable]" in finding.no_fix


def _imports(text: str) -> set[tuple[str, str | None]]:
    """The module-level imports of `text`, as (module, name) pairs (name None: `import module`)."""
    found: set[tuple[str, str | None]] = set()
    for node in ast.parse(text).body:
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found |= {(node.module, alias.name) for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {(alias.name, None) for alias in node.names}
    return found


def _sources() -> list[tuple[str, bytes, bool, dict[str, object]]]:
    found = []
    for path in sorted(CASES.glob("*.before.py")):
        options_path = path.with_name(path.name.replace(".before.py", ".options.json"))
        options = json.loads(options_path.read_text()) if options_path.exists() else {}
        options = {k: tuple(v) if isinstance(v, list) else v for k, v in options.items()}
        found.append((path.name, path.read_bytes(), False, options))
    for path in sorted(p for p in CORPUS.rglob("*") if p.suffix in (".py", ".ipynb")):
        found.append((str(path.relative_to(CORPUS)), path.read_bytes(), path.suffix == ".ipynb", {}))
    return found


RESOLVER = """\
import importlib, json, sys
out = {}
for module, name in json.loads(sys.argv[1]):
    try:
        found = importlib.import_module(module)
        out[f"{module}:{name}"] = name is None or hasattr(found, name)
    except Exception:
        out[f"{module}:{name}"] = False
print(json.dumps(out))
"""


@pytest.mark.tensorflow
def test_every_added_import_resolves_where_the_originals_do(tmp_path: Path) -> None:
    """For every case row and corpus file that converts (both styles), each import the output
    gains resolves in this environment or through its stand-in, unless it joins a module the
    original imports from and that module does not resolve either (the user's own import)."""
    added: dict[tuple[str, str | None], set[str]] = {}
    own: dict[tuple[str, str | None], set[str]] = {}  # added to a module the original imports from
    for name, data, notebook, keywords in _sources():
        for style in ("model", "shared"):
            options = Options(**{**keywords, "style": keywords.get("style", style)})  # type: ignore[arg-type]
            result, new = convert_bytes(data, options, notebook=notebook)
            if not result.conversions:
                continue
            before = _imports(script_from_bytes(data) if notebook else data.decode())
            for item in _imports(script_from_bytes(new) if notebook else new.decode()) - before:
                mine = any(module == item[0] for module, _ in before)
                (own if mine else added).setdefault(item, set()).add(name)
    assert added, "no case adds an import: the test would check nothing"
    wanted = sorted({*added, *own, *((module, None) for module, _ in own)}, key=str)
    resolves = with_stand_ins(tmp_path, RESOLVER, wanted)
    broken = {f"{m}:{n}": sorted(where) for (m, n), where in added.items() if not resolves[f"{m}:{n}"]}
    broken |= {
        f"{m}:{n}": sorted(where)
        for (m, n), where in own.items()
        if resolves[f"{m}:None"] and not resolves[f"{m}:{n}"]
    }
    assert not broken, broken
