"""tests/ui/keys: the console's keys, the keymap, the footer, the palette and the README's
key table.

No fixtures of its own: ``demo_server`` comes from tests/conftest.py.
"""
