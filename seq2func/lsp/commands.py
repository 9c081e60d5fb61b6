"""The requests that compute an edit or run a child process: codeAction/resolve, and
workspace/executeCommand's `seq2func.verify` (a verification in the background),
`seq2func.inferShapes` and `seq2func.applyAction` (a code action chosen in a client that
cannot resolve one)."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import (
    JsonRpcContentModified,
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
)
from pygls.uris import to_fs_path

from seq2func.api import infer_shapes, prove
from seq2func.lsp.editor import (
    Snapshot,
    minimal_edits,
    verdict_diagnostics,
    verdict_message,
    workspace_edit,
)
from seq2func.lsp.notebooks import ScriptDocument
from seq2func.lsp.state import Seq2FuncServer
from seq2func.types import ConvertError

APPLY_EDIT_TIMEOUT_SECONDS = 30


async def verify_command(ls: Seq2FuncServer, *args: Any) -> dict[str, Any]:
    """Arguments: the document URI, and optionally "model" or "shared". Answers at once (a
    client's request timeout is shorter than a verification); the verdict follows through
    $/progress, window/showMessage and an information diagnostic on each converted model."""
    uri = args[0] if args else None
    style = args[1] if len(args) > 1 else "model"
    if style not in ("model", "shared"):
        raise JsonRpcInvalidParams(f"seq2func: style must be 'model' or 'shared', not {style!r}")
    doc = ls.document(uri)
    snap = await ls.snapshot(doc)
    try:
        converted = await ls.on_analyser(doc, "convert", snap.text, {"style": style})
    except ConvertError as error:
        raise JsonRpcInvalidRequest(f"seq2func: {error.message}") from None
    name = Path(to_fs_path(doc.uri) or "untitled.py")
    if not converted.changed:
        message = f"seq2func: {name.name} has no Sequential model to convert and verify"
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=message))
        return {"started": False, "message": message}
    both = partial(
        prove, name, snap.text, converted.code, ls.settings(doc.uri).verify, conversions=converted.conversions
    )

    async def report() -> None:
        verdict = await ls.with_progress(f"building both versions of {name.name}", both)
        message, kind = verdict_message(verdict, name.name)
        ls.window_show_message(lsp.ShowMessageParams(type=kind, message=message))
        snap.verified = verdict_diagnostics(doc, snap.text, verdict, converted.conversions)
        await ls.publish(doc.uri, refresh=True)

    ls.in_background(report())
    return {"started": True, "message": f"seq2func: verifying {name.name}; the verdict follows as a message"}


async def infer_command(ls: Seq2FuncServer, *args: Any) -> dict[str, Any]:
    """Argument: the document URI. Runs the buffer's program in a child process (fit, evaluate
    and predict intercepted: nothing trains), in the background like verify; the input shapes
    it gives its models make their conversions available, until those lines change."""
    doc = ls.document(args[0] if args else None)
    path = Path(to_fs_path(doc.uri) or "untitled.py")
    text = doc.source
    run = partial(infer_shapes, path, text, ls.settings(doc.uri).verify)

    async def report() -> None:
        found = await ls.with_progress(f"running {path.name}", run, title="seq2func: learning input shapes")
        ls.inferred[doc.uri] = (text, found)
        ls.snapshots.pop(doc.uri, None)  # analyse again, with the shapes
        snap = await ls.snapshot(doc)
        unknown = [
            s.location.line
            for s in (snap.survey.sites if snap.survey else [])
            if s.skip is not None and s.skip.code == "input-shape-unknown"
        ]
        if found.shapes and not unknown:
            message = (
                f"seq2func: running {path.name} showed the input shapes; its models can be converted now"
            )
        elif found.shapes:
            message = f"seq2func: running {path.name} showed some input shapes; {found.why_not(unknown[0])}"
        else:
            message = f"seq2func: running {path.name} showed no input shape: {found.why_not(unknown[0] if unknown else 0)}"
        kind = lsp.MessageType.Info if found.shapes else lsp.MessageType.Warning
        ls.window_show_message(lsp.ShowMessageParams(type=kind, message=message))
        await ls.publish(doc.uri, refresh=True)

    ls.in_background(report())
    return {"started": True, "message": f"seq2func: running {path.name}; what it shows follows as a message"}


async def apply_command(ls: Seq2FuncServer, *args: Any) -> dict[str, Any]:
    """A code action chosen in a client without resolve support: compute its edit now and
    send it with workspace/applyEdit."""
    action = await resolve(ls, lsp.CodeAction(title="seq2func", data=args[0] if args else None))
    assert action.edit is not None
    request = ls.workspace_apply_edit_async(lsp.ApplyWorkspaceEditParams(edit=action.edit, label="seq2func"))
    try:  # some clients apply the edit and never answer (Vim's ALE), or refuse it
        result = await asyncio.wait_for(request, APPLY_EDIT_TIMEOUT_SECONDS)
    except TimeoutError:
        return {"applied": None, "reason": "the client did not say whether it applied the edit"}
    except JsonRpcException as error:
        return {"applied": False, "reason": f"the client refused the edit: {error}"}
    return {"applied": result.applied, "reason": result.failure_reason}


async def resolve(ls: Seq2FuncServer, action: lsp.CodeAction) -> lsp.CodeAction:
    if action.command is not None and action.data is None:
        return action  # the Verify action: nothing to resolve, the client runs its command
    data = action.data if isinstance(action.data, dict) else None
    if data is None or data.get("action") not in ("convert", "all", "fix", "fixall"):
        raise JsonRpcInvalidParams("seq2func: this code action carries no seq2func data")
    doc = ls.document(data.get("uri"))
    if data.get("version") != doc.version:
        raise JsonRpcContentModified("seq2func: the document changed; ask for code actions again")
    snap = await ls.snapshot(doc)
    refused = still_offered(snap, data)
    if refused is not None:
        raise refused
    try:
        new = await converted(ls, doc, snap, data)
    except ConvertError as error:
        raise JsonRpcInvalidRequest(f"seq2func: {error.message}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise JsonRpcInvalidParams(f"seq2func: malformed code action data ({error})") from None
    if new == snap.text:
        raise JsonRpcInvalidRequest("seq2func: this action changes nothing in the document as it is now")
    if not isinstance(doc, ScriptDocument):
        action.edit = workspace_edit(doc, minimal_edits(doc, snap.text, new), ls.support.document_changes)
        return action
    view = ls.notebook(doc.uri)  # a notebook: the edit lands in the cells that change
    if view is None or view.version != snap.version:
        raise JsonRpcContentModified("seq2func: the notebook changed; ask for code actions again")
    try:
        action.edit = view.edit(new, ls.support.document_changes)
    except ConvertError as error:
        raise JsonRpcInvalidRequest(f"seq2func: {error.message}") from None
    return action


async def converted(ls: Seq2FuncServer, doc: Any, snap: Snapshot, data: dict[str, Any]) -> str:
    """The buffer's text after the action `data` describes: the text as it is now, converted
    (or fixed) by the analysis process from its last survey (an edit's reads only the
    statements the action touches), exactly as the CLI converts it. (Moving the last
    analysed text's conversion into the text as it is now cost a compilation of the whole
    text to check: more than this, at every size measured.)"""
    return str(await ls.on_analyser(doc, "action", snap.text, data))


def still_offered(snap: Snapshot, data: dict[str, Any]) -> JsonRpcException | None:
    """Why the analysis of the document as it is now does not offer the action `data`
    describes (a model, or a finding, at its line), if it does not: an error to answer
    rather than an empty edit, or an edit of something else."""
    if data["action"] in ("all", "fixall"):
        return None
    if snap.survey is None:
        return JsonRpcInvalidRequest(
            "seq2func: the document does not parse as it is now; nothing was converted"
        )
    try:
        line = int(data["line"])
    except (KeyError, TypeError, ValueError) as error:
        return JsonRpcInvalidParams(f"seq2func: malformed code action data ({error!r})")
    if data["action"] == "fix":
        if any(f.location.line == line and f.code == data.get("code") for f in snap.survey.findings):
            return None
        return JsonRpcContentModified(
            f"seq2func: no {data.get('code')} finding is on line {line} any more; ask for code actions again"
        )
    site = next((s for s in snap.survey.sites if s.start_line == line), None)
    if site is None:
        return JsonRpcContentModified(
            f"seq2func: no Sequential model starts on line {line} any more; ask for code actions again"
        )
    if site.skip is not None and not (data.get("style") == "shared" and site.shared is None):
        return JsonRpcInvalidRequest(
            f"seq2func: the model on line {line} is left as is: {site.skip.message} [{site.skip.code}]"
        )
    if data.get("style") == "shared" and site.shared is not None:
        return JsonRpcInvalidRequest(
            f"seq2func: the model on line {line} cannot take shared layers: {site.shared}"
        )
    return None
