"""Verification: build the original and the converted model in a child process and compare.

Nothing here imports TensorFlow; only `child.py`, run as its own process, does.
"""
