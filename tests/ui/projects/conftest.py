"""tests/ui/projects: the project sidebar, the project directory and its discovery.

No fixtures of its own: ``demo_server`` and ``make_demo`` come from tests/conftest.py.
"""
