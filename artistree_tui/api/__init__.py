"""The API layer: typed models, tolerant parsing, OAuth and the async HTTP client.

Nothing under this package imports Textual (a test enforces it), so it can be used by the
demo server's tests, the benchmarks and scripts without a UI.
"""
