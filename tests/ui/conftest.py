"""tests/ui: the console (Textual Pilot against the demo API). One folder per pane, like
artistree_tui/ui; the tests here are about the app as a whole (settings it applies, hostile
text through every pane, the first page asked for early, the confidence score).

No fixtures of its own: the console, waiting and reading the screen are in
tests/support/app.py.
"""
