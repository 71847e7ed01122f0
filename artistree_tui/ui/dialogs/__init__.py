"""The screens opened over the console: help, the order-id prompt, the certificate choice
(and the certificate desk that fetches and saves the PDF), the export dialog (and the export
desk whose worker writes the current view to a CSV or JSON file).
Posts: nothing beyond each modal's dismiss value; the desks' workers post to their own desk.
"""
