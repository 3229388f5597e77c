"""The web UI: server-rendered pages for archivists, officers, families and anyone."""
