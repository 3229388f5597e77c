"""Search: one protocol, an embedded tantivy index and an Elasticsearch backend."""
