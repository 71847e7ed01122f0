"""tests/ui/wire: what the console writes to the terminal, made smaller (ui/wire).

No fixtures of its own: the terminal model the tests compare outputs with is
tests/support/terminal_model.py.
"""
