"""In the verifier's children: running a program's statements, one top-level statement at a
time, and noting how each ended.

`execute` runs the steps of a slice (`slicing`): a statement that fails is noted, what it was
to bind is left unbound (never stale), and the run goes on: what each model needed of it is
decided per model afterwards. `run_program` runs a whole program the older way, for the
`names` requests (`seq2func verify A B`, fixes): a failing statement stops the run unless
only training, plots or a missing optional package read what it defines.

A notebook's IPython lines run as IPython runs them: IPython's own input transformer turns
each into the Python it runs (`X = %time X[:, :6]` assigns), and IPython's own magic runs
for `%time`; shell commands and other magics (`!pip install`, `%matplotlib`, `%cd`) are not
run, and a note says so.
"""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import sys
import tempfile
import traceback
import types
import unittest
from dataclasses import dataclass, field
from typing import Any

from seq2func.verify.comparing import VerifyFailure
from seq2func.verify.program import optional_import, plan_program, skippable
from seq2func.verify.runs import Outcome, ProgramRun, watched_names
from seq2func.verify.slicing import PROBE, TEST, Slice

# magics whose work is Python's: IPython runs them for real on the program's namespace
RUN_MAGICS = frozenset({"time", "env"})


@dataclass
class SliceRun(ProgramRun):
    """A run of a slice: what each step did (by its index), and the objects each site's probe
    caught (the first time it ran)."""

    caught: dict[int, Any] = field(default_factory=dict)
    ended: dict[int, Outcome] = field(default_factory=dict)  # step index -> how it ended


def fresh_keras() -> None:
    """The same auto-generated layer names and initial weights in both programs."""
    import keras

    keras.backend.clear_session()
    keras.utils.set_random_seed(0)


def execute(plan: Slice, filename: str, label: str, notes: list[str], shell: Shell | None = None) -> SliceRun:
    """Run the steps of `plan` that some site needs or feeds, in order (see the module)."""
    fresh_keras()
    namespace = module_namespace(f"__seq2func_{label}__", filename)
    run = SliceRun(namespace=namespace)
    if shell is not None:
        namespace["get_ipython"] = shell.bound(namespace)

    def probe(site: int, value: Any) -> Any:
        run.caught.setdefault(site, value)
        return value

    namespace[PROBE] = probe
    namespace[TEST] = run_test
    kept = plan.kept
    for index, step in enumerate(plan.steps):
        if index not in kept:
            continue
        text = ast.unparse(step.node)
        code = compile(ast.Module([step.node], []), filename, "exec")
        try:
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                exec(code, namespace)
        except MemoryError:
            raise VerifyFailure(
                f"{label} ran out of memory (change the limit: --memory-limit, or verify-memory-limit under [tool.seq2func])"
            ) from None
        except (Exception, SystemExit) as error:
            said = " ".join(str(error).split())
            outcome = Outcome(step.line, text, f"raised {type(error).__name__}", said[:200], index)
            run.outcomes.append(outcome)
            run.ended[index] = outcome
            for name in step.binds:  # unbound, never stale: a later use fails rather than lies
                namespace.pop(name, None)
            continue
        outcome = Outcome(step.line, text, "ran", step=index)
        run.outcomes.append(outcome)
        run.ended[index] = outcome
    return run


class LeftBehind:
    """What a program creates in its folder is removed once it has run: the converted program
    then meets the folder the original met (a tuner's state, a checkpoint, a cache would make it
    run otherwise), and a verification leaves the user's project as it was. Files that existed
    are never touched; a folder too large to list (past `LIMIT` entries) is left as it is."""

    LIMIT = 20_000

    def __init__(self, folder: str | None) -> None:
        self.folder = folder
        self.before = self._listing() if folder else None

    def _listing(self) -> set[str] | None:
        found: set[str] = set()
        assert self.folder is not None
        for root, dirs, files in os.walk(self.folder):
            found.update(os.path.join(root, name) for name in (*dirs, *files))
            if len(found) > self.LIMIT:
                return None
        return found

    def remove_new(self) -> None:
        if self.before is None:
            return
        now = self._listing()
        if now is None:
            return
        for path in sorted(now - self.before, key=len):  # a new folder first, with what is in it
            with contextlib.suppress(OSError):
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                elif os.path.lexists(path):
                    os.remove(path)


def call(namespace: dict[str, Any], code: str) -> bool:
    """Run the statement `code` in a program's namespace; whether it ran."""
    try:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            exec(compile(code, "<seq2func>", "exec"), namespace)
    except (Exception, SystemExit):
        return False
    return True


def module_namespace(name: str, filename: str) -> dict[str, Any]:
    """The namespace a program runs in: a module's, registered as one (dataclasses and pickle
    look their classes' module up), with `sys.argv` as `python FILE` gives it."""
    module = types.ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    sys.argv = [filename]
    return module.__dict__


def run_test(case: type, method: str) -> None:
    """A unittest method run as unittest runs it (setUp, the method, tearDown); what it raised
    is raised again."""
    result = unittest.TestResult()
    case(method).run(result)
    for _, said in [*result.errors, *result.failures]:
        raise RuntimeError(f"the test {case.__name__}.{method} failed: {said.strip().splitlines()[-1]}")


