"""Leads: where to search for a fallen soldier, and which unnamed graves may hold him.

Pure given its inputs (the person's evidence, the unit registry, first burials and graves):
each piece of evidence becomes search areas with a weight and reasons (``areas_for``), the
unidentified and partial graves are ranked against them (``rank_graves``), and for one
cemetery the persons pointing at it are ranked (``cohort``).
"""

from leads.build import areas_for, leads_for, search_boxes
from leads.cohort import CohortMember, cohort
from leads.contract import burial_from_json, evidence_from_json, grave_from_json
from leads.geojson import leads_geojson
from leads.model import Area, Burial, Evidence, Grave, GraveLead, Leads, UnitCandidate
from leads.ranking import rank_graves

__all__ = [
    "Area",
    "Burial",
    "CohortMember",
    "Evidence",
    "Grave",
    "GraveLead",
    "Leads",
    "UnitCandidate",
    "areas_for",
    "burial_from_json",
    "cohort",
    "evidence_from_json",
    "grave_from_json",
    "leads_for",
    "leads_geojson",
    "rank_graves",
    "search_boxes",
]
