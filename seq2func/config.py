"""Settings: `[tool.seq2func]` in pyproject.toml, validated once for every shell.

The CLI's flags and the language server's initialization options override the file;
both go through `settings_from_config`, so an unknown key or a bad value is the same
clear error everywhere (never a silent default).
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

from seq2func.rules import UnknownRule, known_selectors
from seq2func.types import Options, SampleShape, Style, VerifySettings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - black requires tomli on 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the key and what it takes."""


@dataclass(frozen=True)
class Settings:
    """Everything a run is configured with: the conversion options and the run's own."""

    options: Options = field(default_factory=Options)
    exclude: frozenset[str] = frozenset()
    verify: VerifySettings = field(default_factory=VerifySettings)  # a child that runs the program


def find_project_root(paths: list[Path]) -> Path | None:
    """The nearest directory above all paths holding pyproject.toml, .git or .hg."""
    if not paths:
        paths = [Path.cwd()]
    # realpath, not resolve(): a symlink loop is reported where the file is read, not here
    resolved = [os.path.realpath(p) for p in paths]
    common = Path(os.path.commonpath(resolved))
    for directory in (common, *common.parents):
        if any(_exists(directory / marker) for marker in ("pyproject.toml", ".git", ".hg")):
            return directory
    return None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a directory we may not look into
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML, read again when it changed (a language server outlives many edits)."""
    try:
        stat = path.stat()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    return _read_toml_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _read_toml_version(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def load_config(root: Path | None = None, file: Path | None = None) -> dict[str, Any]:
    """[tool.seq2func] of `file` (or of root/pyproject.toml), dashes turned to underscores;
    the line length falls back to [tool.black]; `python` is read from the file's folder."""
    if file is None:
        if root is None or not (root / "pyproject.toml").is_file():
            return {}
        file = root / "pyproject.toml"
    tool = _read_toml(file).get("tool", {})
    config = read_keys(tool.get("seq2func", {}))
    if isinstance(config.get("python"), str) and config["python"].strip():
        # joined, not resolved: a venv's python is a symlink that must stay one
        config["python"] = os.path.join(os.path.abspath(file.parent), os.path.expanduser(config["python"]))
    black_length = tool.get("black", {}).get("line-length")
    if "line_length" not in config and isinstance(black_length, int):
        config["line_length"] = black_length
    return config


UNDERSCORED = "\0"  # marks a key written with underscores (`input_shape`), kept unknown


def read_keys(table: dict[Any, Any]) -> dict[str, Any]:
    """Settings as written (`input-shape`), keyed as this module keys them (`input_shape`);
    a key written with underscores is unknown, and told as written."""
    return {
        (key.replace("-", "_") if "_" not in key else f"{UNDERSCORED}{key}"): value
        for key, value in ((str(k), v) for k, v in table.items())
    }


def _as_written(key: str) -> str:
    """A config key as the user wrote it, with the spelling it should have."""
    if key.startswith(UNDERSCORED):
        written = key.removeprefix(UNDERSCORED)
        dashed = written.replace("_", "-")
        return (
            f"{written} (keys are written with dashes: {dashed})"
            if dashed.replace("-", "_") in KEYS
            else written
        )
    return key.replace("_", "-")


def parse_shape(value: Any) -> SampleShape:
    """`28,28,1`, `(None, 10)` or [28, 28, 1] -> a shape without the batch dimension."""
    if isinstance(value, str):
        inner = value.strip().strip("()[]").strip().removesuffix(",")  # `(10,)`: one dimension
        parts = [p.strip() for p in inner.split(",")]
        try:
            shape = tuple(None if p in ("None", "none", "?") else int(p) for p in parts)
        except ValueError:  # an empty part too: `28,,28`
            raise ConfigError(f"{value!r} is not a shape like 28,28,1") from None
        if not inner or any(d is not None and d <= 0 for d in shape):
            raise ConfigError(f"{value!r} is not a shape like 28,28,1")
        return shape
    if isinstance(value, list | tuple) and all(d is None or (isinstance(d, int) and d > 0) for d in value):
        return tuple(value)
    raise ConfigError(f"{value!r} is not a shape like [28, 28, 1]")


def parse_named_shapes(value: Any) -> tuple[tuple[str, SampleShape], ...]:
    """`{encoder = [28, 28, 1], head = "10"}` -> each named model's shape, by name."""
    if not isinstance(value, dict) or not value:
        raise ConfigError(
            f"input-shape as a table names models and their shapes, e.g. {{encoder = [28, 28, 1]}}, not {value!r}"
        )
    named = []
    for name, shape in value.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name):
            raise ConfigError(f"input-shape: {name!r} is not a model's name")
        named.append((name, parse_shape(shape)))
    return tuple(sorted(named))


