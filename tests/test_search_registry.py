"""The search backend registry: a URL's scheme picks the backend, through one table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from decoder.errors import ErrorKind
from search import elastic_backend, opensearch_backend, tantivy_backend
from search.backends import BACKENDS, DEFAULT_NAME, backend_factory, open_index
from search.errors import SearchUnavailableError, UnknownBackendError
from search.opensearch_backend import transport_url
from search.protocol import SearchIndex
from search.tantivy_backend import TantivyIndex

ROOT = Path(__file__).resolve().parent.parent
#: A loopback port nothing listens on: a cluster there refuses at once.
NOBODY = "127.0.0.1:1"


@pytest.mark.parametrize(("url", "factory"), [
    (None, tantivy_backend.open_tantivy),
    ("", tantivy_backend.open_tantivy),
    ("http://127.0.0.1:9200", elastic_backend.open_elasticsearch),
    ("https://user:secret@search.example:9200", elastic_backend.open_elasticsearch),
    ("HTTPS://search.example", elastic_backend.open_elasticsearch),
    ("opensearch://127.0.0.1:9200", opensearch_backend.open_opensearch),
    ("opensearch+http://127.0.0.1:9200", opensearch_backend.open_opensearch),
    ("opensearch+https://search.example", opensearch_backend.open_opensearch),
])
def test_the_urls_scheme_picks_the_backend(url: str | None, factory: object) -> None:
    assert backend_factory(url) is factory


def test_every_entry_names_a_factory_that_exists() -> None:
    for scheme in BACKENDS:
        assert callable(backend_factory(f"{scheme}://host" if scheme else None)), scheme


def test_no_url_opens_the_embedded_index_in_the_data_dir(tmp_path: Path) -> None:
    index = open_index(None, data_dir=tmp_path)
    try:
        assert isinstance(index, TantivyIndex)
        assert index.root == tmp_path / "index"
        assert index.count() == 0
    finally:
        index.close()


@pytest.mark.parametrize(("url", "said"), [
    ("ftp://user:secret@search.example/index", "'ftp://'"),
    ("solr://search.example", "'solr://'"),
    ("localhost:9200", "no scheme"),
])
def test_an_unknown_scheme_is_refused_by_name(tmp_path: Path, url: str, said: str) -> None:
    with pytest.raises(UnknownBackendError) as caught:
        open_index(url, data_dir=tmp_path)
    assert caught.value.kind == ErrorKind.INVALID_INPUT
    assert caught.value.message == (
        f"The search URL has {said}, which names no search backend; known: http://, https://, "
        "opensearch://, opensearch+http://, opensearch+https:// (or no URL, for the embedded index).")
    assert "secret" not in caught.value.message
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize(("url", "product"), [
    (f"http://{NOBODY}", "Elasticsearch"),
    (f"opensearch://{NOBODY}", "OpenSearch"),
])
def test_a_cluster_url_reaches_the_engine_it_names(tmp_path: Path, url: str, product: str) -> None:
    # Opening a cluster's index stores its template first: the refusal names the client used.
    with pytest.raises(SearchUnavailableError, match=f"^{product} could not store the index template"):
        open_index(url, data_dir=tmp_path)


@pytest.mark.parametrize(("url", "address"), [
    ("opensearch://127.0.0.1:9200", "http://127.0.0.1:9200"),
    ("opensearch+http://127.0.0.1:9200", "http://127.0.0.1:9200"),
    ("opensearch+https://user:pw@search.example/", "https://user:pw@search.example/"),
])
def test_an_opensearch_url_is_spoken_over_http_or_https(url: str, address: str) -> None:
    assert transport_url(url) == address


opened_with: list[tuple[str | None, Path | None, str]] = []


def open_recorded(url: str | None, *, data_dir: Path | None, name: str = DEFAULT_NAME) -> SearchIndex:
    """A backend from outside the built-in ones: an embedded index that notes its opening."""
    opened_with.append((url, data_dir, name))
    assert data_dir is not None
    return TantivyIndex(data_dir / "plugged")


def test_a_new_backend_plugs_in_by_one_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BACKENDS, "plugged", f"{__name__}:open_recorded")
    opened_with.clear()
    index = open_index("plugged://anywhere", data_dir=tmp_path)
    index.close()
    assert opened_with == [("plugged://anywhere", tmp_path, DEFAULT_NAME)]
    assert (tmp_path / "plugged").is_dir()


def test_the_registry_loads_no_client_library_until_a_backend_is_asked_for() -> None:
    heavy = ("tantivy", "elasticsearch", "opensearchpy", "elastic_transport")
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, search.backends; "
         f"print(' '.join(name for name in {heavy!r} if name in sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []
