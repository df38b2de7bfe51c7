"""The ``derive`` command: thin Click commands around the core, with no mathematics.

Exit codes: 0 every step holds (as strongly as ``--require`` asks), 1 some step fails, is
undecided or is weaker than required, 2 bad usage or input (or a block not read), 3 an engine
error (the core's witnesses disagree, or any other bug in derive: never a verdict), 130
interrupted (Ctrl-C), 141 standard output's reader went away (derive ... | head).
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

_EXIT_STATUS = (
    "Exit status: 0 every step holds, 1 a step fails or is undecided (or weaker than --require), "
    "2 bad usage or input, or a block not read, 3 engine error, 130 interrupted, 141 output closed."
)
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


class Interrupted(click.ClickException):
    """Ctrl-C: exit status 130, as a shell reports a command ended by SIGINT."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("interrupted")

    def show(self, file=None) -> None:
        click.echo("derive: interrupted", err=True)


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
    use; and every way a command ends is one of the documented exit codes, never a traceback."""

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

    def invoke(self, ctx: click.Context):
        # Click turns Ctrl-C into "Aborted!" with exit 1 and a closed pipe into exit 1, both
        # of which read as "a step fails"; and it lets any other exception through as a
        # traceback. Every way a command can end is one of the documented exit codes.
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise Interrupted() from None
        except BrokenPipeError:
            _reader_gone()
        except RecursionError:
            raise DeriveError("the input is nested too deeply to read") from None
        except MemoryError:
            raise EngineFailure("out of memory") from None
        except Exception as error:  # a bug in derive: one line, and the trace with --debug
            if "--debug" in sys.argv:
                traceback.print_exc()
            raise EngineFailure(
                f"internal error ({type(error).__name__}: {_one_line(error)}); please report it"
            ) from None


@click.group(
    cls=_DeriveGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=_EXIT_STATUS,
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: _show_version(ctx, value),
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Check every step of a hand-written ML derivation with SymPy.

    Each step is checked on its own and labelled with what was established: proved for
    all K, exact for K ≤ n, numeric only, fails (with a counterexample) or undecided.

    \b
    Examples:
      derive list
      derive softmax-jacobian
      derive ce-grad --classes 3 --require proved
    """
    if ctx.invoked_subcommand is None:  # plain `derive`: the help, and success
        click.echo(ctx.get_help())
        ctx.exit(0)


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


@cli.command("schema")
def print_schema() -> None:
    """Print the JSON Schema of --format json (the file shipped in the package; every export
    names it by its $id in "$schema")."""
    from importlib.resources import files

    click.echo(files("derive.render").joinpath("check.schema.json").read_text(encoding="utf-8"), nl=False)


MAX_CLASSES = 16  # a K×K Jacobian is K² claims; 16 takes about half a minute here


