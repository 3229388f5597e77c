"""The archive's commands: ``ingest``, ``worker``, ``persons import``, ``audit verify``."""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli_support import JsonFlag, open_context, print_json, progress_bar
from api.errors import ExitCode
from decoder.errors import InvalidInputError

if TYPE_CHECKING:
    from archive.ingest import IngestOutcome
    from usecases.resources import Resources


_POLL_S = 0.2


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, or folders to take every file from.")],
    collection: Annotated[str | None, typer.Option(help="File the scans under this collection.")] = None,
    wait: Annotated[bool, typer.Option(
        "--wait/--no-wait", help="Wait for the OCR (default), or only queue it.")] = True,
    workers: Annotated[int | None, typer.Option(
        help="OCR processes to start while waiting (default: one per core; 0: let running "
             "workers do it).", min=0)] = None,
    as_json: JsonFlag = False,
) -> None:
    """Put files or folders into the archive: stored once by checksum, OCR'd, indexed.

    Files that cannot be read as scans are reported and skipped; the others go in. The
    exit code is 1 when any file or page failed.
    """
    from api.worker_pool import WorkerPool
    from archive.ingest import collect_files, ensure_collection

    # The workers start first: they load while this process opens the archive and stores.
    count = (os.cpu_count() or 1) if workers is None else workers
    pool = WorkerPool(count if wait else 0, quiet=True, poll_s=_POLL_S)
    pool.start()
    try:
        with open_context() as context:
            resources = context.resources
            if collection is not None:
                ensure_collection(resources.sessions, collection)
            resources.blobs.sweep_incoming(older_than_s=3600)
            files = list(collect_files(paths))
            if not files:
                raise InvalidInputError("No files to ingest were found at the paths given.")
            outcomes = _store_files(resources, files, collection)
            job_ids = [o.job_id for o in outcomes if o.status == "added" and o.job_id]
            pages_failed = _wait_for_ocr(resources, job_ids) if wait and job_ids else []
            resources.publish_changes()
    finally:
        pool.stop()
    _report_ingest(outcomes, pages_failed, as_json, waited=wait)
    if pages_failed or any(outcome.status == "failed" for outcome in outcomes):
        raise typer.Exit(ExitCode.FAILED)


def _store_files(resources: Resources, files: list[Path], collection: str | None) -> list[IngestOutcome]:
    from archive.ingest import IngestOutcome
    from usecases.scans import make_ingester

    ingester = make_ingester(sessions=resources.sessions, blobs=resources.blobs, policy=resources.job_policy)
    outcomes: list[IngestOutcome] = []
    with progress_bar() as progress:
        task = progress.add_task("Storing", total=len(files))
        for path in files:
            if not path.exists():
                outcome = IngestOutcome(str(path), "failed", error=f"{path}: no such file or folder.")
            else:
                outcome = dataclasses.replace(
                    ingester.ingest_path(path, collection=collection), name=str(path))
            outcomes.append(outcome)
            progress.advance(task)
    return outcomes


def _wait_for_ocr(resources: Resources, job_ids: list[int]) -> list[str]:
    """Wait until every page of these scans is read; returns the failures."""
    from archive.jobs import FINAL_STATES
    from usecases.scans import jobs

    with progress_bar() as progress:
        task = progress.add_task("Reading scans", total=len(job_ids))
        while True:
            statuses = jobs(job_ids, sessions=resources.sessions)
            progress.update(task, completed=sum(status.progress for status in statuses))
            if all(status.state in FINAL_STATES for status in statuses):
                break
            time.sleep(_POLL_S)
    return [f"scan {status.scan_id}: {status.error}" for status in statuses
            if status.state == "failed"]


def _report_ingest(outcomes: list[IngestOutcome], pages_failed: list[str], as_json: bool,
                   *, waited: bool) -> None:
    counts = {status: sum(o.status == status for o in outcomes)
              for status in ("added", "duplicate", "failed")}
    pages = sum(o.pages for o in outcomes if o.status == "added")
    if as_json:
        print_json({"files": [dataclasses.asdict(o) for o in outcomes], **counts, "pages": pages,
                    "ocr_failures": pages_failed})
    else:
        for outcome in outcomes:
            if outcome.status == "duplicate":
                typer.echo(f"Duplicate: {outcome.name} is already scan {outcome.scan_id}.", err=True)
        ocr = (" and read" if waited else " and queued for OCR") if pages else ""
        typer.echo(f"{counts['added']} file(s) added ({pages} pages stored{ocr}), "
                   f"{counts['duplicate']} duplicate(s), {counts['failed']} failed.")
    for outcome in outcomes:
        if outcome.status == "failed":
            typer.echo(f"Error: {outcome.error}", err=True)
    for failure in pages_failed:
        typer.echo(f"Error: OCR failed for {failure}", err=True)


