"""OCR quality and speed on generated degraded documents, beside plain Tesseract and
OCRmyPDF (``--deskew --clean``) on the same pages, in one run.

Character and word error rates are edit distances over the ground truth with runs of
white space made single spaces. Every system gets the same number of parallel
processes; pages per minute is pages over wall time. For our pipeline, the peak memory
of the worst page is reported too: the worker's own peak while it read the page (its
high-water mark, reset before each page) plus the most its Tesseract processes held.

Crops of a single line are read by plain Tesseract as one line (``--psm 7``, what a user
who knows the crop is a line would ask for); OCRmyPDF reads pages only. CER is also
reported per kind of document, since a mean over a mixed set can hide a kind read worse,
with what the safety net cost: how many pages it read a second time, and in how many seconds.

``--real DIR`` reads every ``NAME.png`` (or .jpg, .tif) in DIR beside its transcription
``NAME.gt.txt`` instead, and reports CER per file beside plain Tesseract's: an archive
can measure the pipeline on its own paper before trusting it.

Set-up: ``bench/setup-ocr.sh`` (OCRmyPDF in ``.venv-ocrmypdf``, unpaper, Ghostscript).
Run: ``.venv/bin/python -m bench.ocr [--pages 24] [--seed 1] [--kinds K,K…] [--undamaged]
[--workers 2] [--json]`` or ``.venv/bin/python -m bench.ocr --real DIR [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image
from rapidfuzz.distance import Levenshtein

from bench.synth import (
    DOCUMENT_KINDS,
    LINE_KINDS,
    PAPER_KINDS,
    Degradation,
    SyntheticPage,
    available_fonts,
    make_page,
)
from ocr.model import OcrPage
from ocr.options import OcrOptions
from ocr.runner import process_page

OCRMYPDF = Path(__file__).resolve().parent.parent / ".venv-ocrmypdf" / "bin" / "ocrmypdf"


KINDS = ("death_notice", "letter", "roster", "register")


def degraded_set(count: int, seed: int = 1, kinds: tuple[str, ...] = KINDS,
                 undamaged: bool = False) -> list[SyntheticPage]:
    """``count`` pages: every font, the kinds in turn, 150–300 dpi, every kind of damage
    (``undamaged``: only what a kind does to itself, a carbon copy's doubled letters or a
    typewriter's uneven ink; the same pages in fonts and resolutions)."""
    rng = random.Random(seed)
    fonts = available_fonts()
    pages = []
    for index in range(count):
        how = Degradation(
            skew=round(rng.uniform(-8, 8), 1),
            turn=rng.choice([0, 0, 0, 90, 180]),
            blur=rng.choice([0.0, 0.6, 1.0]),
            noise=rng.choice([0.0, 8.0, 15.0]),
            uneven_light=rng.choice([0.0, 0.4, 0.7]),
            fade=rng.choice([0.0, 0.3, 0.5]),
            stains=rng.choice([0, 1, 3]),
            jpeg_quality=rng.choice([None, 70, 50]),
        )
        kind = kinds[index % len(kinds)]
        pages.append(make_page(seed * 1000 + index, kind=kind,
                               font=fonts[index % len(fonts)], dpi=rng.choice([150, 200, 300]),
                               degradation=Degradation() if undamaged else damage_of(kind, how)))
    return pages


def damage_of(kind: str, how: Degradation) -> Degradation:
    """The share of ``how`` a kind of document takes: a crop is upright and level, with no
    room for a stain or a shadow; a carbon copy is blurred and faded by its own making;
    a photo has its own angle and light, so only the camera's noise and compression."""
    if kind in LINE_KINDS:
        return Degradation(blur=how.blur / 2, noise=how.noise / 2, jpeg_quality=how.jpeg_quality)
    if kind == "carbon":
        return replace(how, blur=0.0, fade=0.0)
    if kind == "phone":
        return Degradation(noise=how.noise / 2, jpeg_quality=how.jpeg_quality)
    return how


def error_rates(truth: str, text: str) -> tuple[float, float]:
    """(character error rate, word error rate)."""
    truth_words, text_words = truth.split(), text.split()
    cer = Levenshtein.distance(" ".join(truth_words), " ".join(text_words)) / len(" ".join(truth_words))
    wer = Levenshtein.distance(truth_words, text_words) / len(truth_words)
    return cer, wer


# The worst page's peak memory in the last run of our pipeline, in bytes, and what its
# safety net cost: pages that paid for second readings (those read again because their
# letters ran together among them), and their seconds.
PEAK_MEMORY: dict[str, int] = {}
SAFETY_NET: dict[str, float] = {}
# Pages OCRmyPDF failed on in the last run: the file and the end of what it said.
OCRMYPDF_FAILURES: list[str] = []


def run_phienhieu(paths: list[Path], workers: int) -> list[str]:
    """Our pipeline, one page per job, each with its peak memory."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # as ocr.runner's workers
    with ProcessPoolExecutor(max_workers=workers) as pool:
        measured = list(pool.map(measured_page, [str(path) for path in paths]))
    PEAK_MEMORY["worst_page"] = max(peak for _, peak in measured)
    nets = [step for page, _ in measured for step in page.steps if step.name == "safety-net"]
    SAFETY_NET.update(pages=len(nets), seconds=sum(step.ms for step in nets) / 1000,
                      merged=sum("characters a blob" in step.detail for step in nets))
    return [page.text for page, _ in measured]


def measured_page(path: str) -> tuple[OcrPage, int]:
    """The first page of ``path`` read as the runner reads it, and the peak memory of
    the process and its Tesseract children meanwhile (bytes; the sum of the two peaks,
    so never less than the true peak)."""
    Path("/proc/self/clear_refs").write_text("5")  # reset this process's high-water mark
    children_peak = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal children_peak
        while not stop.wait(0.02):
            children_peak = max(children_peak, sum(_kilobytes(pid, "VmHWM") for pid in _children()))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        page = process_page(path, 1, OcrOptions())
    finally:
        stop.set()
        watcher.join()
    return page, (_kilobytes(os.getpid(), "VmHWM") + children_peak) * 1024


def _children() -> list[int]:
    """This process's child processes (Tesseract), from /proc."""
    me, found = os.getpid(), []
    for task in Path(f"/proc/{me}/task").iterdir():
        try:
            found += [int(pid) for pid in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _kilobytes(pid: int, field: str) -> int:
    """A memory figure of /proc/PID/status (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def line_shaped(path: Path) -> bool:
    """Whether an image is a crop of one line: short, and several times wider than high."""
    with Image.open(path) as image:
        width, height = image.size
    return height <= 80 and width >= 3 * height


def run_tesseract(paths: list[Path], workers: int) -> list[str]:
    """Plain ``tesseract -l vie``, one process per page; ``--psm 7`` on a line's crop."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(path: Path) -> str:
        psm = ["--psm", "7"] if line_shaped(path) else []
        done = subprocess.run(["tesseract", str(path), "stdout", "-l", "vie", *psm],
                              capture_output=True, text=True, env=env, check=False, timeout=600)
        return done.stdout

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, paths))


