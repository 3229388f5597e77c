"""The shell around the domain: settings, the HTTP API and the ``phienhieu`` CLI."""
