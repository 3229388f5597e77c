"""The ``phienhieu`` command.

Every command takes ``--help``; ``--json`` prints machine-readable output on stdout.
Errors go to stderr as one sentence with a non-zero exit code; :func:`main` is the one
place that turns the project's errors into exit codes.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from api.cli_archive import audit_verify, ingest, persons_import, user_add, worker
from api.cli_graves import burials_app, cemeteries_app, graves_app
from api.cli_links import leads, link_app, lists_app
from api.cli_office import office_app
from api.cli_search import reindex, search
from api.cli_support import JsonFlag, open_context, print_json, read_file
from api.errors import EXIT_CODE, ExitCode
from api.files import write_atomically
from api.settings import load_settings
from decoder.errors import InvalidInputError, InvalidRegistryError, PhienhieuError, first_problem
from decoder.normalize import normalize as normalize_text
from decoder.registry_json import parse_registry_json

if TYPE_CHECKING:
    from archive.registry_store import ImportReport
    from decoder.result import DecodeResult
    from ocr.model import OcrResult


app = typer.Typer(
    name="phienhieu",
    help="Phiên hiệu: decode unit designations and cover codes of Vietnamese wartime documents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
registry_app = typer.Typer(help="Import and export the unit registry (JSON).", no_args_is_help=True)
app.add_typer(registry_app, name="registry")
persons_app = typer.Typer(help="Person (martyr) records.", no_args_is_help=True)
app.add_typer(persons_app, name="persons")
audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
user_app.command("add")(user_add)
app.add_typer(office_app, name="office")
app.add_typer(cemeteries_app, name="cemeteries")
app.add_typer(graves_app, name="graves")
app.add_typer(burials_app, name="burials")
app.add_typer(lists_app, name="lists")
app.add_typer(link_app, name="link")
app.command()(ingest)
app.command()(leads)
app.command()(worker)
app.command()(search)
app.command()(reindex)
persons_app.command("import")(persons_import)
audit_app.command("verify")(audit_verify)

def _print_report(report: ImportReport, headline: str, as_json: bool) -> None:
    if as_json:
        print_json(dataclasses.asdict(report))
    else:
        typer.echo(f"{headline}: {report.created} units created, {report.updated} updated, "
                   f"{report.unchanged} unchanged (revision {report.revision}).")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the API and web UI, with PHIENHIEU_OCR_WORKERS OCR workers beside it."""
    # The web stack (FastAPI, uvicorn, every route and page) is for this command only:
    # the others start without it.
    import uvicorn

    from api.app import create_app
    from api.worker_pool import WorkerPool

    settings = load_settings()
    # The app migrates the database before its lifespan starts the workers, and stops
    # them in its shutdown: uvicorn re-raises SIGTERM once it has shut down, so code
    # after uvicorn.run would never run.
    application = create_app(settings, workers=WorkerPool(settings.ocr_workers))
    # uvicorn believes X-Forwarded-For from loopback by default: only named proxies here.
    proxies = settings.trusted_proxies.replace(" ", "")
    uvicorn.run(application, host=host, port=port, log_level="info",
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)


@app.command()
def demo(as_json: JsonFlag = False,
         samples: Annotated[bool, typer.Option(
             "--samples", help="Also add three sample scans (read by the server's workers), six invented "
                               "martyr records and two invented cemeteries with graves and burials.")] = False
         ) -> None:
    """Load the demonstration registry (idempotent: running it twice changes nothing)."""
    from usecases.grave_views import load_grave_samples
    from usecases.registry import load_demo
    from usecases.scans import load_samples, make_ingester

    with open_context() as context:
        resources = context.resources
        report = load_demo(sessions=resources.sessions, registry=resources.registry)
        resources.publish_changes()
        if samples:
            ingester = make_ingester(sessions=resources.sessions, blobs=resources.blobs,
                                     policy=resources.job_policy)
            outcomes, persons = load_samples(ingester=ingester, sessions=resources.sessions,
                                             publish=resources.publish_changes)
            graves = load_grave_samples(sessions=resources.sessions)
            resources.publish_changes()
    _print_report(report, "Demo registry loaded", as_json)
    if samples and not as_json:
        added = sum(outcome.status == "added" for outcome in outcomes)
        stored = persons.created + persons.updated
        typer.echo(f"Samples: {added} scan(s) queued for reading, {stored} person record(s) stored, "
                   f"{sum(done.created + done.updated for done in graves)} cemetery, grave and "
                   "burial record(s) stored.")


