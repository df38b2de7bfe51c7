"""The ``derive`` command: thin Click commands around the core, with no mathematics.

Exit codes: 0 every step holds (as strongly as ``--require`` asks), 1 some step fails, is
undecided or is weaker than required, 2 bad usage or input, 3 an engine error (the core's
witnesses disagree: a bug in derive, never a verdict).
"""

from __future__ import annotations

import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import click
from rich.console import Console

__all__ = ["DeriveError", "cli", "main"]

TIME_LIMIT = 30.0  # derive.core.TIME_LIMIT, written out so that --help need not import SymPy
PROGRESS_DELAY = 1.0  # seconds: a check that finishes sooner shows no progress bar
_STRENGTHS = ("proved", "exact", "numeric")  # the values of core.Strength, strongest first


def _reader_gone():
    """Standard output's reader went away: write no more (to /dev/null) and exit 141, which
    is not a verdict."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(141)


class _Console(Console):
    """rich's console, but a reader that goes away (derive ... | head) ends derive with 141,
    as the README says, not with rich's 1, which here means a step failed."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        _reader_gone()


class DeriveError(click.ClickException):
    """Bad usage or input: one line on stderr, ``derive: <message>``, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"derive: {self.format_message()}", err=True)


class EngineFailure(click.ClickException):
    """The core's witnesses disagree: one line on stderr, exit status 3."""

    exit_code = 3

    def show(self, file=None) -> None:
        click.echo(f"derive: engine error: {self.format_message()}", err=True)


def _version() -> str:
    import derive

    return derive.__version__


def _builtins() -> dict[str, ModuleType]:
    from derive import proofs

    return proofs.BUILTINS


# Commands that live in modules of their own, imported only when used (so that --help and
# the built-ins' replay stay fast): name -> (module, the click.Command in it).
_LAZY_COMMANDS = {"watch": ("derive.watch", "watch_command"), "cache": ("derive.cache_admin", "cache_group")}


def _lazy_commands() -> list[str]:
    from importlib.util import find_spec

    return [name for name, (module, _) in _LAZY_COMMANDS.items() if find_spec(module) is not None]


class _DeriveGroup(click.Group):
    """Commands for the built-in derivations come from ``proofs.BUILTINS``, loaded on first
    use; and every error leaves as one line, never a traceback or a usage dump."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *_lazy_commands(), *_builtins()]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None:
            return command
        if name in _lazy_commands():
            from importlib import import_module

            module, attribute = _LAZY_COMMANDS[name]
            return getattr(import_module(module), attribute)
        module = _builtins().get(name)
        return _builtin_command(module) if module is not None else None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if standalone_mode and not (sys.argv[1:] if args is None else args):
            # Plain `derive`: the help, on standard output, and success.
            with click.Context(self, info_name=prog_name or self.name or "derive") as ctx:
                click.echo(self.get_help(ctx))
            sys.exit(0)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as error:
            hint = f" (see '{error.ctx.command_path if error.ctx else 'derive'} --help')"
            click.echo(f"derive: {error.format_message()}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("derive: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(
    cls=_DeriveGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit status: 0 every step holds, 1 a step fails or is undecided (or weaker than --require), "
    "2 bad usage or input, 3 engine error.",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: _show_version(ctx, value),
    help="Show the version and exit.",
)
def cli() -> None:
    """Check every step of a hand-written ML derivation with SymPy.

    Each step is checked on its own and labelled with what was established: proved for
    all K, exact for K ≤ n, numeric only, fails (with a counterexample) or undecided.

    \b
    Examples:
      derive list
      derive softmax-jacobian
      derive ce-grad --classes 3 --require proved
    """


def _show_version(ctx: click.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"derive {_version()}")
        ctx.exit(0)


@cli.command("list")
def list_builtins() -> None:
    """List the built-in derivations."""
    builtins = _builtins()
    width = max(len(name) for name in builtins)
    for name, module in builtins.items():
        click.echo(f"{name.ljust(width)}  {module.SUMMARY}")


MAX_CLASSES = 16  # a K×K Jacobian is K² claims; 16 takes about half a minute here


def _positive_classes(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value < 1:
        raise DeriveError(f"--classes must be at least 1 (got {value})")
    if value > MAX_CLASSES:
        raise DeriveError(f"--classes must be at most {MAX_CLASSES} (got {value})")
    return value


def _positive_seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not value > 0:
        raise DeriveError(f"--time-limit must be a positive number of seconds (got {value:g})")
    return value


def _checking_options(command):
    """The options every command that checks a derivation shares."""
    options = [
        click.option(
            "--require",
            type=click.Choice(_STRENGTHS),
            default=None,
            help="Fail (exit 1) unless every step is established at least this strongly. Default: any step that holds.",
        ),
        click.option(
            "--time-limit",
            type=float,
            default=TIME_LIMIT,
            show_default=True,
            callback=_positive_seconds,
            metavar="SECONDS",
            help="Time for each step; a step not decided in time is 'undecided'.",
        ),
        click.option(
            "--format",
            "format_",
            type=click.Choice(("text", "latex", "markdown", "json")),
            default="text",
            show_default=True,
            help="text is the terminal view; latex, markdown and json are exports to paste or process.",
        ),
        click.option(
            "-o",
            "--output",
            # Opened before any checking, so that a path that cannot be written fails at once.
            type=click.File("w", encoding="utf-8", lazy=False),
            default=None,
            help="Write to this file instead of standard output.",
        ),
        click.option(
            "--fragment", is_flag=True, help="With --format latex: only the align* blocks, to paste into a paper."
        ),
        click.option("--debug", is_flag=True, help="Show every witness's finding, and full details of engine errors."),
        click.option(
            "--no-cache",
            "no_cache",
            is_flag=True,
            help="Check every step afresh: neither read nor write the cache of verdicts and results.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@dataclass(frozen=True)
class _Output:
    require: str | None
    time_limit: float
    format_: str
    output: object
    fragment: bool
    debug: bool
    cache: bool = True

    @property
    def terminal(self) -> bool:
        """The terminal view (styled lines), rather than an export's text."""
        return self.format_ == "text" and self.output is None

    def run_key(self, *subject) -> str | None:
        """The key under which this run's output is kept, or None with --no-cache."""
        if not self.cache:
            return None
        from derive import replay

        return replay.run_key(*subject, self.time_limit, self.format_, self.terminal, self.fragment, self.debug)


