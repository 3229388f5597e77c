"""The commands of source lists, linkage and leads: ``lists import``, ``lists show``,
``link``, ``link export`` and ``leads``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli_support import JsonFlag, open_context, print_json, progress_bar, report_import

lists_app = typer.Typer(help="Source lists of martyrs (rosters, provincial lists, registers).",
                        no_args_is_help=True)
link_app = typer.Typer(help="Join one martyr's copies across lists, person records and graves.",
                       invoke_without_command=True)
EngineOption = Annotated[str, typer.Option(
    "--engine", help="duckdb (in this process) or spark (local mode, or the cluster Spark is given).")]


@lists_app.command("import")
def lists_import(
    file: Annotated[Path, typer.Argument(help=".jsonl (Person JSON a line), .csv or .xlsx (first sheet; "
                                              "headers such as Họ và tên, Năm sinh, Nguyên quán, Đơn vị).")],
    source: Annotated[str, typer.Option("--source", help="The list's name; importing it again replaces it.")],
    as_json: JsonFlag = False,
) -> None:
    """Import a list: each row an entry with its source, row number and raw text; each row
    that names nobody reported with its number (exit 1)."""
    from usecases.lists import import_list_file

    with open_context() as context:
        report = import_list_file(file, source, sessions=context.resources.sessions, actor="cli",
                                  max_bytes=context.settings.max_import_bytes)
    report_import({"source": report.source, "entries": report.entries, "replaced": report.replaced},
                  f"List {report.source!r} from {file}: {report.entries} entries "
                  f"(replacing {report.replaced}), {len(report.problems)} rows refused.",
                  report.problems, report.ignored_columns, as_json=as_json)


@lists_app.command("show")
def lists_show(as_json: JsonFlag = False) -> None:
    """The lists imported: name, file, entries, who imported them and when."""
    from usecases.lists import source_lists

    with open_context() as context:
        found = source_lists(sessions=context.resources.sessions)
    if as_json:
        print_json({"lists": found})
        return
    for entry in found:
        typer.echo(f"{entry['source']:<30} {entry['entries']:>9} entries  {entry['file']}  "
                   f"({entry['imported_by']}, {entry['imported_at'][:19]})")


#: What the progress bar says of each step of a linkage run.
_LINK_STEPS = {"reading": "Reading the records", "training": "Training the model",
               "scoring": "Scoring pairs (chunks)", "clustering": "Joining clusters",
               "storing": "Storing clusters and the review queue"}


@link_app.callback()
def link(ctx: typer.Context, engine: EngineOption = "duckdb", as_json: JsonFlag = False) -> None:
    """Score pairs among list entries, person records and graves with a name; join those above
    the automatic threshold into clusters; put the uncertain ones up for review."""
    if ctx.invoked_subcommand is not None:
        return
    from decoder.errors import InvalidInputError
    from linkage.engines import ENGINES
    from usecases.linkage import run_linkage

    if engine not in ENGINES:
        raise InvalidInputError(f"Unknown engine {engine!r}; use {' or '.join(ENGINES)}.")
    with open_context() as context, progress_bar() as bar:
        task = bar.add_task("Linking", total=None)

        def show(step: str, done: int, total: int) -> None:
            bar.update(task, description=_LINK_STEPS.get(step, step), completed=done, total=total or None)

        run = run_linkage(sessions=context.resources.sessions, engine=engine, actor="cli", progress=show)
    if as_json:
        print_json(vars(run))
        return
    typer.echo(f"{run.records} records, {run.pairs} pairs scored: {run.joined} joined automatically, "
               f"{run.clusters} clusters, {run.review} pairs for review"
               + (f", {run.conflicts} decisions that contradict others" if run.conflicts else "") + ".")


@link_app.command("export")
def link_export(as_json: JsonFlag = False) -> None:
    """Every cluster with its members (each record in exactly one), and how many pairs wait."""
    from usecases.linkage import export_clusters

    with open_context() as context:
        data = export_clusters(sessions=context.resources.sessions)
    if as_json:
        print_json(data)
        return
    for cluster in data["clusters"]:
        members = ", ".join(f"{m['source']}:{m['row']}" if m["kind"] == "entry" else f"{m['kind']}:{m['id']}"
                            for m in cluster["members"])
        typer.echo(f"{cluster['id']}  {members}")
    typer.echo(f"{len(data['clusters'])} clusters; {data['review']} pairs wait for review.")


def leads(
    person_id: Annotated[str, typer.Argument(help="The person record's id.")],
    limit: Annotated[int, typer.Option(min=1, max=200, help="At most this many graves.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Where to search for a martyr and which unidentified or partial graves may hold him:
    his candidate units, the search areas with weights and reasons, the graves best first."""
    from usecases.leads import person_leads

    with open_context() as context:
        found = person_leads(person_id, sessions=context.resources.sessions,
                             registry=context.resources.registry, limit=limit)
    if as_json:
        print_json(found)
        return
    units = ", ".join(f"{unit['unit_id']} ({unit['score']:.2f})" for unit in found["units"]) or "none decoded"
    typer.echo(f"{person_id}: died {found['death_date'] or 'on an unknown date'}; units {units}.")
    typer.echo(f"{len(found['areas'])} search areas:")
    for area in found["areas"]:
        typer.echo(f"  {area['weight']:.2f}  {area['kind']:<17} {area['place'] or ''} "
                   f"({area['lat']:.4f}, {area['lon']:.4f}, {area['radius_km']:g} km)")
    typer.echo(f"{len(found['graves'])} graves:")
    for grave in found["graves"]:
        typer.echo(f"  {grave['score']:.2f}  {grave['grave_id']} in {grave['cemetery']}: "
                   + "; ".join(grave["reasons"][:2]))
