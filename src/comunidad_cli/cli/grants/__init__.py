"""`comunidad grant|subcontract|payment|deliverable ...`: grant administration.

One module per command group (`grant`, `subcontract`, `payment`, `deliverable`), each a
Typer app registered lazily by cli/app.py, so a command builds only its own group. Amounts
are typed the way of the active locale (es, ca: 1.234,56; en: 1,234.56), parsed by the same
parser as imports, and shown with Babel in the user's locale and the grant's currency.
"""
