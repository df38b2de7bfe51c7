"""``derive watch FILE...``: check the files once, then again on every save, re-checking only
the steps that changed.

The watching process keeps a memo of every step's verdict — held, failed and undecided alike
— under the key the on-disk cache gives a step (:meth:`derive.core.VerdictCache.key`: both
sides, every hypothesis, the notation and the exact witness's reach). A save is read again in
full (for 100 steps about 0.2 s, most of what a one-step re-check costs besides the step
itself), every step whose key is in the memo takes its verdict from there, and only the new
and edited steps go to the core and its worker pool (forked per check, as always). SymPy stays
imported here, so the workers forked for a save start with it loaded.

After a save, what changed is printed: the new and edited steps with their verdicts (and the
verdict they replace), the steps removed, and the file's one-line summary. Bad input (a file
that cannot be read, is deleted or stops reading) is one line, ``derive: file:line: ...``,
and watching goes on. Ctrl-C ends with exit status 130.

:func:`watch_loop` is the loop without the file events: the command feeds it with
:func:`watchfiles.watch`, the tests with a list.
"""

from __future__ import annotations

import difflib
import functools
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import click

from derive.cli import TIME_LIMIT, DeriveError, _Console, _worse, explain_option, notation_option, time_limit_option

__all__ = ["StepMemo", "Watcher", "watch_command", "watch_loop"]

MAX_LISTED = 20  # a save that changes more steps (a header edit) lists only the ones that matter


class StepMemo:
    """The verdict of every step checked while watching, in memory, with the interface of
    :class:`derive.core.VerdictCache` (``key``, ``get``, ``put``), so that it is passed to
    ``check_derivation`` as its ``cache``. Unlike the cache on disk it keeps failed and
    undecided verdicts too: a step is checked again only when it changes. Behind it, the
    cache on disk (when there is one) answers for steps that held in an earlier run, and is
    given every verdict (it keeps the holding ones)."""

    def __init__(self, disk=None):
        from derive.core import VerdictCache

        self.disk = disk
        # key() reads nothing from its cache's folder: any VerdictCache keys a step alike.
        # Keyed with its expressions' texts kept: a save re-reads the same objects.
        self._keys = VerdictCache(disk.folder.parent.parent if disk is not None else os.devnull, remember=True)
        self.verdicts: dict = {}
        self.decided = 0  # verdicts put here: steps the workers decided

    def key(self, step, notation, exact_classes: int, exact_examples: int) -> str:
        return self._keys.key(step, notation, exact_classes, exact_examples)

    def get(self, key: str, step):
        verdict = self.verdicts.get(key)
        if verdict is None and self.disk is not None:
            verdict = self.disk.get(key, step)
            if verdict is not None:
                self.verdicts[key] = verdict
        return verdict

    def put(self, key: str, step, verdict) -> None:
        self.decided += 1
        self.verdicts[key] = verdict
        if self.disk is not None:
            self.disk.put(key, step, verdict)


@dataclass
class _Seen:
    """A file as last checked: its bytes, and its steps with their keys and verdicts."""

    data: bytes
    steps: tuple
    keys: list[str]
    verdicts: tuple
    skipped: tuple
    includes: bool = False  # it \inputs other files, which a save of its own bytes may not show


def _label(verdict) -> str:
    from derive.render.terminal import _mark

    return f"{_mark(verdict)} {verdict.label}"