def worker(
    exit_when_idle: Annotated[bool, typer.Option(
        help="Stop when no job is due instead of waiting for more.")] = False,
    name: Annotated[str | None, typer.Option(help="Shown on the jobs it holds.")] = None,
    poll: Annotated[float, typer.Option(
        help="Seconds between looks at the queue when idle.", min=0.05, max=60)] = 1.0,
    publish: Annotated[bool, typer.Option(
        "--publish/--no-publish",
        help="Also bring the search index up to date (off for the workers a server starts: "
             "the server does it).")] = True,
    as_json: JsonFlag = False,
) -> None:
    """Run OCR jobs from the shared queue until stopped (SIGTERM or Ctrl-C: after the
    current page)."""
    from api.publisher import IndexPublisher
    from archive.worker import Worker, run_until_stopped
    from ocr.options import OcrOptions

    os.environ["OMP_THREAD_LIMIT"] = "1"  # one Tesseract thread: the processes give the parallelism
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with open_context() as context:
        resources = context.resources
        runner = Worker(resources.sessions, resources.blobs, OcrOptions(), resources.job_policy, name=name)
        publisher = IndexPublisher(resources) if publish else None
        if publisher:
            publisher.start()
        try:
            report = run_until_stopped(runner, exit_when_idle=exit_when_idle, poll_s=poll)
        finally:
            if publisher:
                publisher.stop()
                resources.publish_changes()
    if as_json:
        print_json(dataclasses.asdict(report))
    else:
        typer.echo(f"Worker {runner.name}: {report.done} page(s) done, {report.retried} retried, "
                   f"{report.failed} failed.", err=True)


def persons_import(
    file: Annotated[Path, typer.Argument(help="JSON Lines: one person record a line.")],
    as_json: JsonFlag = False,
) -> None:
    """Import person records: good lines stored, each bad line reported with its number.

    The exit code is 1 when any line was refused.
    """
    from usecases.persons import import_person_lines

    try:
        source = file.open("rb")
    except OSError as error:
        raise InvalidInputError(f"Cannot read {file}: {error.strerror or error}.") from None
    with source, open_context() as context:
        report = import_person_lines(source, sessions=context.resources.sessions, actor="cli")
        context.resources.publish_changes()
    if as_json:
        print_json({"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                    "refused": [{"line": line, "reason": reason} for line, reason in report.problems]})
    else:
        typer.echo(f"Imported {file}: {report.created} created, {report.updated} updated, "
                   f"{len(report.problems)} refused.")
    for line, reason in report.problems[:1000]:
        typer.echo(f"line {line}: {reason}", err=True)
    if report.problems:
        raise typer.Exit(ExitCode.FAILED)


def audit_verify(as_json: JsonFlag = False) -> None:
    """Check the audit log's hash chain and every DNA sample's chain of custody; the exit
    code is 1 when either was tampered with."""
    from usecases.samples import check_sample_chains
    from usecases.staff import check_audit_log

    with open_context() as context:
        report = check_audit_log(sessions=context.resources.sessions)
        chains = check_sample_chains(sessions=context.resources.sessions)
    problems = report.problems + chains.problems
    if as_json:
        print_json({"intact": not problems, "entries": report.entries, "head": report.head_hash,
                    "samples": chains.samples, "problems": problems})
    elif not problems:
        typer.echo(f"The audit log is intact: {report.entries} entries, head {report.head_hash}; "
                   f"{chains.samples} samples' chains of custody are intact.")
    if problems:
        broken = (("the audit log", report.problems), ("a sample's chain of custody", chains.problems))
        what = " and ".join(name for name, found in broken if found)
        typer.echo(f"Error: {what} has been tampered with.", err=True)
        for problem in problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(ExitCode.FAILED)


def user_add(
    name: Annotated[str, typer.Argument(help="The staff member's user name.")],
    role: Annotated[str, typer.Option(help="archivist, officer, lab or admin.")],
    as_json: JsonFlag = False,
) -> None:
    """Create a staff account; the password is read from stdin, or asked for twice."""
    from archive.users import Role
    from usecases.staff import add_account

    try:
        chosen = Role(role)
    except ValueError:
        raise InvalidInputError("--role is archivist, officer, lab or admin.") from None
    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    with open_context() as context:
        user = add_account(name, password, chosen, sessions=context.resources.sessions, actor="cli")
    if as_json:
        print_json({"id": user.id, "username": user.username, "role": user.role})
    else:
        typer.echo(f"Created {user.role} {user.username}.")
