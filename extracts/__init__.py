"""Certified extracts (trích lục): compose from evidence, render PDF/A, sign (PAdES), verify."""