class Watcher:
    """The state of one ``derive watch``: the memo, and each file as last checked."""

    def __init__(
        self,
        paths: Iterable[str],
        out,
        err=None,
        *,
        time_limit: float = TIME_LIMIT,
        notation: str | None = None,
        explain: bool = False,
        debug: bool = False,
        cache: bool = True,
    ):
        import sympy  # noqa: F401  (imported once here: every worker forked later has it)

        from derive import core, replay

        self.paths = [str(p) for p in paths]
        self.out, self.err = out, err if err is not None else out
        self.time_limit, self.notation, self.explain, self.debug = time_limit, notation, explain, debug
        self.memo = StepMemo(core.VerdictCache(replay.cache_folder()) if cache else None)
        self.seen: dict[str, _Seen] = {}
        self.status: dict[str, int] = {}  # each file's exit status as `derive check` would give it
        self.checked_afresh = 0  # steps the workers decided in the last check
        self.broken: set[str] = set()  # the files whose last reading or check was an error
        # Displays read before, by text, header and macros, shared by every watched file: a
        # save re-parses only the displays it changed (see read_derivation's memo).
        self.readings: dict = {}

    # -- output -------------------------------------------------------------------------

    def _print(self, lines) -> None:
        from rich.text import Text

        # derive's console: a reader gone away (derive watch ... | head) ends it with 141.
        console = _Console(file=self.out, highlight=False)
        for line in lines:
            text = line if isinstance(line, Text) else Text(line)
            console.print(text, soft_wrap=not console.is_terminal)
        self.out.flush()

    def _error(self, path: str, message: str) -> None:
        self.broken.add(path)
        click.echo(f"derive: {message}", file=self.err)
        self.err.flush()

    @staticmethod
    def _summary(path: str, verdicts, skipped) -> str:
        """The file's one line, as `derive check` ends with it."""
        from derive.cli import _counts

        failed = sum(1 for v in verdicts if v.status.value != "holds")
        return f"{path}: {len(verdicts)} checked, {_counts(skipped)}, {failed} failed or undecided"

    # -- checking -----------------------------------------------------------------------

    def check(self, path: str, force: bool = False) -> None:
        """Read ``path`` and check it; print the whole view the first time, and what changed
        since the last good check after that. Bad input is one line on ``err``."""
        from derive import core
        from derive.cli import _placed, _Progress
        from derive.read.derivation import read_derivation
        from derive.read.source import SourceError

        before = self.seen.get(path)
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            self._error(path, f"{path}:1: cannot read ({error.strerror}); still watching")
            self.status[path] = 2
            return
        recovered = path in self.broken
        if before is not None and data == before.data and not (force or recovered or before.includes):
            self._print([f"{path}: saved unchanged, nothing to check"])
            return
        started = time.perf_counter()
        derivation = checking = None
        try:
            read: list = []
            derivation, skipped = read_derivation(
                path, data, self.notation, self.explain, memo=self.readings, read=read
            )
            if not derivation.steps:
                self._error(path, f"{path}:1: no step to check ({_counts_of(skipped)})")
                self.status[path] = 2
                return
            keys = [self._key(step, derivation.notation) for step in derivation.steps]
            decided = self.memo.decided
            if before is None:  # the first check: the whole view, so the whole derivation
                checking = derivation
            else:
                # Only the steps the memo does not know go to the core (and are prepared,
                # keyed and sent to a worker there); the others keep their verdicts.
                known = [self.memo.get(key, step) for key, step in zip(keys, derivation.steps)]
                missing = [n for n, verdict in enumerate(known) if verdict is None]
                checking = replace(derivation, steps=tuple(derivation.steps[n] for n in missing))
            checked = None
            if checking.steps:
                with _Progress(len(checking.steps)) as progress:
                    checked = core.check_derivation(
                        checking, time_limit=self.time_limit, on_step_done=progress.step_done, cache=self.memo
                    )
        except SourceError as error:
            self._error(path, str(error))
            self.status[path] = 2
            return
        except core.VocabularyError as error:
            message = _placed(error, checking) if checking is not None else _one_line(error)
            self._error(path, message if message.startswith(f"{path}:") else f"{path}:1: {message}")
            self.status[path] = 2
            return
        except core.EngineError as error:
            self._error(path, f"engine error: {_placed(error, checking)}")
            if self.debug:
                click.echo(getattr(error, "detail", ""), file=self.err)
            self.status[path] = 3
            return
        if checking is derivation:
            verdicts = checked.verdicts
        else:
            for n, verdict in zip(missing, checked.verdicts if checked is not None else ()):
                known[n] = verdict
            verdicts = tuple(known)
        took = time.perf_counter() - started
        self.checked_afresh = self.memo.decided - decided
        from derive.cli import _exit_status

        rows = [(v.status.value, v.strength.rank if v.strength else 0, v.label) for v in verdicts]
        self.status[path] = _exit_status(rows, None, sum(1 for item in skipped if item.unread))
        now = _Seen(data, derivation.steps, keys, verdicts, skipped, includes=len(read) > 1)
        self.seen[path] = now
        self.broken.discard(path)
        if before is None:
            self._print(self._whole(path, checked, skipped))
            return
        self._print(self._changes(path, before, now, took, recovered))

    def _whole(self, path: str, checked, skipped) -> list:
        """The whole view, as `derive check` shows it: every step, what was not checked, and
        the file's summary."""
        from rich.text import Text

        from derive.cli import _SKIP_LABELS, _SKIP_STYLES
        from derive.render.terminal import DerivationView

        lines = list(DerivationView(checked, details=self.debug).lines())
        for item in skipped:
            label = _SKIP_LABELS.get(item.kind, "skipped")
            lines.append(Text(f"  {label} {item.place}: {item.reason}", _SKIP_STYLES.get(item.kind, "dim")))
        lines.append(
            Text(self._summary(path, checked.verdicts, skipped), self._summary_style(checked.verdicts, skipped))
        )
        return lines

    @staticmethod
    def _summary_style(verdicts, skipped) -> str:
        if any(v.status.value != "holds" for v in verdicts):
            return "bold red"
        return "yellow" if any(item.unread for item in skipped) else "green"

    def _key(self, step, notation) -> str:
        """The step's key, as the core asks its cache for it (the notation the step is checked
        under, the exact witness's default reach)."""
        from derive.core import EXACT_CLASSES, EXACT_EXAMPLES

        return self.memo.key(step, step.notation or notation, EXACT_CLASSES, EXACT_EXAMPLES)

    def _changes(self, path: str, before: _Seen, now: _Seen, took: float, recovered: bool = False) -> list:
        """What a save changed, as lines: a header, the new and edited steps with their
        verdicts, the steps removed, what is newly not read, and the summary."""
        from rich.text import Text

        from derive.render.terminal import DerivationView, _equation_lines, label_style

        # A step is drawn as in the whole view (its _step reads the options, not the derivation).
        view = DerivationView(None, details=self.debug)
        edited, new, removed, changed = [], [], [], []
        matcher = difflib.SequenceMatcher(None, before.keys, now.keys, autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            if tag == "equal":
                for a, b in zip(range(a1, a2), range(b1, b2)):
                    if _label(before.verdicts[a]) != _label(now.verdicts[b]):
                        changed.append((b, a))
                continue
            pairs = min(a2 - a1, b2 - b1) if tag == "replace" else 0
            edited += [(b1 + n, a1 + n) for n in range(pairs)]
            new += list(range(b1 + pairs, b2))
            removed += list(range(a1 + pairs, a2))
        new_unread = _unread(now.skipped) - _unread(before.skipped)
        gone_unread = _unread(before.skipped) - _unread(now.skipped)
        if not (edited or new or removed or changed or new_unread or gone_unread):
            if recovered:  # after an error line: say that the file reads again, and where it stands
                return [
                    Text(f"{path}: reads again; nothing checkable changed since its last check", "bold"),
                    Text(
                        self._summary(path, now.verdicts, now.skipped), self._summary_style(now.verdicts, now.skipped)
                    ),
                ]
            return [f"{path}: saved, nothing checkable changed ({len(now.keys)} steps as before)"]

        parts = []
        for count, words in ((len(edited), "{} edited"), (len(new), "new {}"), (len(removed), "{} removed")):
            if count:
                parts.append(f"{count} " + words.format("step" if count == 1 else "steps"))
        if changed:
            parts.append(f"{len(changed)} with another verdict")
        if new_unread:
            parts.append(f"{len(new_unread)} more not read")
        if gone_unread:
            parts.append(f"{len(gone_unread)} no longer unread")
        fresh = self.checked_afresh
        lines: list = [
            Text(f"{path}: {', '.join(parts)}; {fresh} of {len(now.keys)} steps re-checked in {took:.2f} s", "bold")
        ]
        listed = sorted([(b, a) for b, a in edited] + [(b, None) for b in new])
        if len(listed) > MAX_LISTED:
            # A header edit re-checks everything: list only what did not hold as before.
            quiet = [
                (b, a)
                for b, a in listed
                if now.verdicts[b].status.value == "holds"
                and (a is None or _label(before.verdicts[a]) == _label(now.verdicts[b]))
            ]
            listed = [item for item in listed if item not in quiet]
            if quiet:
                lines.append(Text(f"  {len(quiet)} re-checked steps hold as before (not listed)", "dim"))
        for b, a in listed:
            step, verdict = now.steps[b], now.verdicts[b]
            lines.append(Text(f"  step {b + 1} {'edited' if a is not None else 'new'}:", "bold"))
            lines += list(view._step(b + 1, step, verdict))
            if a is not None and _label(before.verdicts[a]) != _label(verdict):
                lines.append(Text(f"        was {_label(before.verdicts[a])}", label_style(before.verdicts[a])))
        for b, a in changed:
            lines.append(
                Text.assemble(
                    f"  step {b + 1}: now ",
                    (_label(now.verdicts[b]), label_style(now.verdicts[b])),
                    f", was {_label(before.verdicts[a])}",
                )
            )
        for a in removed:
            step = before.steps[a]
            equation = " ".join(line.strip() for line in _equation_lines(step))
            lines.append(Text(f"  step {a + 1} removed: {equation}  (was {_label(before.verdicts[a])})", "dim"))
        for item in now.skipped:
            if item.unread and (item.text, item.reason) in new_unread:
                lines.append(Text(f"  not read {item.place}: {item.reason}", "yellow"))
        lines.append(
            Text(self._summary(path, now.verdicts, now.skipped), self._summary_style(now.verdicts, now.skipped))
        )
        return lines


def _unread(skipped) -> set:
    return {(item.text, item.reason) for item in skipped if item.unread}


def _counts_of(skipped) -> str:
    from derive.cli import _counts

    return _counts(skipped)


def _one_line(error: BaseException) -> str:
    from derive.cli import _one_line as one_line

    return one_line(error)


def _changed_paths(batch) -> list[str]:
    """The paths of one batch of file events: ``(Change, path)`` pairs, or plain paths."""
    paths = []
    for item in batch:
        path = item[1] if isinstance(item, tuple) else item
        paths.append(str(path))
    return paths


def watch_loop(paths: Iterable[str], changes: Iterable, out=None, err=None, *, ready=None, **options) -> Watcher:
    """Check every file in ``paths``, then, for each batch of ``changes`` (a set of
    ``(Change, path)`` as :func:`watchfiles.watch` yields them, or of paths), check again each
    watched file the batch names. ``options`` are the :class:`Watcher`'s (time_limit, notation,
    explain, debug, cache); a change to the ``notation`` file re-checks every file. ``ready``
    (a callable) is called after the first check, before the first batch is asked for. Returns
    the watcher, with its memo and each file's last state."""
    out = out if out is not None else sys.stdout
    watcher = Watcher(paths, out, err if err is not None else sys.stderr, **options)
    for path in watcher.paths:
        watcher.check(path)
    if ready is not None:
        ready(watcher)
    by_real = {os.path.realpath(p): p for p in watcher.paths}
    notation_real = os.path.realpath(watcher.notation) if watcher.notation is not None else None
    for batch in changes:
        touched = {os.path.realpath(p) for p in _changed_paths(batch)}
        if notation_real is not None and notation_real in touched:
            for path in watcher.paths:
                watcher.check(path, force=True)
            continue
        for real, path in by_real.items():
            if real in touched:
                watcher.check(path)
    return watcher


def _file_events(paths: list[str], notation: str | None):
    """The batches of file events for ``paths`` (and the notation file), from watchfiles. The
    folders are watched, not the files, so that a file an editor replaces on save (write
    aside, rename over) or deletes and writes again is still followed."""
    import watchfiles

    wanted = {os.path.realpath(p) for p in [*paths, *([notation] if notation else [])]}
    folders = sorted({os.path.dirname(p) for p in wanted})
    return watchfiles.watch(
        *folders,
        watch_filter=lambda change, path: os.path.realpath(path) in wanted,
        recursive=False,
        raise_interrupt=True,
    )


@click.command("watch")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@time_limit_option
@notation_option("A notation header's lines in a file of their own (watched too).")
@explain_option
@click.option("--debug", is_flag=True, help="Show every witness's finding and the time each step took.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Neither read nor write the cache of verdicts on disk.")
@click.option("--once", is_flag=True, help="Check the files once and exit (the status of `derive check`).")
@click.pass_context
def watch_command(ctx: click.Context, files, time_limit, notation, explain, debug, no_cache, once) -> None:
    """Check each FILE, then check it again on every save, re-checking only the steps that
    changed, and print what changed: new and edited steps with their verdicts, verdicts that
    changed, steps removed, and the file's summary. Ctrl-C stops (exit status 130).

    \b
    Examples:
      derive watch notes.md
      derive watch post.md --notation post-header.txt
    """
    paths = list(dict.fromkeys(files))
    for path in paths:
        if path in ("", "-") or os.path.isdir(path):
            # Standard input cannot be saved again, and a folder is no file to watch.
            raise DeriveError(f"{path or repr(path)}: expected a file to watch")
        folder = os.path.dirname(os.path.realpath(path))
        if not os.path.isdir(folder):
            raise DeriveError(f"{path}: no such folder to watch")
    try:
        if once:
            watcher = watch_loop(
                paths, [], time_limit=time_limit, notation=notation, explain=explain, debug=debug, cache=not no_cache
            )
            ctx.exit(functools.reduce(_worse, watcher.status.values(), 0))

        def ready(watcher: Watcher) -> None:
            count = len(watcher.paths)
            click.echo(f"watching {count} file{'s' if count != 1 else ''} for changes (Ctrl-C to stop)")
            sys.stdout.flush()

        watch_loop(
            paths,
            _file_events(paths, notation),
            time_limit=time_limit,
            notation=notation,
            explain=explain,
            debug=debug,
            cache=not no_cache,
            ready=ready,
        )
    except KeyboardInterrupt:
        try:
            sys.stdout.flush()
        except (BrokenPipeError, OSError):
            pass
        ctx.exit(130)
