"""The project's small Java tools (scripts/java/), for the tests: veraPDF's PDF/A validator,
run as one long-lived process per test process."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def java_problem() -> str | None:
    """Why the Java tools cannot run here, or None."""
    missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not installed (scripts/bootstrap.sh test installs them)"
    return None


def classpath(tool: str) -> str:
    """The class path of a tool, built (and its libraries fetched) the first time."""
    built = subprocess.run([str(ROOT / "scripts" / "java" / "build.sh"), tool], capture_output=True,
                           text=True, check=False, timeout=600)
    if built.returncode != 0:
        raise RuntimeError(f"scripts/java/build.sh {tool} failed:\n{built.stderr[-3000:]}")
    return built.stdout.strip()


@dataclass(frozen=True)
class RuleFailure:
    """A PDF/A rule veraPDF found broken: its number in ISO 19005-2 (clause-test), how often."""

    rule: str
    count: int
    message: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.count}×): {self.message}"


class PdfaValidator:
    """veraPDF (scripts/java/verapdf/PdfaCheck.java): PDF/A-2b validation, one JVM for every file."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            ["java", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath("verapdf"),
             "PdfaCheck"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def failures(self, path: Path) -> list[RuleFailure | str]:
        """The rules ``path`` breaks (and any error reading it); empty when it conforms."""
        assert self._process.stdin
        assert self._process.stdout
        self._process.stdin.write(f"{path.resolve()}\n")
        self._process.stdin.flush()
        found: list[RuleFailure | str] = []
        while True:
            line = self._process.stdout.readline()
            if not line:
                raise RuntimeError("veraPDF stopped unexpectedly")
            kind, _, rest = line.rstrip("\n").partition(" ")
            if kind == "DONE":
                if rest != "compliant" and not found:
                    found.append("not compliant, no rule named")
                return found
            if kind == "RULE":
                rule, count, message = rest.split(" ", 2)
                found.append(RuleFailure(rule, int(count), message))
            else:
                found.append(rest)

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
