"""tests/ui/dialogs: the help screen and the certificate choice (copy or save the PDF).

No fixtures of its own: ``make_demo``, ``demo_http`` and ``http`` come from tests/conftest.py;
opening an order and the certificate choice are in tests/support/app.py.
"""
