"""Cohorts: for one cemetery or one batch of remains, the persons whose leads point at it,
ranked — whose relatives to ask for a sample first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from leads.model import Leads


@dataclass(frozen=True)
class CohortMember:
    """A person whose leads point at the cohort's graves, with the graves and a score (0..1):
    the chance, as the scores tell it, that at least one of them holds him."""

    person_id: str
    score: float
    graves: tuple[str, ...]

    def to_json_data(self) -> dict[str, object]:
        """``{"person_id", "score", "graves"}`` as CONTRACT's sampling plan lists persons."""
        return {"person_id": self.person_id, "score": round(self.score, 3), "graves": list(self.graves)}


def cohort(leads: Iterable[Leads], *, cemetery: str | None = None,
           graves: Iterable[str] | None = None, min_score: float = 0.0) -> list[CohortMember]:
    """The persons whose ranked graves lie in the cemetery (or among the given graves), best first.

    Args:
        leads: each person's leads (``leads_for``).
        cemetery: keep graves of this cemetery (its id as the leads carry it).
        graves: keep only these grave ids (one batch of remains).
        min_score: leave out graves scored below this.
    """
    wanted = set(graves) if graves is not None else None
    members = []
    for lead in leads:
        hits = sorted((g for g in lead.graves if g.score >= min_score
                       and (cemetery is None or g.cemetery == cemetery)
                       and (wanted is None or g.grave_id in wanted)), key=lambda g: -g.score)
        if hits:
            members.append(CohortMember(person_id=lead.person_id, score=_any_of(g.score for g in hits),
                                        graves=tuple(g.grave_id for g in hits)))
    return sorted(members, key=lambda m: (-m.score, m.person_id))


def _any_of(scores: Iterable[float]) -> float:
    """1 − ∏(1 − s): several fitting graves make the person likelier to be among them."""
    missing = 1.0
    for score in scores:
        missing *= 1.0 - min(1.0, max(0.0, score))
    return 1.0 - missing