def _builtin_command(module: ModuleType) -> click.Command:
    name = module.NAME

    @click.command(
        name,
        help=f"{module.TITLE}\n\n{module.SUMMARY}\n\n\b\nExample:\n  derive {name} --classes 3 --require proved",
        short_help=module.SUMMARY,
        epilog="Exit status: 0 every step holds, 1 a step fails, is undecided or is weaker than --require, "
        "2 bad input, 3 engine error.",
    )
    @click.option(
        "--classes",
        type=int,
        default=4,
        show_default=True,
        callback=_positive_classes,
        metavar="K",
        help="The number of classes for the steps about one concrete K (K ≥ 1).",
    )
    @_checking_options
    @click.pass_context
    def command(
        ctx: click.Context, classes: int, require, time_limit, format_, output, fragment, debug, no_cache
    ) -> None:
        out = _Output(require, time_limit, format_, output, fragment, debug, not no_cache)
        if fragment and format_ != "latex":
            raise DeriveError("--fragment goes with --format latex")
        key = out.run_key("built-in", name, classes)
        replayed = _replay(key, out)
        if replayed is not None:
            ctx.exit(replayed)
        ctx.exit(_run(module.derivation(classes), out, key=key))

    return command


def _run(derivation, out: _Output, skipped=(), source: str | None = None, key: str | None = None) -> int:
    """Check one derivation, show it, keep what was shown under ``key`` (when there is one)
    for a later run to replay, and return the exit status it earns."""
    from derive import core

    try:
        checked = _check_with_progress(derivation, out.time_limit, out.cache)
    except core.VocabularyError as error:
        if out.debug:
            traceback.print_exc()
        raise DeriveError(_placed(error, derivation)) from None
    except core.EngineError as error:
        if out.debug:
            traceback.print_exc()
            click.echo(str(error), err=True)
            click.echo(getattr(error, "detail", ""), err=True)
        raise EngineFailure(_placed(error, derivation)) from None

    verdicts = [(v.status.value, v.strength.rank if v.strength else 0, v.label) for v in checked.verdicts]
    unread = sum(1 for item in skipped if item.unread)
    record = _shown(checked, out, skipped, source)
    _show(record, out)
    if key is not None and checked.all_hold:
        # Only a run where every step holds is kept: a failed step is checked afresh each
        # time, and an undecided one may be decided with more time or a quieter machine.
        from derive import replay

        later = _shown(checked.as_cached(), out, skipped, source)  # what a replay will show
        later["verdicts"] = verdicts
        later["unread"] = unread
        replay.store(key, later)
    return _exit_status(verdicts, out.require, unread)


