"""seq2func: rewrite Keras Sequential models into Functional API code, and prove it."""

from seq2func.api import check_source, convert_file, convert_source
from seq2func.types import CheckResult, Conversion, ConvertError, Finding, Location, Options, Result, Skip

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
__version__ = "0.2.0"
