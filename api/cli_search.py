"""The search commands: ``search`` and ``reindex``."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated

import typer
from pydantic import ValidationError

from api.cli_support import JsonFlag, open_context, print_json, progress_bar
from decoder.errors import InvalidInputError, first_problem


def search(
    query: Annotated[str, typer.Argument(help="Names, words or codes; diacritics optional.")],
    type_: Annotated[str | None, typer.Option("--type", help="page, person, unit or grave.")] = None,
    collection: Annotated[str | None, typer.Option(help="Only this collection.")] = None,
    cemetery: Annotated[str | None, typer.Option(help="Only graves in this cemetery (its id).")] = None,
    status: Annotated[str | None, typer.Option(
        help="Only graves of this status: named, unidentified, partial or named_no_remains.")] = None,
    province: Annotated[str | None, typer.Option(help="Only this province.")] = None,
    unit: Annotated[str | None, typer.Option(help="Only this unit (an id of the registry).")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD.")] = None,
    sort: Annotated[str, typer.Option(help="relevance, date or -date.")] = "relevance",
    limit: Annotated[int, typer.Option(help="Results to show (1–100).")] = 10,
    offset: Annotated[int, typer.Option(help="Results to skip.")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Search pages, persons, units and graves like the API does."""
    from search.model import SearchRequest
    from usecases.searching import search as search_index

    try:
        request = SearchRequest.model_validate({
            "q": query, "type": type_, "collection": collection, "cemetery": cemetery, "status": status,
            "province": province, "unit": unit,
            "date_from": date.fromisoformat(date_from) if date_from else None,
            "date_to": date.fromisoformat(date_to) if date_to else None,
            "sort": sort, "limit": limit, "offset": offset})
    except ValidationError as error:
        where, message = first_problem(error, "query")
        raise InvalidInputError(f"{where}: {message}.") from None
    except ValueError as error:
        raise InvalidInputError(f"--from/--to: {error}.") from None
    with open_context() as context:
        resources = context.resources
        resources.publish_changes()  # catch up when no server is doing it
        result = search_index(request, sessions=resources.sessions, index=resources.search_index)
    if as_json:
        print_json(dataclasses.asdict(result))
        return
    if not result.hits:
        typer.echo("Nothing found.")
        return
    if result.relaxed:
        typer.echo("No record has every word; these have some of them.")
    for hit in result.hits:
        typer.echo(f"{hit.score:7.2f}  {hit.type:<6} {hit.id}  {hit.title}")
        typer.echo(f"         {' '.join(hit.snippet.split())[:160]}")
    shown = f"{request.offset + 1}–{request.offset + len(result.hits)}"
    typer.echo(f"{shown} of {result.total}.")


def reindex(as_json: JsonFlag = False) -> None:
    """Rebuild the search index from the database, beside the live one; searches keep
    being answered until it is switched in."""
    from usecases.searching import rebuild_index

    with open_context() as context, progress_bar() as progress:
        task = progress.add_task("Indexing", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        resources = context.resources
        count = rebuild_index(sessions=resources.sessions, index=resources.search_index,
                              registry=resources.registry, progress=report)
        resources.reopen_index()
        resources.publish_changes()
    outcome: dict[str, int | str] = {"indexed": count}
    if as_json:
        print_json(outcome)
    else:
        typer.echo(f"Reindexed {count} documents.")

