"""Use cases: what the API and the CLI ask of the archive, one module per area.

Transactions begin and end only where the session factory is held: in these use cases
and in the archive's batch loops (ingest, person import, outbox drain, OCR worker), which
commit a batch at a time; a function handed a ``Session`` only flushes
(``tests/test_transactions.py`` holds the code to this).

A new area (graves, say) gets its tables and queries in ``archive/``, its pure logic in
its own package, its use cases in ``usecases/graves.py`` and its routes and pages in
``api/``.
"""
