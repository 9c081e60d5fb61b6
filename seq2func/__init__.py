"""seq2func: rewrite Keras Sequential models into Functional API code, and prove it."""

from seq2func.api import convert_file, convert_source
from seq2func.types import Conversion, ConvertError, Location, Options, Result, Skip

__all__ = [
    "Conversion",
    "ConvertError",
    "Location",
    "Options",
    "Result",
    "Skip",
    "convert_file",
    "convert_source",
]
__version__ = "0.1.0"
