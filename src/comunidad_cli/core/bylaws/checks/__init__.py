"""The semantic checks of by-laws, by topic (`references`, `quorum`, `decisions`, `roles`);
`core/bylaws/lint.py` lists them in `CHECKS` and runs them."""
