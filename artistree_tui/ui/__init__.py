"""The Textual console: the app shell, its panes and the widgets they are built from.

Everything under this package may import Textual; :mod:`artistree_tui.api` and
:mod:`artistree_tui.demo` never do. Pure-Python models that the widgets render (the list,
projects, keymaps) live here too, in modules that import no Textual, so they can be unit-tested
without an app.
"""
