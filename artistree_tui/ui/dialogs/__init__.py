"""The screens opened over the console: help, the order-id prompt, the certificate choice
(and the certificate desk that fetches and saves the PDF).
Posts: nothing beyond each modal's dismiss value.
"""