def _shown(checked, out: _Output, skipped, source: str | None) -> dict:
    """What this run shows: the terminal view as lines of styled text, or an export's text."""
    from derive import core

    if out.terminal:
        from rich.text import Text

        from derive.render.terminal import DerivationView

        lines = list(DerivationView(checked, details=out.debug).lines())
        lines += [
            Text(
                f"  {_SKIP_LABELS.get(item.kind, 'skipped')} {item.place}: {item.reason}",
                style=_SKIP_STYLES.get(item.kind, "dim"),
            )
            for item in skipped
        ]
        if source is not None:
            failed = checked.count(core.Status.FAILS) + checked.count(core.Status.UNDECIDED)
            counts = f"{len(checked.verdicts)} checked, {_counts(skipped)}, {failed} failed or undecided"
            lines.append(Text(f"{source}: {counts}"))
        return {
            "lines": [[line.plain, [[span.start, span.end, str(span.style)] for span in line.spans]] for line in lines]
        }
    from derive.render.formats import export

    not_read = tuple((str(item.place), item.text, item.reason) for item in skipped)
    return {"text": export(checked, out.format_, fragment=out.fragment, not_read=not_read)}


def _show(record: dict, out: _Output) -> None:
    if "lines" in record:  # the terminal view, in colour where it can be
        from rich.text import Span, Text

        console = _Console()
        for plain, spans in record["lines"]:
            # A pipe gets lines as long as they are; a terminal wraps them to its width.
            console.print(Text(plain, spans=[Span(*span) for span in spans]), soft_wrap=not console.is_terminal)
        return
    text = record["text"]
    if out.output is None:
        click.echo(text, nl=False)
    else:
        try:
            out.output.write(text)
            out.output.close()
        except OSError as error:
            raise DeriveError(f"{out.output.name}: cannot write ({error.strerror})") from None


def _replay(key: str | None, out: _Output) -> int | None:
    """Show what an earlier run with the same input, options and derive showed, and return
    its exit status; None when there is no such run on record."""
    if key is None:
        return None
    from derive import replay

    record = replay.load(key)
    if record is None or ("lines" in record) != out.terminal:
        return None
    _show(record, out)
    return _exit_status(record["verdicts"], out.require, record.get("unread", 0))


_SKIP_LABELS = {"not read": "not read", "not an equality": "not checked"}
_SKIP_STYLES = {"not read": "yellow"}


def _counts(skipped) -> str:
    """What was not checked, by kind: "2 not read, 1 skipped by a directive, 1 not an equality"."""
    unread = sum(1 for item in skipped if item.unread)
    directive = sum(1 for item in skipped if item.kind == "skip directive")
    inequalities = sum(1 for item in skipped if item.kind == "not an equality")
    return f"{unread} not read, {directive} skipped by a directive, {inequalities} not an equality"


def _exit_status(verdicts: list[tuple[str, int, str]], require: str | None, unread: int = 0) -> int:
    """1 when a step fails or is undecided (or is weaker than --require asks); otherwise 2 when
    something could not be read (the user has that to fix); otherwise 0. Each verdict is
    (status, rank of its strength: 3 proved, 2 exact, 1 numeric, 0 none, label)."""
    if any(status != "holds" for status, _, _ in verdicts):
        return 1
    if require is not None:
        wanted = 3 - _STRENGTHS.index(require)
        weaker = [(n, label) for n, (_, rank, label) in enumerate(verdicts, start=1) if rank < wanted]
        if weaker:
            n, label = weaker[0]
            more = f" (and {len(weaker) - 1} more)" if len(weaker) > 1 else ""
            click.echo(f"derive: step {n} is {label}{more}, weaker than --require {require}", err=True)
            return 1
    return 2 if unread else 0