def _positive_int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 20:
        raise ConfigError(f"{key} takes a whole number of at least 20, not {value!r}")
    return value


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} takes a list of strings, not {value!r}")
    return tuple(value)


def _rule_selectors(key: str, value: Any) -> tuple[str, ...]:
    selectors = _string_list(key, value)
    try:
        known_selectors(selectors)
    except UnknownRule as error:
        raise ConfigError(f"{key}: {error}") from None
    return selectors


def _module_names(key: str, value: Any) -> tuple[str, ...]:
    names = _string_list(key, value)
    for name in names:
        if not all(part.isidentifier() for part in name.split(".")):
            raise ConfigError(f"{key} takes dotted module names (mypkg.compat.keras), not {name!r}")
    return names


def _function_names(key: str, value: Any) -> frozenset[str]:
    names = _string_list(key, sorted(value) if isinstance(value, set | frozenset) else value)
    for name in names:
        parts = name.split(".")
        if len(parts) < 2 or not all(part.isidentifier() for part in parts):
            raise ConfigError(
                f"{key} takes functions by their module's name (mypkg.train.distill), not {name!r}"
            )
    return frozenset(names)


def _style(value: Any) -> Style:
    if value not in get_args(Style):
        raise ConfigError(f"style takes one of {', '.join(map(repr, get_args(Style)))}, not {value!r}")
    return value


def _timeout(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"verify-timeout takes a number of seconds above 0, not {value!r}")
    return float(value)


def _megabytes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (value == 0 or value >= 256):
        raise ConfigError(f"verify-memory-limit takes megabytes (at least 256, or 0 for none), not {value!r}")
    return value


def _python(value: Any) -> str:
    """A path to an interpreter that is there and can run (what runs in it is probed only
    when a verification needs it)."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"python takes the path of a Python interpreter, not {value!r}")
    if not os.path.isfile(value) or not os.access(value, os.X_OK):
        raise ConfigError(f"python: {value} is not an interpreter that can run (no such executable file)")
    return value


def _flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key} takes true or false, not {value!r}")
    return value


def _entry(value: Any) -> str:
    try:
        call = ast.parse(value, mode="eval").body if isinstance(value, str) else None
    except SyntaxError:
        call = None
    if not isinstance(call, ast.Call):
        raise ConfigError(
            f'verify-entry takes a call that builds the model, e.g. "build_model(64)", not {value!r}'
        )
    return str(value)


def settings_from_config(
    config: dict[str, Any], *, editor: frozenset[str] = frozenset(), **overrides: Any
) -> Settings:
    """Validate `config` ([tool.seq2func], dashes as underscores), then apply the
    overrides that are not None (flags the user gave). `editor`: the keys of `config` that
    an editor's settings gave."""
    unknown = sorted(set(config) - KEYS)
    if unknown:
        known = ", ".join(sorted(k.replace("_", "-") for k in KEYS))
        names = ", ".join(_as_written(k) for k in unknown)
        raise ConfigError(
            f"[tool.seq2func] has unknown key{'s' if len(unknown) > 1 else ''} {names} (known: {known})"
        )
    if isinstance(config.get("input_shape"), dict):  # input-shape = {encoder = [28, 28, 1]}
        config = {
            **{k: v for k, v in config.items() if k != "input_shape"},
            "input_shapes": config["input_shape"],
        }
    merged = {**config, **{k: v for k, v in overrides.items() if v is not None and v != ()}}
    options = replace(
        Options(),
        **{field: check(merged[key]) for key, (field, check) in _OPTION_KEYS.items() if key in merged},
    )
    where = "the editor's settings" if "input_shape" in editor else "[tool.seq2func]"
    if overrides.get("input_shape") is not None:
        options = replace(options, input_shape_from="--input-shape")
    elif "input_shape" in config:
        options = replace(options, input_shape_from=f"input-shape in {where}")
    if overrides.get("input_shapes") is not None:
        options = replace(options, input_shapes_from="--input-shape")
    elif "input_shapes" in config:
        options = replace(options, input_shapes_from=f"input-shape in {where} for")
    excluded = [
        *_string_list("exclude", config.get("exclude", [])),
        *_string_list("--exclude", overrides.get("exclude") or []),
    ]
    run = {field: check(merged[key]) for key, (field, check) in _RUN_KEYS.items() if key in merged}
    verify = VerifySettings(**run)
    return Settings(replace(options, infer_python=verify.python), exclude=frozenset(excluded), verify=verify)