def _positive_classes(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value < 1:
        raise DeriveError(f"--classes must be at least 1 (got {value})")
    if value > MAX_CLASSES:
        raise DeriveError(f"--classes must be at most {MAX_CLASSES} (got {value})")
    return value


MAX_TIME_LIMIT = 86_400.0  # a day for one step: beyond it the operating system's timers overflow


def _positive_seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not value > 0:
        raise DeriveError(f"--time-limit must be a positive number of seconds (got {value:g})")
    if value > MAX_TIME_LIMIT:
        raise DeriveError(f"--time-limit must be at most {MAX_TIME_LIMIT:g} seconds, a day (got {value:g})")
    return value


# Options that derive check and derive watch share, defined once.
time_limit_option = click.option(
    "--time-limit",
    type=float,
    default=TIME_LIMIT,
    show_default=True,
    callback=_positive_seconds,
    metavar="SECONDS",
    help="Time for each step; a step not decided in time is 'undecided'.",
)
explain_option = click.option(
    "--explain",
    is_flag=True,
    help="Show under every step the row as written and every choice made in reading it.",
)


def notation_option(help: str):
    return click.option("--notation", type=click.Path(dir_okay=False), default=None, metavar="FILE", help=help)


def _checking_options(command):
    """The options every command that checks a derivation shares."""
    options = [
        click.option(
            "--require",
            type=click.Choice(_STRENGTHS),
            default=None,
            help="Fail (exit 1) unless every step is established at least this strongly. Default: any step that holds.",
        ),
        time_limit_option,
        click.option(
            "--format",
            "format_",
            # derive.render.formats.FORMATS, written out so that --help need not import SymPy
            type=click.Choice(("text", "latex", "markdown", "json", "github", "html")),
            default="text",
            show_default=True,
            help="text is the terminal view; latex, markdown and json are exports to paste or process;"
            " html is one self-contained page (MathML, no script);"
            " github prints GitHub Actions annotations for failed, undecided and unread steps.",
        ),
        click.option(
            "-o",
            "--output",
            # Opened by the command before any checking (a path that cannot be written fails
            # at once), once it is known not to be a file being checked.
            type=click.Path(dir_okay=False, allow_dash=True),
            default=None,
            help="Write to this file instead of standard output ('-': standard output).",
        ),
        click.option(
            "--fragment",
            is_flag=True,
            help="With --format latex: no preamble, every change grouped, to paste into a paper.",
        ),
        click.option("--debug", is_flag=True, help="Show every witness's finding, and full details of engine errors."),
        click.option(
            "--no-cache",
            "no_cache",
            is_flag=True,
            help="Check every step afresh: neither read nor write the cache of verdicts and results.",
        ),
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            help="The terminal view shows only what needs attention: failed, undecided and unread steps, and the summary.",
        ),
        click.option(
            "--color/--no-color",
            "color",
            default=None,
            help="Colour and styles in the terminal view. Default: on a terminal only, and never when NO_COLOR is set.",
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
    quiet: bool = False
    color: bool | None = None  # None: rich decides (a terminal gets styles, a pipe or NO_COLOR none)
    document: tuple | None = None  # --annotate: the bytes read and the input format of the file copied

    @property
    def terminal(self) -> bool:
        """The terminal view (styled lines), rather than an export's text."""
        return self.format_ == "text" and self.output is None

    def run_key(self, *subject) -> str | None:
        """The key under which this run's output is kept, or None with --no-cache."""
        if not self.cache:
            return None
        from derive import replay

        return replay.run_key(
            *subject, self.time_limit, self.format_, self.terminal, self.fragment, self.debug, self.quiet
        )

    def console(self, stderr: bool = False) -> Console:
        if self.color is None:
            return _Console(stderr=stderr)
        # --color: styles even in a pipe; --no-color: none even on a terminal (or NO_COLOR).
        return _Console(
            stderr=stderr,
            force_terminal=self.color,
            no_color=not self.color,
            color_system="auto" if self.color else None,
        )


def _opened(ctx: click.Context, output: str | None, inputs=()):
    """The -o file, opened for writing now (closed by Click when the command ends; '-' is
    standard output); never one of the files to be checked, which opening would empty."""
    import os

    if output is None:
        return None
    if output != _STDIN:
        for path in inputs:
            try:
                same = path != _STDIN and os.path.samefile(path, output)
            except OSError:
                same = False  # one of them does not exist: not the same file
            if same:
                raise DeriveError(f"{output}: -o names a file being checked (it would be emptied)")
    try:
        return ctx.with_resource(click.open_file(output, "w", encoding="utf-8", lazy=False))
    except OSError as error:
        raise DeriveError(f"{output}: cannot write ({error.strerror})") from None


def _builtin_command(module: ModuleType) -> click.Command:
    name = module.NAME

    @click.command(
        name,
        help=f"{module.TITLE}\n\n{module.SUMMARY}\n\n\b\nExample:\n  derive {name} --classes 3 --require proved",
        short_help=module.SUMMARY,
        epilog=_EXIT_STATUS,
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
        ctx: click.Context, classes: int, require, time_limit, format_, output, fragment, debug, no_cache, quiet, color
    ) -> None:
        out = _Output(require, time_limit, format_, _opened(ctx, output), fragment, debug, not no_cache, quiet, color)
        if fragment and format_ != "latex":
            raise DeriveError("--fragment goes with --format latex")
        key = out.run_key("built-in", name, classes)
        status = _replay(key, out)
        if status is None:
            status = _run(module.derivation(classes), out, key=key)
        _keep_cache_small(out)
        ctx.exit(status)

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

        shown = [
            Text(
                f"  {_SKIP_LABELS.get(item.kind, 'skipped')} {item.place}: "
                + (f"{item.text} ({item.reason})" if item.kind == "inferred" else item.reason),
                style=_SKIP_STYLES.get(item.kind, "dim"),
            )
            for item in skipped
            if item.unread or not out.quiet
        ]
        inferred = [
            line
            for line, item in zip(shown, (i for i in skipped if i.unread or not out.quiet))
            if item.kind == "inferred"
        ]
        lines = inferred + list(DerivationView(checked, details=out.debug, only_problems=out.quiet).lines())
        lines += [line for line in shown if line not in inferred]
        if source is not None:
            failed = checked.count(core.Status.FAILS) + checked.count(core.Status.UNDECIDED)
            counts = f"{len(checked.verdicts)} checked, {_counts(skipped)}, {failed} failed or undecided"
            unread = any(item.unread for item in skipped)
            lines.append(Text(f"{source}: {counts}", style="bold red" if failed else "yellow" if unread else "green"))
        # Each line's own style (a title, a heading, a summary) and the styles of its spans:
        # a replay must look like the run it replays.
        return {
            "lines": [
                [line.plain, [[span.start, span.end, str(span.style)] for span in line.spans], str(line.style or "")]
                for line in lines
            ]
        }
    from derive.read.derivation import unchecked
    from derive.render.formats import export

    not_read = unchecked(skipped)
    if out.format_ == "annotate":
        return {"text": _annotated(out, source, checked, not_read)}
    return {"text": export(checked, out.format_, fragment=out.fragment, not_read=not_read)}


def _annotated(out: _Output, name: str, checked, not_read, problem: str | None = None) -> str | None:
    """--annotate: the document read, with a mark after each piece of mathematics (None: not
    text a copy can be made of)."""
    from derive.render.annotate import AnnotateError, annotated, annotated_unchecked

    data, input_format = out.document
    try:
        if checked is None:
            return annotated_unchecked(data, name, input_format, not_read, problem or "")
        return annotated(data, name, input_format, checked, not_read)
    except AnnotateError as error:
        raise DeriveError(_one_text_line(str(error))) from None


def _show(record: dict, out: _Output) -> None:
    if "lines" in record:  # the terminal view, in colour where it can be
        from rich.text import Span, Text

        console = out.console()
        for plain, spans, style in record["lines"]:
            # A pipe gets lines as long as they are; a terminal wraps them to its width.
            line = Text(plain, style=style, spans=[Span(*span) for span in spans])
            console.print(line, soft_wrap=not console.is_terminal)
        return
    text = record["text"]
    if out.output is None:
        click.echo(text, nl=False)
    else:
        # Click closes the file when the command ends (several files may be written to it
        # first), and never closes standard output ('-o -').
        try:
            out.output.write(text)
            out.output.flush()
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


_SKIP_LABELS = {
    "not read": "not read",
    "not an equality": "not checked",
    "case": "case",
    "definition": "definition",
    "inferred": "inferred",
}
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
@explain_option
@notation_option("A notation header's lines in a file of their own, for a document that cannot carry one.")
@click.option(
    "--input-format",
    type=click.Choice(("md", "tex", "ipynb")),
    default=None,
    help="Read every FILE as Markdown, LaTeX or a notebook. Default: by the file's suffix; md for standard input.",
)
@click.option(
    "--marked-only",
    is_flag=True,
    help="Pass over (exit 0) a file with no derive header and no derive: directive: for hooks run on every .md file.",
)
@click.option(
    "--annotate",
    is_flag=True,
    help="Write FILE itself (to -o, or standard output) with derive's verdict after each piece of mathematics,"
    " and why what was not checked was not; every line it adds ends with a derive-annotate comment.",
)
@_checking_options
@click.pass_context
def check_files(
    ctx: click.Context,
    files,
    explain,
    notation,
    input_format,
    marked_only,
    annotate,
    require,
    time_limit,
    format_,
    output,
    fragment,
    debug,
    no_cache,
    quiet,
    color,
) -> None:
    """Check the derivation written in each FILE (Markdown, LaTeX or a Jupyter notebook;
    '-' for standard input).

    Every equation chain is checked link by link; the notation header and the derive:
    directives (comments that do not render) say what the letters mean and which case
    and hypotheses a step assumes. Several files, or a quoted glob ('**' for every
    folder below), in one run.

    \b
    Examples:
      derive check notes.md
      derive check "posts/**/*.md" --require proved
      derive check notebook.ipynb --format json -o checked.json
      derive check someone-elses-post.md --notation post-header.txt
      pandoc notes.docx -t markdown | derive check -
      derive check notes.md --annotate -o notes.checked.md
    """
    import hashlib

    if fragment and format_ != "latex":
        raise DeriveError("--fragment goes with --format latex")
    paths = _expanded(files)
    if annotate:  # the copy is the document itself: of one file, and instead of any other view
        if format_ != "text":
            raise DeriveError(f"--annotate writes the document itself: it goes without --format {format_}")
        if len(paths) > 1:
            raise DeriveError(f"--annotate writes the copy of one file at a time ({len(paths)} given)")
        format_ = "annotate"
    if format_ not in ("text", "github") and len(paths) > 1:  # annotations of several files add up
        raise DeriveError(f"--format {format_} exports one file at a time ({len(paths)} given)")
    out = _Output(
        require, time_limit, format_, _opened(ctx, output, paths), fragment, debug, not no_cache, quiet, color
    )
    notation_digest, notation_data = "", None
    if notation is not None:
        try:
            # Read once, for every file: the bytes hashed for the key are the bytes read.
            notation_data = Path(notation).read_bytes()
            notation_digest = hashlib.sha256(notation_data).hexdigest()
        except OSError:
            notation_digest = None  # no cache; the reader says what is wrong with it
    worst = 0
    for path in paths:
        fmt = input_format or ("md" if path == _STDIN else None)
        try:
            # Read once: the bytes hashed for the key are the bytes checked, even if the file
            # is saved again while derive runs.
            data = _standard_input() if path == _STDIN else Path(path).read_bytes()
        except OSError:
            data = None  # the reader says what is wrong with it
        if annotate:
            from dataclasses import replace

            out = replace(out, document=(data, fmt))
        if marked_only and notation is None and data is not None and not _marked(path, data, fmt):
            click.echo(f"derive: {path}: no derive header or directive, passed over (--marked-only)", err=True)
            continue
        key = _file_key(out, path, data, explain, notation_digest, fmt) if data is not None else None
        replayed = _replay(key, out)
        if replayed is None:
            keyed = (out, path, data, explain, notation_digest, fmt) if key is not None else None
            replayed = _check_one(path, data, fmt, notation, notation_data, explain, out, keyed)
        worst = _worse(worst, replayed)
    _keep_cache_small(out)
    ctx.exit(worst)


def _keep_cache_small(out: _Output) -> None:
    """Prune the cache's least recently used entries when it is over its size cap (measured
    at most once a minute; never an error: the run's own exit status is what counts)."""
    if out.cache:
        from derive.cache_admin import keep_within_cap

        keep_within_cap()


def _worse(status: int, other: int) -> int:
    """The exit status of several files: an engine error, then a failed step, then something
    not read, as within one file (a failed step is what the user must see first)."""
    rank = {0: 0, 2: 1, 1: 2, 3: 3}
    return max(status, other, key=lambda code: rank.get(code, 4))


def _marked(path: str, data: bytes, input_format: str | None) -> bool:
    """Whether the file has a notation header or a derive: directive (unreadable: it is, so
    that the reader says what is wrong with it)."""
    from derive.read.source import Directive, Header, SourceError, read_source

    try:
        events = read_source("<stdin>" if path == _STDIN else path, data, input_format=input_format)
    except SourceError:
        return True
    return any(isinstance(event, (Header, Directive)) for event in events)


_STDIN = "-"


def _expanded(patterns) -> list[str]:
    """The files named, in order, each once: a quoted glob is expanded here ('**' matches
    every folder below), '-' is standard input (once)."""

    paths: list[str] = []
    for pattern in patterns:
        if not pattern:
            raise DeriveError("'': an empty file name")
        # A file that exists is the file meant, even if its name looks like a glob (g/a[1].md).
        globbed = pattern != _STDIN and any(ch in pattern for ch in "*?[") and not Path(pattern).exists()
        matches = _glob(pattern) if globbed else [pattern]
        if not matches:
            raise DeriveError(f"{pattern}: no file matches")
        paths += [match for match in matches if match not in paths]
    return paths


def _standard_input() -> bytes:
    if sys.stdin is None:  # started with standard input closed (derive check - <&-)
        raise DeriveError("-: standard input is closed")
    return sys.stdin.buffer.read()


def _glob(pattern: str) -> list[str]:
    """The files a glob matches, sorted, each once. '**' never follows a link to a folder
    (glob.glob does, and a link to a parent folder makes it run for ever), and names that begin
    with a dot match only where the pattern spells the dot, as in a shell."""
    import os

    path = Path(pattern)
    root = Path(path.anchor) if path.is_absolute() else Path()
    relative = path.relative_to(path.anchor) if path.is_absolute() else path
    found, seen = [], set()
    for match in root.glob(str(relative)):
        parts = match.relative_to(root).parts
        hidden = any(part.startswith(".") and part not in relative.parts for part in parts)
        if hidden or not match.is_file() or os.path.realpath(match) in seen:
            continue
        seen.add(os.path.realpath(match))
        found.append(str(match))
    return sorted(found)


def _check_one(
    path: str, data: bytes | None, input_format: str | None, notation, notation_data, explain: bool, out, keyed
) -> int:
    """Read and check one file, show it, and return the exit status it earns. ``keyed``: the
    parts of its cache key but the included files' (None: no cache), completed with the
    digests of the very bytes read, so that a file saved meanwhile is never kept under the
    key of what it was before."""
    from derive.core import VocabularyError
    from derive.read.derivation import read_derivation, unchecked
    from derive.read.source import SourceError

    name = "<stdin>" if path == _STDIN else path
    read: list = []
    try:
        derivation, skipped = read_derivation(
            name, data, notation, explain, input_format=input_format, read=read, notation_data=notation_data
        )
        key = _key_of(*keyed, [digest for _, digest in read[1:]]) if keyed is not None else None
        if not derivation.steps:
            unread = [item for item in skipped if item.unread]
            for item in unread:
                click.echo(_one_text_line(f"derive: {item.place}: {item.reason}"), err=True)
            problem = f"{name}: no step to check ({_counts(skipped)}); exit 0 needs a checked step"
            click.echo(_one_text_line(f"derive: {problem}"), err=True)
            unread_places = [(str(item.place), item.reason) for item in unread]
            _annotate_not_checked(out, name, unread_places, problem, unchecked(skipped))
            return 2
        return _run(derivation, out, skipped, source=name, key=key)
    except SourceError as error:
        click.echo(_one_text_line(f"derive: {error}"), err=True)
        _annotate_not_checked(out, name, [], str(error))
        return 2
    except VocabularyError as error:  # a reader that could not say where: say which file
        click.echo(f"derive: {name}: {_one_line(error)}", err=True)
        return 2
    except click.ClickException as error:
        error.show()
        return error.exit_code


def _annotate_not_checked(
    out: _Output, name: str, unread: list[tuple[str, str]], problem: str, not_read: tuple = ()
) -> None:
    """With --format github, a file derive checked nothing of gets annotations too; with
    --annotate, its copy marks what was not checked and says nothing was."""
    if out.format_ == "github":
        from derive.render.github import not_checked

        _show({"text": not_checked(name, unread, problem)}, out)
    if out.format_ == "annotate" and out.document is not None and out.document[0] is not None:
        text = _annotated(out, name, None, not_read, problem)
        if text is not None:
            _show({"text": text}, out)


def _file_key(
    out: _Output, path: str, data: bytes, explain: bool, notation_digest: str | None, input_format: str | None
) -> str | None:
    """The key a run on this file is looked up under: its bytes, --explain, the notation file,
    and every file a LaTeX document \\inputs as they are now (a cached run must not outlive an
    edit of one). None (no cache) when one of them cannot be read."""
    from derive.read.source import SourceError, read_source

    if notation_digest is None:
        return None
    read: list = []
    if input_format == "tex" or (input_format is None and Path(path).suffix.lower() in (".tex", ".latex")):
        # Only LaTeX documents include files.
        try:
            read_source(path, data, read, input_format)
        except (SourceError, OSError, ValueError):
            return None
    return _key_of(out, path, data, explain, notation_digest, input_format, [digest for _, digest in read[1:]])


def _key_of(out: _Output, path, data: bytes, explain, notation_digest, input_format, included: list) -> str | None:
    """The key of a run on this file given the digests of the files it includes."""
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    return out.run_key("file", path, digest, input_format, explain, notation_digest, *included)


def _placed(error: BaseException, derivation) -> str:
    """The error in one line, after the place of the step it is about when the core said
    which step and the step was read from a file."""
    number = getattr(error, "step_index", None)
    where = derivation.steps[number].where if number is not None else ""
    return f"{where}: {_one_line(error)}" if where else _one_line(error)


def _one_text_line(text: str) -> str:
    """A message of one line, whatever a file's name holds: a line break in it would start a
    line of its own, which CI may read as a command (GitHub reads "::error ..." on stderr too)."""
    return " ".join(text.splitlines())


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