@app.command()
def decode(
    text: Annotated[str | None, typer.Argument(help="The designation or passage as written.")] = None,
    date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    batch: Annotated[Path | None, typer.Option(
        help="CSV file with a column 'text' (and optionally 'date').")] = None,
    out: Annotated[Path | None, typer.Option(
        help="With --batch: where to write the result CSV (default: stdout).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Decode a unit designation or cover code into the units it may mean."""
    from api.batch_csv import decode_csv
    from api.web.reasons import with_sentences
    from usecases.registry import decode_text

    if (text is None) == (batch is None):
        raise InvalidInputError("Give either a TEXT to decode or --batch FILE.csv, not both.")
    if out is not None and batch is None:
        raise InvalidInputError("--out goes with --batch.")
    with open_context() as context:
        if batch is not None:
            decoder = partial(decode_text, registry=context.resources.registry,
                              max_chars=context.settings.max_decode_chars)
            failed = decode_csv(batch, out, decoder, max_rows=context.settings.max_batch_rows)
            if failed:
                typer.echo(f"{failed} row(s) could not be decoded; see the 'error' column.", err=True)
                raise typer.Exit(ExitCode.FAILED)
            return
        assert text is not None
        result = decode_text(text, date, registry=context.resources.registry,
                             max_chars=context.settings.max_decode_chars)
    result = with_sentences(result, "en")  # the command line speaks English
    if as_json:
        print_json(result.to_json_data())
    else:
        typer.echo(_describe_result(result))


def _describe_result(result: DecodeResult) -> str:
    if not result.designations:
        return "No unit designation found."
    lines = []
    for designation in result.designations:
        lines.append(f"{designation.kind}: {designation.raw}")
    if not result.candidates:
        lines.append("No unit in the registry matches.")
    for candidate in result.candidates:
        mark = "" if candidate.valid else "  [does not hold at this date]"
        lines.append(f"{candidate.score:.2f}  {candidate.unit_id}  {' > '.join(candidate.path)}{mark}")
        lines.extend(f"        - {reason}" for reason in candidate.reasons)
        for event in candidate.history:
            span = f"{event.start or '…'} – {event.end or '…'}"
            lines.append(f"        * {span}  {event.title}" + (f" ({event.place})" if event.place else ""))
    return "\n".join(lines)


@app.command()
def normalize(
    text: Annotated[str, typer.Argument(help="Text in any encoding mix-up.")],
    source: Annotated[str, typer.Option(
        "--from", help="auto, tcvn3, vni, viscii or mojibake.")] = "auto",
) -> None:
    """Print the text as NFC Unicode Vietnamese, repairing legacy encodings and mojibake."""
    typer.echo(normalize_text(text, source))


@app.command()
def ocr(
    paths: Annotated[list[Path], typer.Argument(help="Image (PNG, JPEG, TIFF, WebP) or PDF files.")],
    lang: Annotated[str, typer.Option(help="Tesseract languages, e.g. vie or vie+eng.")] = "vie",
    workers: Annotated[int | None, typer.Option(
        help="Processes to use (default: one per core).", min=0)] = None,
    hocr: Annotated[Path | None, typer.Option(
        help="Also write each page as hOCR into this folder.", file_okay=False)] = None,
    alto: Annotated[Path | None, typer.Option(
        help="Also write each page as ALTO XML into this folder.", file_okay=False)] = None,
    psm: Annotated[int | None, typer.Option(
        help="Tesseract page segmentation, 3-13 (e.g. 7: the image is one line; 6: one block); "
             "by default chosen from the image.", min=3, max=13)] = None,
    as_json: JsonFlag = False,
) -> None:
    """OCR files with the full pipeline, without the archive.

    Text mode prints each page's text, pages separated by a form feed. Files that cannot
    be read are reported on stderr and the others still run; the exit code is then 1.
    """
    from ocr.options import OcrOptions
    from ocr.runner import ocr_files

    try:
        options = OcrOptions(lang=lang, psm=psm)
    except ValidationError as error:
        raise InvalidInputError(f"--lang: {first_problem(error, 'lang')[1]}.") from None
    result = ocr_files(paths, options, workers=workers)
    _write_exports(result, hocr, alto)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        texts = [page.text for file in result.files for page in file.pages]
        if texts:
            typer.echo("\f".join(texts))
    failed = [file for file in result.files if file.error]
    for file in failed:
        typer.echo(f"Error: {file.error}", err=True)
    for file in result.files:
        for page in file.pages:
            if page.error:
                typer.echo(f"Warning: {file.path} page {page.number}: {page.error}", err=True)
    if failed:
        raise typer.Exit(ExitCode.FAILED)


def _write_exports(result: OcrResult, hocr: Path | None, alto: Path | None) -> None:
    from ocr.export import to_alto, to_hocr

    for folder, render, suffix in ((hocr, to_hocr, "hocr"), (alto, to_alto, "xml")):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InvalidInputError(f"Cannot create {folder}: {error.strerror or error}.") from None
        for index, file in enumerate(result.files, start=1):
            stem = Path(file.path).stem
            for page in file.pages:
                if not page.error:
                    target = folder / f"{index:03d}-{stem}-p{page.number:04d}.{suffix}"
                    write_atomically(target, render(page, image=Path(file.path).name))


@registry_app.command("import")
def registry_import(
    file: Annotated[Path, typer.Argument(help="Registry JSON file.")],
    as_json: JsonFlag = False,
) -> None:
    """Import a registry file: validated, idempotent, all or nothing."""
    from usecases.registry import import_document

    document = parse_registry_json(read_file(file))
    with open_context() as context:
        resources = context.resources
        report = import_document(document, sessions=resources.sessions, registry=resources.registry,
                                 actor="cli")
        resources.publish_changes()
    _print_report(report, f"Imported {file}", as_json)


@registry_app.command("load-public")
def registry_load_public(as_json: JsonFlag = False) -> None:
    """Load the public registry (units of the wars from public sources, every fact cited).

    A unit of it replaces the stored unit with the same id; load it first and import the
    office's own registry afterwards, whose units then override or extend it.
    """
    from usecases.registry import load_public

    with open_context() as context:
        resources = context.resources
        report = load_public(sessions=resources.sessions, registry=resources.registry)
        resources.publish_changes()
    _print_report(report, "Public registry loaded", as_json)


@registry_app.command("export")
def registry_export(
    file: Annotated[Path | None, typer.Argument(help="Where to write (default: stdout).")] = None,
) -> None:
    """Export the whole registry as JSON."""
    from usecases.registry import export_document

    with open_context() as context:
        document = export_document(sessions=context.resources.sessions)
    data = json.dumps(document.to_json_data(), ensure_ascii=False, indent=2) + "\n"
    if file is None:
        sys.stdout.write(data)
    else:
        write_atomically(file, data)


def main() -> None:
    """Entry point: run the command and turn project errors into one sentence and an exit code."""
    try:
        app()
    except InvalidRegistryError as error:
        typer.echo(f"Error: {error.message}", err=True)
        for problem in error.problems[:50]:
            typer.echo(f"  {problem}", err=True)
        sys.exit(EXIT_CODE[error.kind])
    except PhienhieuError as error:
        typer.echo(f"Error: {error.message}", err=True)
        sys.exit(EXIT_CODE[error.kind])
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as error:
        from sqlalchemy.exc import OperationalError  # loaded already when a database was used

        if not isinstance(error, OperationalError):
            raise
        # The database went away in the middle of a command: say so in one sentence.
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "no reason given"
        typer.echo(f"Error: The database cannot be reached ({reason}).", err=True)
        sys.exit(ExitCode.UNAVAILABLE)


if __name__ == "__main__":
    main()
