"""Reading a module: parse it (Python's check first, then LibCST, narrowed to what can
matter), find its Keras Sequential constructions by resolved name, and answer questions
about them: references to a model, names free to take, the shapes of the data it is fed.
Nothing here plans or changes code."""
