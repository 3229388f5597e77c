"""Which search backend a URL names: one table from URL scheme to the factory that opens it.

Every backend, built in or to come, is one entry of :data:`BACKENDS`: the scheme, and
where its factory lives as ``module:function`` (the form of a Python entry point). The
module is imported only when its scheme is asked for, so a process that never touches a
cluster never loads a cluster's client library, and this module stays light.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Protocol, cast

from search.errors import UnknownBackendError
from search.protocol import SearchIndex

#: The cluster alias (and prefix of its indices) unless another is named.
DEFAULT_NAME = "phienhieu"


class IndexFactory(Protocol):
    """Opens the index a URL names; each factory takes what its backend needs and
    leaves the rest."""

    def __call__(self, url: str | None, *, data_dir: Path | None,
                 name: str = DEFAULT_NAME) -> SearchIndex:
        """Open (creating if need be) the index.

        Args:
            url: the URL as configured (``None``: no URL).
            data_dir: the data dir, where the embedded index lives.
            name: the alias a cluster's index is read and written through.
        """


#: Scheme (lower case; ``None`` for no URL at all) -> ``module:function`` of its factory.
BACKENDS: dict[str | None, str] = {
    None: "search.tantivy_backend:open_tantivy",
    "http": "search.elastic_backend:open_elasticsearch",
    "https": "search.elastic_backend:open_elasticsearch",
    "opensearch": "search.opensearch_backend:open_opensearch",
    "opensearch+http": "search.opensearch_backend:open_opensearch",
    "opensearch+https": "search.opensearch_backend:open_opensearch",
}


def open_index(url: str | None, *, data_dir: Path) -> SearchIndex:
    """The search index a URL names: no URL, the embedded index in ``data_dir / "index"``;
    ``http(s)://``, Elasticsearch; ``opensearch://`` (``opensearch+https://``), OpenSearch.

    Raises:
        UnknownBackendError: no backend answers to the URL's scheme.
        SearchUnavailableError: the index cannot be opened or reached.
    """
    return backend_factory(url)(url or None, data_dir=data_dir)


def backend_factory(url: str | None) -> IndexFactory:
    """The factory of the backend the URL's scheme names (imported now).

    Raises:
        UnknownBackendError: no backend answers to the URL's scheme.
    """
    scheme = url_scheme(url) if url else None
    try:
        target = BACKENDS[scheme]
    except KeyError:
        raise UnknownBackendError(_unknown(scheme or "")) from None
    module, _, function = target.partition(":")
    return cast(IndexFactory, getattr(import_module(module), function))


def url_scheme(url: str) -> str:
    """The scheme of a search URL, in lower case (empty when it has none)."""
    scheme, separator, _ = url.partition("://")
    return scheme.lower() if separator else ""


def _unknown(scheme: str) -> str:
    # Only the scheme is repeated: the rest of a URL may carry a password.
    known = ", ".join(f"{name}://" for name in BACKENDS if name is not None)
    said = f"'{scheme}://'" if scheme else "no scheme"
    return (f"The search URL has {said}, which names no search backend; known: {known} "
            f"(or no URL, for the embedded index).")
