"""Pure decoding domain: text normalisation, designation grammar, registry and resolver.

Nothing in this package performs I/O or imports another Phiên hiệu package.
"""
