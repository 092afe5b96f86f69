"""Import files, the pure part: columns, value parsers, header and row checks, duplicates.

No I/O: the service reads the file (CSV, JSON, NDJSON) into a header and numbered records of
text cells; this package turns them into typed rows and collects *every* problem, located at
`row` and `column`, as `Msg` data translated at the edge. By room:

- `values`: the value parsers (`parse_date`, `money`, ...);
- `text`: the control-character and one-line checks behind every typed name;
- `ids`: keys and the ids generated from names (`make_id`, `slugify`, `earlier_id`);
- `invalid`: `Invalid`, the refusal every parser raises, and `Parser`, their type;
- `columns`: `Column`, `Row`, `Problem`, `Parsed` and the header check;
- `rows`: the careful path, `RowParser`, `parse_records`, `find_duplicates`;
- `columnar`: the fast lane for large clean files (`Columnar`, `CellMemo`, `Irregular`).
"""