# key (dashes as underscores) -> (the field it sets, the check that validates and converts it)
_OPTION_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "line_length": ("line_length", lambda v: _positive_int("line-length", v)),
    "input_shape": ("input_shape", parse_shape),
    "input_shapes": ("input_shapes", parse_named_shapes),  # input-shape as a table, or NAME=shape flags
    "style": ("style", _style),
    "keras_modules": ("keras_modules", lambda v: _module_names("keras-modules", v)),
    "model_wrappers": ("model_wrappers", lambda v: _function_names("model-wrappers", v)),
    "line": ("line", lambda v: v),  # the CLI's --line, already checked by click
    "select": ("select", lambda v: _rule_selectors("select", v)),
    "ignore": ("ignore", lambda v: _rule_selectors("ignore", v)),
    "clear_stale_outputs": ("clear_stale_outputs", lambda v: _flag("clear-stale-outputs", v)),
}
_RUN_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "verify_timeout": ("timeout", _timeout),
    "verify_memory_limit": ("memory_mb", _megabytes),
    "write_unverified": ("write_unverified", bool),  # the CLI's --write-unverified
    "python": ("python", _python),
    "verify_entry": ("entry", _entry),
    "verify_whole_program": ("whole", lambda v: _flag("verify-whole-program", v)),
    "verify_strict_shapes": ("strict_shapes", lambda v: _flag("verify-strict-shapes", v)),
}


def check_option(field_name: str, value: Any) -> Any:
    """One Options field's value, checked (and converted) as the config file's key is."""
    for key, (name, check) in _OPTION_KEYS.items():
        if name == field_name and value is not None and key != "line":
            return check(value)
    return value


def make_options(base: Options | None = None, **options: Any) -> Options:
    """Options from keywords, each checked as `[tool.seq2func]` checks it: a bad value is a
    ValueError (config.ConfigError) that names it, never a silent default."""
    unknown = sorted(set(options) - {f.name for f in dataclasses.fields(Options)})
    if unknown:
        raise ConfigError(f"unknown option{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    checked = {key: check_option(key, value) for key, value in options.items()}
    return dataclasses.replace(base or Options(), **checked)


# the keys [tool.seq2func] takes: every table key but the CLI-only ones, and exclude
KEYS = (set(_OPTION_KEYS) | set(_RUN_KEYS) | {"exclude"}) - {"line", "write_unverified", "input_shapes"}


def settings_for(paths: list[str], config_file: str | None = None, **overrides: Any) -> Settings:
    """The settings for a run over `paths`: the config file found above them (or given), then the flags."""
    if config_file is not None:
        config = load_config(file=Path(config_file))
    else:
        config = load_config(find_project_root([Path(p) for p in paths if p != "-"]))
    return settings_from_config(config, **overrides)


def good_keys(config: dict[str, Any]) -> tuple[dict[str, Any], list[ConfigError]]:
    """`config` without the keys that are unknown or hold a bad value, and what each of those
    is told (the CLI refuses the whole; an editor keeps what it can use)."""
    try:
        settings_from_config(config)
        return config, []
    except ConfigError:
        pass
    good, errors = {}, []
    for key, value in config.items():
        try:
            settings_from_config({key: value})
            good[key] = value
        except ConfigError as error:
            errors.append(error)
    return good, errors


class ProjectSettings:
    """The settings of each folder's project ([tool.seq2func], [tool.black]) with the
    editor's own on top (`overrides`: initialization options, workspace/didChangeConfiguration),
    read again when its pyproject.toml changes; a key with a bad value is reported once per
    version of the file, and the other keys apply."""

    def __init__(self, report: Callable[[ConfigError], None]) -> None:
        self.report = report
        self.overrides: dict[str, Any] = {}
        self.known: dict[tuple[Path, object], Settings] = {}

    def configure(self, overrides: Any) -> None:
        """The editor's settings (keys as in [tool.seq2func]); a bad one is reported and left
        out, the others are used."""
        if overrides is None:
            overrides = {}
        if not isinstance(overrides, dict):
            self.report(ConfigError(f"the editor's seq2func settings must be an object, not {overrides!r}"))
            overrides = {}
        given, errors = good_keys(read_keys(overrides))
        for error in errors:
            self.report(
                ConfigError(f"editor settings: {error}".replace("[tool.seq2func]", "the editor's settings"))
            )
        self.overrides = given
        self.known.clear()

    def settings(self, folder: Path) -> Settings:
        root = find_project_root([folder])
        try:
            stat = (root / "pyproject.toml").stat() if root else None
            version: object = (root, stat.st_mtime_ns, stat.st_size) if stat else root
        except OSError:
            version = root
        key = (folder, version)
        if key not in self.known:
            try:
                config = load_config(find_project_root([folder]))
            except ConfigError as error:  # the file itself cannot be read
                self.report(error)
                config = {}
            own, errors = good_keys(config)
            for refused in errors:
                self.report(refused)
            self.known[key] = settings_from_config(
                {**own, **self.overrides}, editor=frozenset(self.overrides)
            )
        return self.known[key]
