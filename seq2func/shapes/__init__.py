"""The static shapes of the data a model is fed, for models that declare no input shape.

`model.fit(x_train, ...)` builds a Sequential with `x_train`'s shape. `shape_of` follows such
an argument back, statically, to where its shape is written down, and claims nothing when
anything on the way is unknown. It asks a registry of readers (`registry`), one module per
family of sources, each reader registered with its order and its refusals:

- `core`: names followed back (`trace`), constants folded, numpy's indexing and arithmetic;
- `helpers`: what a helper function of the file returns;
- `arrays`: numpy, TensorFlow and keras.ops calls;
- `layers`: preprocessing layers applied to data, `pad_sequences`;
- `tables`: scikit-learn's datasets, splits and scalers; a DataFrame's columns;
- `datasets`: tf.data, TensorFlow Datasets, `keras.datasets`, image and text folders;
- `outputs`: what a notebook's saved outputs show;
- `files`: data files beside the program (their first lines, a `.npy` header);
- `models`: what one model of the file gives out, for the model applied to it.

Importing this package registers every family.
"""

from __future__ import annotations

from seq2func.shapes import arrays, datasets, files, helpers, layers, outputs, tables
from seq2func.shapes.core import dims_value, int_value, shape_of
from seq2func.shapes.outputs import observed_shape_of, summarized_input

FAMILIES = (helpers, arrays, layers, tables, datasets, outputs, files)

__all__ = ["FAMILIES", "dims_value", "int_value", "observed_shape_of", "shape_of", "summarized_input"]