@cli.command("check")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--explain",
    is_flag=True,
    help="Show under every step the row as written and every choice made in reading it.",
)
@click.option(
    "--notation",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="A notation header's lines in a file of their own, for a document that cannot carry one.",
)
@_checking_options
def check_files(files, explain, notation, require, time_limit, format_, output, fragment, debug, no_cache) -> None:
    """Check the derivation written in each FILE (Markdown, LaTeX or a Jupyter notebook).

    Every equation chain is checked link by link; the notation header and the derive:
    directives (comments that do not render) say what the letters mean and which case
    and hypotheses a step assumes. Several files, or a quoted glob, in one run.

    \b
    Examples:
      derive check notes.md
      derive check "posts/*.md" --require proved
      derive check notebook.ipynb --format json -o checked.json
      derive check someone-elses-post.md --notation post-header.txt
    """
    import glob
    import hashlib

    if fragment and format_ != "latex":
        raise DeriveError("--fragment goes with --format latex")
    paths: list[str] = []
    for pattern in files:
        # A file that exists is the file meant, even if its name looks like a glob (g/a[1].md).
        globbed = any(ch in pattern for ch in "*?[") and not Path(pattern).exists()
        matches = sorted(glob.glob(pattern)) if globbed else [pattern]
        if not matches:
            raise DeriveError(f"{pattern}: no file matches")
        paths += matches
    if format_ != "text" and len(paths) > 1:
        raise DeriveError(f"--format {format_} exports one file at a time ({len(paths)} given)")
    out = _Output(require, time_limit, format_, output, fragment, debug, not no_cache)
    notation_digest = ""
    if notation is not None:
        try:
            notation_digest = hashlib.sha256(Path(notation).read_bytes()).hexdigest()
        except OSError:
            notation_digest = None  # no cache; the reader says what is wrong with it
    worst = 0
    for path in paths:
        try:
            # Read once: the bytes hashed for the key are the bytes checked, even if the file
            # is saved again while derive runs.
            data = Path(path).read_bytes()
        except OSError:
            data = None  # the reader says what is wrong with it
        key = _file_key(out, path, data, explain, notation_digest) if data is not None else None
        replayed = _replay(key, out)
        if replayed is not None:
            worst = max(worst, replayed)
            continue
        from derive.core import VocabularyError
        from derive.read.derivation import read_derivation
        from derive.read.source import SourceError

        try:
            derivation, skipped = read_derivation(path, data, notation, explain)
            if not derivation.steps:
                unread = [item for item in skipped if item.unread]
                for item in unread:
                    click.echo(f"derive: {item.place}: {item.reason}", err=True)
                click.echo(
                    f"derive: {path}: no step to check ({_counts(skipped)}); exit 0 needs a checked step", err=True
                )
                worst = max(worst, 2 if unread else 1)
                continue
            status = _run(derivation, out, skipped, source=path, key=key)
        except SourceError as error:
            click.echo(f"derive: {error}", err=True)
            status = 2
        except VocabularyError as error:  # a reader that could not say where: say which file
            click.echo(f"derive: {path}: {_one_line(error)}", err=True)
            status = 2
        except click.ClickException as error:
            error.show()
            status = error.exit_code
        worst = max(worst, status)
    sys.exit(worst)


def _file_key(out: _Output, path: str, data: bytes, explain: bool, notation_digest: str | None) -> str | None:
    """The key a run on this file is kept under: its bytes, --explain, the notation file, and
    every file a LaTeX document \\inputs (a cached run must not outlive an edit of one). None
    (no cache) when one of them cannot be read."""
    import hashlib

    from derive.read.source import SourceError, included_files

    if notation_digest is None:
        return None
    digests = []
    if Path(path).suffix.lower() in (".tex", ".latex"):  # only LaTeX documents include files
        try:
            digests = [hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in included_files(path, data)]
        except (SourceError, OSError, ValueError):
            return None
    return out.run_key("file", path, hashlib.sha256(data).hexdigest(), explain, notation_digest, *digests)


def _placed(error: BaseException, derivation) -> str:
    """The error in one line, after the place of the step it is about when the core said
    which step and the step was read from a file."""
    number = getattr(error, "step_index", None)
    where = derivation.steps[number].where if number is not None else ""
    return f"{where}: {_one_line(error)}" if where else _one_line(error)


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class _Progress:
    """A transient progress bar on stderr, shown only on a terminal and only once the check
    has taken longer than :data:`PROGRESS_DELAY`."""

    def __init__(self, total: int):
        self.console = Console(stderr=True)
        self.total = total
        self.done = 0
        self.bar = None
        self.task = None
        self.lock = threading.Lock()
        self.finished = False
        self.timer = threading.Timer(PROGRESS_DELAY, self._start)
        self.timer.daemon = True

    def __enter__(self) -> _Progress:
        if self.console.is_terminal:
            self.timer.start()
        return self

    def _start(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self.lock:
            if self.finished:
                return
            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("checking steps"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.task = self.bar.add_task("check", total=self.total, completed=self.done)
            self.bar.start()

    def step_done(self, index: int) -> None:
        with self.lock:
            self.done += 1
            if self.bar is not None:
                self.bar.update(self.task, completed=self.done)

    def __exit__(self, *exc) -> None:
        self.timer.cancel()
        with self.lock:
            self.finished = True
            if self.bar is not None:
                self.bar.stop()


def _check_with_progress(derivation, time_limit: float, use_cache: bool):
    from derive import core, replay

    cache = core.VerdictCache(replay.cache_folder()) if use_cache else None
    with _Progress(len(derivation.steps)) as progress:
        checked = core.check_derivation(derivation, time_limit=time_limit, on_step_done=progress.step_done, cache=cache)
    return checked


def main() -> None:
    """The console script ``derive``."""
    import os

    try:
        cli.main(prog_name="derive")
    except BrokenPipeError:
        _reader_gone()  # derive ... | head: nothing more to say
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if "sympy" not in sys.modules:
            raise
        # Everything is said and every worker stopped: leave without tearing down SymPy's
        # hundreds of thousands of cached objects one by one, which takes a good part of a
        # second. Output is flushed first; a stream that cannot be is a reader gone away.
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            _reader_gone()
        os._exit(code)