def run_program(
    source: str, filename: str, label: str, entry: str | None, notes: list[str], *, stop: bool = True
) -> ProgramRun:
    """Execute a program's top-level statements that build its models, and the calls that
    feed them data (training stood in for); note how each statement ended. A statement that
    fails and that the models need raises VerifyFailure, or with stop=False ends the run there
    (the comparison then says which)."""
    fresh_keras()
    namespace: dict[str, Any] = {"__name__": f"__seq2func_{label}__", "__file__": filename}
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as error:
        raise VerifyFailure(f"{label} does not parse: {error.msg}", f"{filename}:{error.lineno}") from None
    steps = plan_program(tree)
    ran = ProgramRun(namespace=namespace, watched=watched_names(tree))
    for index, step in enumerate(steps):
        text = ast.unparse(step.node)
        if step.kind == "use":
            ran.outcomes.append(Outcome(step.node.lineno, text, "not run"))
            continue
        code = compile(ast.Module([step.node], []), filename, "exec")
        try:
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                exec(code, namespace)
        except SystemExit as exit_:
            raise VerifyFailure(
                f"{label} called sys.exit({exit_.code!r}) while building its models",
                f"{filename}:{step.node.lineno}",
            ) from None
        except MemoryError:
            raise VerifyFailure(
                f"{label} ran out of memory (change the limit: --memory-limit, or verify-memory-limit under [tool.seq2func])"
            ) from None
        except Exception as error:
            said = " ".join(str(error).split())
            ran.outcomes.append(Outcome(step.node.lineno, text, f"raised {type(error).__name__}", said[:200]))
            if (
                step.kind == "feed"
                or skippable(steps, index)
                or (isinstance(error, ImportError) and optional_import(steps, index))
            ):
                notes.append(
                    f"{label}: skipped line {step.node.lineno}, which raised {type(error).__name__} "
                    "and defines nothing the models need"
                )
                for name in step.assigns:
                    namespace.pop(name, None)
                continue
            if not stop:
                return ran
            raise VerifyFailure(
                f"{label} raised {type(error).__name__}: {error}",
                user_frame(error, filename),
                ("python",) if isinstance(error, ImportError) else (),
            ) from None
        ran.outcomes.append(Outcome(step.node.lineno, text, "ran"))
    if entry:
        try:
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                namespace["__seq2func_entry__"] = eval(entry, namespace)
        except Exception as error:
            raise VerifyFailure(
                f"--entry {entry!r} raised {type(error).__name__} in {label}: {error}",
                user_frame(error, filename),
            ) from None
    return ran


def user_frame(error: BaseException, filename: str) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return f"{filename}:{frames[-1].lineno}" if frames else filename


# -- IPython lines ----------------------------------------------------------------------------------


class Shell:
    """What the Python IPython makes of a notebook's lines calls (`get_ipython()`): IPython's
    own shell runs `RUN_MAGICS` on the program's namespace; nothing else runs (see the module)."""

    def __init__(self, notes: list[str], label: str) -> None:
        os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="seq2func-ipython-"))
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False
        self.ipython = InteractiveShell.instance(config=config)
        self.notes, self.label = notes, label

    def bound(self, namespace: dict[str, Any]) -> Any:
        shell = self

        class Bound:
            def run_line_magic(self, name: str, line: str, _stack_depth: int = 1) -> Any:
                if name not in RUN_MAGICS:
                    shell.notes.append(
                        f"{shell.label}: %{name} {line} was not run (IPython runs it in a notebook)"
                    )
                    return None
                shell.ipython.user_ns = namespace
                return shell.ipython.run_line_magic(name, line, _stack_depth=_stack_depth + 1)

            def run_cell_magic(self, name: str, line: str, cell: str) -> Any:
                shell.notes.append(f"{shell.label}: a %%{name} cell was not run")
                return None

            def system(self, command: str) -> None:
                shell.notes.append(f"{shell.label}: the shell command `{command}` was not run")

            def getoutput(self, command: str) -> list[str]:
                shell.notes.append(f"{shell.label}: the shell command `{command}` was not run")
                return []

        return lambda: Bound()


def with_ipython(
    source: str, lines: dict[int, str], notes: list[str], label: str
) -> tuple[str, Shell | None]:
    """The text with each IPython line (by line number) replaced by the Python IPython runs
    for it, on the same line, and the shell that Python calls; as it was, and a note, where
    IPython is not installed."""
    commands = {n: text for n, text in lines.items() if not text.lstrip().startswith("%%")}
    if not commands:
        return source, None
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        notes.append(f"{label}: its IPython lines were not run: IPython is not installed in this interpreter")
        return source, None
    manager = TransformerManager()
    out = source.splitlines(keepends=True)
    continued: set[int] = set()
    for number in sorted(commands):
        if number in continued or not 0 < number <= len(out):
            continue
        text, last = commands[number], number
        while text.rstrip().endswith("\\") and last + 1 in commands:  # a command continued
            last += 1
            continued.add(last)
            text = text.rstrip()[:-1] + " " + commands[last].strip()
        indent = text[: len(text) - len(text.lstrip())]
        try:
            python = manager.transform_cell(text.strip() + "\n").strip()
            ast.parse(python)
        except (SyntaxError, ValueError):
            continue
        if "\n" in python:
            continue
        newline = out[number - 1][len(out[number - 1].rstrip("\r\n")) :]
        out[number - 1] = f"{indent}{python}{newline}"
        for k in range(number + 1, last + 1):
            out[k - 1] = out[k - 1][len(out[k - 1].rstrip("\r\n")) :]
    return "".join(out), Shell(notes, label)
