"""Record linkage: one martyr's many copies (list entries, person records, graves) found
and joined, namesakes kept apart, nothing merged silently."""
