"""The commands of cemeteries, graves and initial burials: ``cemeteries import``,
``graves import``, ``graves count`` and ``burials import``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli_support import JsonFlag, open_context, print_json, report_import

if TYPE_CHECKING:
    from usecases.graves import FileImport


cemeteries_app = typer.Typer(help="Martyrs' cemeteries.", no_args_is_help=True)
graves_app = typer.Typer(help="Graves in the cemeteries, and their count.", no_args_is_help=True)
burials_app = typer.Typer(help="Initial burials (an táng ban đầu).", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(
    help=".jsonl (one JSON object a line), .csv or .xlsx (first sheet; contract or Vietnamese headers).")]
Importer = Callable[..., "FileImport"]


def _run_import(importer: Importer, file: Path, what: str, as_json: bool) -> None:
    """Import a file, report what it did and each refused row; exit 1 if any was refused."""
    with open_context() as context:
        report = importer(file, sessions=context.resources.sessions, actor="cli",
                          max_bytes=context.settings.max_import_bytes)
        context.resources.publish_changes()  # catch the search index up when no server is doing it
    report_import({"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
                  f"Imported {file}: {report.created} {what} created, {report.updated} updated, "
                  f"{report.unchanged} unchanged, {len(report.problems)} refused.",
                  report.problems, report.ignored_columns, as_json=as_json)


@cemeteries_app.command("import")
def cemeteries_import(file: FileArgument, as_json: JsonFlag = False) -> None:
    """Import cemeteries: good rows stored, each bad row reported with its number (exit 1)."""
    from usecases.graves import import_cemetery_file

    _run_import(import_cemetery_file, file, "cemeteries", as_json)


@graves_app.command("import")
def graves_import(file: FileArgument, as_json: JsonFlag = False) -> None:
    """Import graves: good rows stored, each bad row reported with its number (exit 1).

    A position written in one cell (``lô 3, hàng 4, mộ số 12``) is read into its parts.
    """
    from usecases.graves import import_grave_file

    _run_import(import_grave_file, file, "graves", as_json)


@burials_app.command("import")
def burials_import(file: FileArgument, as_json: JsonFlag = False) -> None:
    """Import initial burials: good rows stored, each bad row reported with its number (exit 1)."""
    from usecases.graves import import_burial_file

    _run_import(import_burial_file, file, "burials", as_json)


@graves_app.command("count")
def graves_count(
    province: Annotated[str | None, typer.Option(help="Only this province (with or without marks).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """The count ("kiểm đếm"): each cemetery's graves by status, with the graves whose stone
    disagrees with the linked person record, and each province's totals."""
    from usecases.graves import grave_counts

    with open_context() as context:
        data = grave_counts(sessions=context.resources.sessions, province=province)
    if as_json:
        print_json(data)
        return
    typer.echo(f"{'cemetery':<40} {'named':>7} {'unident.':>8} {'partial':>7} {'no rem.':>7} "
               f"{'total':>7} {'disagr.':>7}")
    for entry in data["cemeteries"]:
        typer.echo(_line(f"{entry['name'][:40]}", entry))
    for entry in data["provinces"]:
        typer.echo(_line(f"= {(entry['province'] or '(no province)')[:38]}", entry))
    typer.echo(_line("= all", data["total"]))


def _line(label: str, entry: dict[str, Any]) -> str:
    counts = entry["counts"]
    return (f"{label:<40} {counts['named']:>7} {counts['unidentified']:>8} {counts['partial']:>7} "
            f"{counts['named_no_remains']:>7} {counts['total']:>7} {entry['disagreeing']:>7}")
