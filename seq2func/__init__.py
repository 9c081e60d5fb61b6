"""seq2func: rewrite Keras Sequential models into Functional API code, and prove it.

The API (`seq2func.api`) loads LibCST and black; it is imported when one of its names is
first used, so that the verifier's child processes and the language server, which import
modules of this package, do not pay for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seq2func.types import CheckResult, Conversion, ConvertError, Finding, Location, Options, Result, Skip

if TYPE_CHECKING:
    from seq2func.api import check_source, convert_file, convert_source

__all__ = [
    "CheckResult",
    "Conversion",
    "ConvertError",
    "Finding",
    "Location",
    "Options",
    "Result",
    "Skip",
    "check_source",
    "convert_file",
    "convert_source",
]
__version__ = "0.3.0"
DOCUMENTATION = "https://pypi.org/project/seq2func/"  # [project.urls] in pyproject.toml
# where the README explains each kind of code: the reasons a model is left, and the rules
REASONS_TABLE = f"{DOCUMENTATION}#what-is-left-alone-and-why"
RULES_TABLE = f"{DOCUMENTATION}#checks-seq2func-check"
_API = {"check_source", "convert_file", "convert_source"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from seq2func import api  # the package face: LibCST and black load when first used

        return getattr(api, name)
    raise AttributeError(f"module 'seq2func' has no attribute {name!r}")
