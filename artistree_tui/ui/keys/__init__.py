"""The keyboard: binding ids and the [keymap] table, the README's key table, the footer and
the command palette's providers.
Posts nothing.
"""
