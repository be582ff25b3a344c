"""Pharmacy: what a dispensing system drives: batches of a day's prescriptions, the HTTP service, output written safely, and clean stops on signals.

May import every wing below it and ``rxleaflet.api``; never ``rxleaflet.cli``.
"""
