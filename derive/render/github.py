"""A checked derivation as GitHub Actions workflow commands: one annotation per failed,
undecided or unread step, on the file and line the author wrote it, so that a pull request
shows the verdict beside the line. The syntax and its escaping are GitHub's
(``::error file=F,line=L,col=C,title=T::message``; in values % CR LF are escaped, and in
properties : and , too)."""

from __future__ import annotations

from derive.core import CheckedDerivation, Status

from .json_export import as_data, place_fields

__all__ = ["GithubExport", "not_checked"]


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, place: dict, title: str, message: str) -> str:
    properties = [f"file={_property(place['file'])}"] if place["file"] is not None else []
    if place.get("cell") is not None:
        title += f" (cell {place['cell']})"  # a line within a cell is no line of the notebook's file
    elif place["line"] is not None:
        properties += [f"line={place['line']}", f"col={place['column']}"]
    properties.append(f"title={_property(title)}")
    return f"::{level} {','.join(properties)}::{_data(message)}"


class GithubExport:
    def render(self, checked: CheckedDerivation, not_read=()) -> str:
        data = as_data(checked, not_read)
        lines = []
        for step in data["steps"]:
            if step["verdict"] == Status.HOLDS.value:
                continue
            message = f"{step['text']}: {step['reason'] or step['label']}"
            if step["counterexample"] is not None:
                message += f"; counterexample: {step['counterexample']['text']}"
            level = "error" if step["verdict"] == Status.FAILS.value else "warning"
            lines.append(_command(level, step, f"derive: step {step['index']} {step['label']}", message))
        for item in data["not_read"]:
            lines.append(_command("warning", item, "derive: not checked", f"{item['source']}: {item['reason']}"))
        # never a workflow command of its own: a file named "::stop-commands::x.md" would be one
        lines.append("derive: " + _data(f"{data['derivation']}: {data['summary']['text']}"))
        return "\n".join(lines) + "\n"


def not_checked(file: str, unread: list[tuple[str, str]], problem: str) -> str:
    """A file derive checked nothing of: a warning for each place (``where``, reason) it did
    not read, and the error that it stopped on or that nothing was left to check, so that CI
    shows them beside the lines too, not only in the log."""
    lines = [_command("warning", place_fields(where), "derive: not checked", reason) for where, reason in unread]
    place = place_fields(problem.split(": ", 1)[0])  # "notes.md:4:1: softmax: ..." names its place
    if place["file"] is None:
        place = {"file": file, "line": None, "column": None}
    lines.append(_command("error", place, "derive: nothing checked", problem))
    return "\n".join(lines) + "\n"
