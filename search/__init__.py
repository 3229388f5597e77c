"""Search: one protocol, and backends picked by the URL's scheme (`search.backends`): an
embedded tantivy index, Elasticsearch and OpenSearch."""