def run_ocrmypdf(paths: list[Path], workers: int) -> list[str]:
    """OCRmyPDF with ``--deskew --clean``, its text taken from the sidecar file."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(path: Path) -> str:
        if line_shaped(path):
            return ""  # a page tool: not run on crops (left out of its figures)
        sidecar = path.with_suffix(".txt")
        done = subprocess.run([str(OCRMYPDF), "--deskew", "--clean", "-l", "vie", "--jobs", "1",
                               "--output-type", "pdf", "--sidecar", str(sidecar), "--quiet", str(path),
                               str(path.with_suffix(".ocrmypdf.pdf"))],
                              capture_output=True, text=True, env=env, check=False, timeout=600)
        if done.returncode != 0:
            # Counted as read wrong (100%), but said: a missing unpaper is not a bad page.
            said = done.stderr.strip().splitlines()
            OCRMYPDF_FAILURES.append(f"{path.name}: exit {done.returncode}, {said[-1] if said else ''}")
        return sidecar.read_text(encoding="utf-8") if sidecar.exists() else ""

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, paths))


def measure(name: str, system: Callable[[list[Path], int], list[str]], paths: list[Path],
            truths: list[str], kinds: list[str], workers: int) -> dict[str, Any]:
    """Error rates and speed of one system over the set, overall and per kind."""
    started = time.perf_counter()
    texts = system(paths, workers)
    seconds = time.perf_counter() - started
    every = [error_rates(truth, text) for truth, text in zip(truths, texts, strict=True)]
    # OCRmyPDF reads pages only: crops of a line are left out of its figures.
    counted = [system is not run_ocrmypdf or not line_shaped(path) for path in paths]
    rates = [rate for rate, count in zip(every, counted, strict=True) if count]
    peak = PEAK_MEMORY.pop("worst_page", None) if system is run_phienhieu else None
    net = dict(SAFETY_NET) if system is run_phienhieu else {}
    SAFETY_NET.clear()
    failures = list(OCRMYPDF_FAILURES) if system is run_ocrmypdf else []
    OCRMYPDF_FAILURES.clear()
    if not rates:
        return {"system": name, "mean_cer": None, "per_kind": {}, "per_file": []}
    per_kind: dict[str, list[float]] = {}
    for kind, (cer, _), count in zip(kinds, every, counted, strict=True):
        if count:
            per_kind.setdefault(kind, []).append(cer)
    return {
        "system": name,
        "worst_page_peak_mb": round(peak / 2**20) if peak is not None else None,
        "mean_cer": round(sum(r[0] for r in rates) / len(rates), 4),
        "mean_wer": round(sum(r[1] for r in rates) / len(rates), 4),
        "worst_cer": round(max(r[0] for r in rates), 4),
        "pages_per_minute": round(len(paths) / seconds * 60, 1),
        "seconds": round(seconds, 1),
        # Second readings run inside the pages' processes: their share of the processes' time.
        "safety_net": {"pages": int(net["pages"]), "merged_letters": int(net["merged"]),
                       "seconds": round(net["seconds"], 1),
                       "share_of_time": round(net["seconds"] / (seconds * workers), 3)} if net else None,
        "failures": failures,
        "per_kind": {kind: round(sum(v) / len(v), 4) for kind, v in per_kind.items()},
        "per_file": [round(cer, 4) for cer, _ in every],
    }


def _systems(ocrmypdf: bool) -> list[tuple[str, Callable[[list[Path], int], list[str]]]]:
    systems: list[tuple[str, Callable[[list[Path], int], list[str]]]] = [
        ("phienhieu", run_phienhieu), ("tesseract -l vie", run_tesseract)]
    if ocrmypdf and OCRMYPDF.exists():
        systems.append(("ocrmypdf --deskew --clean", run_ocrmypdf))
    return systems


def run(count: int, workers: int, seed: int = 1, kinds: tuple[str, ...] = KINDS,
        undamaged: bool = False) -> dict[str, Any]:
    """Generate the set, then measure every system available here."""
    pages = degraded_set(count, seed, kinds, undamaged)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, page in enumerate(pages):
            path = Path(folder) / f"page{index:03d}.png"
            path.write_bytes(page.png_bytes())
            paths.append(path)
        truths, page_kinds = [page.text for page in pages], [page.kind for page in pages]
        ocrmypdf = any(kind not in LINE_KINDS for kind in kinds)
        results = [measure(name, system, paths, truths, page_kinds, workers)
                   for name, system in _systems(ocrmypdf)]
    return {"pages": count, "seed": seed, "kinds": list(kinds), "undamaged": undamaged,
            "workers": workers, "fonts": available_fonts(), "results": results,
            "ocrmypdf": OCRMYPDF.exists()}


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp")


def run_real(folder: Path, workers: int) -> dict[str, Any]:
    """Our pipeline and plain Tesseract on the scans of ``folder`` that have a
    transcription beside them (``NAME.gt.txt``)."""
    paths = sorted(path for path in folder.iterdir() if path.suffix.lower() in _IMAGE_SUFFIXES
                   and path.with_name(f"{path.stem}.gt.txt").exists())
    if not paths:
        raise SystemExit(f"{folder}: no NAME.png with NAME.gt.txt beside it")
    truths = [path.with_name(f"{path.stem}.gt.txt").read_text(encoding="utf-8") for path in paths]
    kinds = ["line" if line_shaped(path) else "page" for path in paths]
    results = [measure(name, system, paths, truths, kinds, workers)
               for name, system in _systems(ocrmypdf=False)]
    return {"folder": str(folder), "files": [path.name for path in paths], "kinds": kinds,
            "workers": workers, "results": results}


def _print_real(report: dict[str, Any]) -> None:
    ours, plain = report["results"]
    print(f"{len(report['files'])} files of {report['folder']}, {report['workers']} processes")
    print(f"{'file':<40}{'phienhieu CER':>15}{'tesseract CER':>15}")
    for name, mine, theirs in zip(report["files"], ours["per_file"], plain["per_file"], strict=True):
        worse = "  worse" if mine > theirs else ""
        print(f"{name:<40}{mine:>15.2%}{theirs:>15.2%}{worse}")
    print(f"{'mean':<40}{ours['mean_cer']:>15.2%}{plain['mean_cer']:>15.2%}")


def _print_report(report: dict[str, Any]) -> None:
    undamaged = ", undamaged" if report["undamaged"] else ""
    print(f"{report['pages']} generated pages (seed {report['seed']}: {', '.join(report['kinds'])}"
          f"{undamaged}), "
          f"{report['workers']} processes, fonts: "
          f"{', '.join(report['fonts'])}")
    if not report["ocrmypdf"]:
        print("(OCRmyPDF not installed: run bench/setup-ocr.sh to compare with it)")
    print(f"{'system':<28}{'mean CER':>10}{'mean WER':>10}{'worst CER':>11}{'pages/min':>11}"
          f"{'worst page peak':>17}")
    for row in report["results"]:
        if row["mean_cer"] is None:
            continue
        peak = f"{row['worst_page_peak_mb']:,} MB" if row["worst_page_peak_mb"] else "-"
        print(f"{row['system']:<28}{row['mean_cer']:>10.2%}{row['mean_wer']:>10.2%}"
              f"{row['worst_cer']:>11.2%}{row['pages_per_minute']:>11}{peak:>17}")
    for row in report["results"]:
        if row.get("safety_net"):
            net = row["safety_net"]
            print(f"safety net: {net['pages']} of {report['pages']} pages read a second time "
                  f"({net['merged_letters']} for letters run together), {net['seconds']} s, "
                  f"{net['share_of_time']:.1%} of the pipeline's process time")
        if row.get("failures"):
            print(f"{row['system']} failed on {len(row['failures'])} pages: {row['failures'][0]}")
    print(f"\n{'mean CER by kind':<28}" + "".join(f"{row['system'][:16]:>18}" for row in report["results"]))
    for kind in report["kinds"] if len(set(report["kinds"])) == len(report["kinds"]) else []:
        cells = [row["per_kind"].get(kind) for row in report["results"]]
        print(f"{kind:<28}" + "".join(f"{cell:>18.2%}" if cell is not None else f"{'-':>18}"
                                       for cell in cells))


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1, help="another seed, another set of pages")
    parser.add_argument("--kinds", default=",".join(KINDS), help=(
        f"documents, in turn, of {', '.join(DOCUMENT_KINDS)} (typed_list: a roster with no "
        "rules; ledger: a register ruled between its rows only; stamped, signed, handwritten: a "
        "notice under a round stamp, closed by a signature, with numbers written in its margins; "
        "carbon: a carbon copy; typewriter: uneven ink; phone: a photo on a desk; line_crop, "
        "receipt_line: crops of one line, 12–40 px high); 'paper' names "
        f"{', '.join(PAPER_KINDS)}"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--undamaged", action="store_true", help=(
        "only the damage a kind does to itself (a carbon copy's doubled letters, a "
        "typewriter's ink), no scanner's: skew, turns, blur, noise, light, stains, JPEG"))
    parser.add_argument("--real", type=Path, metavar="DIR", help=(
        "measure on real scans instead: NAME.png beside its transcription NAME.gt.txt"))
    args = parser.parse_args()
    kinds = tuple(kind for name in args.kinds.split(",")
                  for kind in (PAPER_KINDS if name == "paper" else (name,)))
    if unknown := sorted(set(kinds) - set(DOCUMENT_KINDS)):
        parser.error(f"unknown kind {unknown[0]!r}")
    if args.real:
        real = run_real(args.real, args.workers)
        print(json.dumps(real, ensure_ascii=False, indent=2)) if args.json else _print_real(real)
        return
    report = run(args.pages, args.workers, args.seed, kinds, args.undamaged)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    _print_report(report)

if __name__ == "__main__":
    main()
