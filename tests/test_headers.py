"""CSV headers in the user's language: a Spanish spreadsheet's `nombre;correo` imports, and
an export's header row is in the user's language (`--headers en` for scripts), so a file
exported in Spanish imports back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from comunidad_cli.core.choices import fold
from comunidad_cli.core.importing.columns import normalize_header
from comunidad_cli.core.importing.headers import HEADERS
from tests.helpers import dump, ok, run, write
from tests.test_grants import activate, new_subcontract, pay, ws  # noqa: F401 (a fixture)


def test_no_spanish_or_catalan_name_names_two_columns() -> None:
    owner: dict[str, str] = {}
    for name, languages in HEADERS.items():
        for words in languages.values():
            for word in words:
                key = fold(word)
                assert owner.setdefault(key, name) == name, (word, owner[key], name)
                assert key not in HEADERS or key == name, (word, name)


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("nombre", "name"),
        ("Correo", "email"),
        ("\ufeffCATEGORÍA", "category"),
        ("categoria", "category"),
        ("correu electrònic", "email"),
        ("importe", "amount"),
        ("name", "name"),
        ("nonsense", "nonsense"),
    ],
)
def test_a_header_in_spanish_or_catalan_names_its_english_column(header: str, column: str) -> None:
    assert normalize_header(header) == column


def test_a_spanish_spreadsheet_of_people_imports(in_tmp: Path) -> None:
    """`nombre;correo` was `columna desconocida "nombre"`."""
    assert run("init", "w", "--locale", "es")[0] == 0
    people = write(in_tmp, "personas.csv", "nombre;correo\nNuria Vila;nuria@example.org\n")
    code, _out, err = run("--workspace", "w", "import", "people", str(people))
    assert code == 0, err
    listed = json.loads(ok("--workspace", "w", "person", "list", "--json"))
    assert [(p["name"], p["email"]) for p in listed] == [("Nuria Vila", "nuria@example.org")]


@pytest.mark.usefixtures("ws")
def test_a_payments_export_in_spanish_imports_back_unchanged() -> None:
    root = Path.cwd()
    new_subcontract()
    activate()
    assert pay("personnel=1,000.00", "supplies=0.01", key="inv-1", status="paid")[0] == 0
    text = ok("--locale", "es", "export", "payments")
    assert text.splitlines()[0] == (
        "pago;subcontrato;período desde;período hasta;fecha;estado;categoría;importe"
    )
    assert text.splitlines()[1].split(";")[5] == "pagado"  # the status in Spanish too
    catalan = ok("--locale", "ca", "export", "payments")
    assert catalan.splitlines()[0].startswith("pagament;subcontracte;període des de;")
    assert catalan.splitlines()[1].split(";")[5] == "pagat"
    english = ok("--locale", "es", "export", "payments", "--headers", "en")
    assert english.splitlines()[0].startswith("payment;subcontract;period_from;")
    target = root / "pagos.csv"
    code, _out, err = run("--locale", "es", "export", "payments", "--output", str(target))
    assert code == 0, err
    before = dump(root)
    code, _out, err = run("--locale", "es", "import", "payments", str(target))
    assert code == 0, err
    assert dump(root) == before
    catalan_file = root / "pagaments.csv"
    assert run("--locale", "ca", "export", "payments", "--output", str(catalan_file))[0] == 0
    code, _out, err = run("--locale", "ca", "import", "payments", str(catalan_file))
    assert code == 0, err
    assert dump(root) == before
    assert english.splitlines()[1].split(";")[5] == "paid"
    code, _out, err = run("export", "payments", "--headers", "fr")
    assert code == 2 and "--headers" in err


def test_examples_readme_lists_every_column_name() -> None:
    text = (Path(__file__).resolve().parent.parent / "examples" / "README.md").read_text()
    for name, languages in HEADERS.items():
        row = f"| {name} | {', '.join(languages['es'])} | {', '.join(languages['ca'])} |"
        assert row in text, row


def test_a_rows_problem_names_its_column_as_the_files_header_does(in_tmp: Path) -> None:
    """A Catalan tester's `persones.csv:7: org: ...` was under the header "entitat": the
    column is named as typed in the file, and English headers read as before."""
    assert run("init", "w", "--locale", "ca")[0] == 0
    people = write(in_tmp, "persones.csv", "nom;correu;Entitat\nAnna;anna@x.org;cap\n")
    code, _out, err = run("--workspace", "w", "import", "people", str(people))
    assert code == 1 and err.startswith(f"error: {people}:2: Entitat: ")
    english = write(in_tmp, "people.csv", "name,email,org\nAnna,anna@x.org,none\n")
    code, _out, err = run("--workspace", "w", "import", "people", str(english))
    assert code == 1 and err.startswith(f"error: {english}:2: org: ")
