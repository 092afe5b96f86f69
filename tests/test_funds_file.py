"""The round file of a competitive fund: `comunidad fund new` and `comunidad fund check`,
every finding code at its line and column, all at once, in every format and language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import run

EXAMPLE = ROOT / "examples" / "fondos" / "2026-barrio-activo.toml"
TEXT = EXAMPLE.read_text(encoding="utf-8")

#: (code, text in the example, replaced by, where, message): the example with one mistake.
ONE_MISTAKE = [
    ("FD101", 'body = "directorio"\n', "", "1:1", 'missing required key "body" in (top level)'),
    (
        "FD102",
        'award_mode = "skip"\n',
        'award_mode = "skip"\nawrd = 1\n',
        "25:1",
        'unknown key "awrd" in (top level); allowed keys: schema, id, name, body, currency, budget, dates, serves, eligibility, min_amount, max_amount, own_share, own_amount, reviewers_per_application, reviewers_body, max_spread, criteria, min_score, tie_break, award_mode, accountability',
    ),
    (
        "FD103",
        "reviewers_per_application = 3",
        'reviewers_per_application = "three"',
        "14:29",
        '"reviewers_per_application" must be an integer, found a string',
    ),
    (
        "FD104",
        "schema = 1",
        "schema = 2",
        "5:10",
        "unsupported schema version 2: this comunidad reads schema 1",
    ),
    (
        "FD105",
        'id = "2026-barrio-activo"',
        'id = "Barrio Activo"',
        "6:6",
        '"Barrio Activo" is not a valid round id: use lower-case letters, digits, "_" and "-", starting with a letter or a digit (2026-barrio-activo)',
    ),
    (
        "FD106",
        'kinds = ["community"]',
        'kinds = ["community", "club"]',
        "41:23",
        'unknown organisation kind "club": the kinds are agency, community, business, public, funder',
    ),
    ("FD107", 'body = "directorio"', 'body = " "', "7:8", '"body" must not be empty'),
    (
        "FD108",
        'ca = "Fons Barri Actiu 2026"\n',
        "",
        "26:2",
        "name has no translation in ca: shown in es there",
    ),
    (
        "FD109",
        "applications_per_org = 1",
        "applications_per_org = 0",
        "44:24",
        '"eligibility.applications_per_org" must be at least 1, found 0',
    ),
    (
        "FD110",
        'max_spread = "1.5"',
        "max_spread = 1.5",
        "15:14",
        '"max_spread" is written as a float (1.5), which is not exact: write it as a string, e.g. "1.5"',
    ),
    (
        "FD111",
        'id = "viabilidad"',
        'id = "pertinencia"',
        "75:6",
        'criterion id "pertinencia" is used twice: scores name criteria by id',
    ),
    (
        "FD112",
        'own_share = "1/10"',
        'own_share = "1/10"\nown_amount = 100000',
        "14:1",
        "the own contribution is given both as own_share and as own_amount: keep the one the call states",
    ),
    (
        "FD201",
        "evaluation = 2026-05-29",
        "evaluation = 2026-05-01",
        "37:14",
        "evaluation (2026-05-01) comes before appeals_until (2026-05-08): the steps go call <= applications_open <= applications_close <= admissibility <= appeals_until <= evaluation <= award",
    ),
    (
        "FD203",
        "start = 2026-07-01 ",
        "start = 2026-06-01 ",
        "93:9",
        "the funded projects start on 2026-06-01, before the award on 2026-06-12",
    ),
    (
        "FD204",
        "end = 2026-11-30 ",
        "end = 2026-06-30 ",
        "94:7",
        "the funded projects end on 2026-06-30, before they start on 2026-07-01",
    ),
    (
        "FD205",
        "due = 2026-09-15",
        "due = 2026-06-15",
        "98:7",
        "this report is due on 2026-06-15, before the funded projects start on 2026-07-01",
    ),
    (
        "FD106",
        'kind = "subaward"',
        'kind = "grant"',
        "92:8",
        'unknown project kind "grant": choose from subaward, contract',
    ),
    (
        "FD202",
        "applications_close = 2026-04-17",
        "applications_close = 2026-03-10",
        "34:22",
        "applications close on 2026-03-10, before they open on 2026-03-16",
    ),
    (
        "FD301",
        'currency = "CLP"',
        'currency = "XYZ"',
        "8:12",
        '"XYZ" is not a currency code known to comunidad (ISO 4217, such as CLP or EUR)',
    ),
    (
        "FD302",
        'currency = "CLP"',
        'currency = "CLF"',
        "8:12",
        "amounts in CLF have 4 decimals, and comunidad keeps money to the cent (2 decimals): choose the currency the budget is paid in",
    ),
    (
        "FD303",
        "min_amount = 800000",
        'min_amount = "800000.50"',
        "11:14",
        "min_amount = 800000.50: amounts in CLP have 0 decimals",
    ),
    ("FD304", "budget = 24000000", "budget = 0", "9:10", "budget must be more than zero, found 0"),
    (
        "FD305",
        "min_amount = 800000",
        "min_amount = 4000000",
        "11:14",
        "min_amount (4000000) is above max_amount (3500000): no amount could be asked",
    ),
    (
        "FD306",
        "max_amount = 3500000",
        "max_amount = 30000000",
        "12:14",
        "max_amount (30000000) is above the budget (24000000)",
    ),
    (
        "FD307",
        'own_share = "1/10"',
        'own_share = "1"',
        "13:13",
        'own_share 1 is not a share of the project: write a fraction from 0 up to, not including, 1 (such as "1/10")',
    ),
    (
        "FD401",
        'weight = "0.25"',
        'weight = "1/5"',
        "48:3",
        "the criteria's weights sum to 0.95, not 1: they are 0.4 + 0.35 + 0.2",
    ),
    (
        "FD402",
        'weight = "0.25"',
        'weight = "0"',
        "77:10",
        "weight 0 of criterion viabilidad must be more than 0 and at most 1",
    ),
    (
        "FD403",
        'scale = { min = 1, max = 5 }\n\n[criteria.levels]\n1 = { es = "No es realizable"',
        'scale = { min = 5, max = 1 }\n\n[criteria.levels]\n1 = { es = "No es realizable"',
        "78:1",
        "the scale of criterion viabilidad goes from 5 to 1: min must be below max",
    ),
    (
        "FD404",
        '5 = { es = "Amplia participación del territorio", en = "Broad participation across the area", ca = "Àmplia participació del territori" }\n',
        "",
        "67:11",
        "criterion participacion has no descriptor for point 5 of its scale 1-5",
    ),
    (
        "FD405",
        ', ca = "No és realitzable"',
        "",
        "81:1",
        "criteria.2.levels.1 has no translation in ca: shown in es there",
    ),
    (
        "FD406",
        'min_score = "3"',
        'min_score = "5.5"',
        "16:13",
        "min_score 5.5 is outside the weighted totals the rubric gives, 1 to 5",
    ),
    (
        "FD408",
        'max_spread = "1.5"',
        'max_spread = "4"',
        "15:14",
        "max_spread 4 is never exceeded: weighted totals differ by at most 4, so no reviewers would ever be flagged",
    ),
    (
        "FD501",
        '"smaller_amount",',
        '"smallest_amount",',
        "20:5",
        'unknown tie-break "smallest_amount": choose from priority, criterion:<id>, smaller_amount, earlier_submission, lottery',
    ),
    (
        "FD502",
        '"earlier_submission",\n    "lottery",',
        '"lottery",\n    "earlier_submission",',
        "21:5",
        "the lottery must be the last tie-break: nothing after it could ever decide",
    ),
    (
        "FD503",
        '"criterion:participacion",',
        '"criterion:participación",',
        "19:5",
        '"criterion:participación" names no criterion of this round: the criteria are participacion, pertinencia, viabilidad',
    ),
    (
        "FD504",
        'award_mode = "skip"',
        'award_mode = "greedy"',
        "24:14",
        'unknown award mode "greedy": choose from skip, stop, partial, best',
    ),
    (
        "FD505",
        '"smaller_amount",',
        '"priority",',
        "20:5",
        '"priority" is in the tie-break twice: the second can never decide',
    ),
]


def _round(tmp_path: Path, text: str, name: str = "round.toml") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_passes_strict_and_check_is_silent() -> None:
    assert run("fund", "check", str(EXAMPLE.parent), "--strict") == (0, "", "")


def test_verbose_says_so_when_clean() -> None:
    code, _, err = run("fund", "check", str(EXAMPLE), "--verbose")
    assert code == 0
    assert "No problems in 1 file" in err


@pytest.mark.parametrize(
    ("code", "old", "new", "where", "message"), ONE_MISTAKE, ids=[c[0] for c in ONE_MISTAKE]
)
def test_each_code_at_its_line_and_column(
    tmp_path: Path, code: str, old: str, new: str, where: str, message: str
) -> None:
    assert TEXT.count(old) >= 1
    path = _round(tmp_path, TEXT.replace(old, new, 1))
    exit_code, out, _ = run("fund", "check", str(path), "--strict")
    assert exit_code == 1
    severity = "warning" if code in ("FD108", "FD405", "FD408", "FD505") else "error"
    assert out == f"{path}:{where}: {code} [{severity}] {message}\n"


@pytest.mark.parametrize(
    ("old", "new", "where", "key"),
    [
        (
            'serves = ["espacios-publicos", "seguridad-comunitaria", "personas-mayores"]',
            "serves = []",
            "10:10",
            "serves",
        ),
        ('kinds = ["community"]', "kinds = []", "41:9", "eligibility.kinds"),
    ],
    ids=["serves", "kinds"],
)
def test_an_empty_list_of_priorities_or_kinds(
    tmp_path: Path, old: str, new: str, where: str, key: str
) -> None:
    path = _round(tmp_path, TEXT.replace(old, new, 1))
    code, out, _ = run("fund", "check", str(path))
    assert code == 1
    assert out == f'{path}:{where}: FD107 [error] "{key}" must name at least one\n'


def test_a_round_without_criteria(tmp_path: Path) -> None:
    head = TEXT[: TEXT.index("# --- Pauta")].replace('"criterion:participacion",', "")
    path = _round(
        tmp_path, head.replace('award_mode = "skip"', 'award_mode = "skip"\ncriteria = []')
    )
    code, out, _ = run("fund", "check", str(path))
    assert code == 1
    assert out == f"{path}:25:1: FD407 [error] the round has no criteria: add [[criteria]] tables\n"


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    path = _round(tmp_path, TEXT.replace('ca = "Fons Barri Actiu 2026"\n', ""))
    code, out, err = run("fund", "check", str(path))
    assert code == 0
    assert "FD108 [warning]" in out
    assert "1 warning in 1 of 1 file" in err
    assert run("fund", "check", str(path), "--strict")[0] == 1


BAD = """\
schema = 1
id = "Mal Id"
body = "directorio"
currency = "CLF"
budget = 1000.5
colour = 1
serves = ["ok"]
min_amount = "5000"
max_amount = "4000"
own_share = "3/2"
reviewers_per_application = 0
max_spread = 9
min_score = "7"
tie_break = ["lottery", "priority", "criterion:nada", "coin", "priority"]
award_mode = "greedy"

[name]
es = "x"

[dates]
call = 2026-03-02
applications_open = 2026-03-16
applications_close = 2026-03-10
admissibility = 2026-04-30
appeals_until = 2026-04-08
evaluation = 2026-05-29
award = "2026-06-12"

[eligibility]
kinds = ["communty"]

[[criteria]]
id = "a"
name = { es = "A", en = "A", ca = "A" }
weight = 0.5
scale = { min = 1, max = 3 }
[criteria.levels]
1 = { es = "x", en = "x" }
2 = { es = "x", en = "x", ca = "x" }
7 = { es = "x", en = "x", ca = "x" }

[[criteria]]
id = "a"
name = { es = "B", en = "B", ca = "B" }
weight = "1/3"
scale = { min = 3, max = 3 }
levels = {}
"""


def test_every_finding_at_once_in_file_order(tmp_path: Path) -> None:
    path = _round(tmp_path, BAD)
    code, out, err = run("fund", "check", str(path))
    assert code == 1
    got = [line.removeprefix(f"{path}:").split(" [")[0] for line in out.splitlines()]
    assert got == [
        "2:6: FD105",
        "4:12: FD302",
        "5:10: FD110",
        "6:1: FD102",
        "8:14: FD305",
        "10:13: FD307",
        "11:29: FD109",
        "14:14: FD502",
        "14:37: FD503",
        "14:55: FD501",
        "14:63: FD505",
        "15:14: FD504",
        "17:2: FD108",
        "23:22: FD202",
        "25:17: FD201",
        "27:9: FD103",
        "30:10: FD106",
        "35:10: FD110",
        "37:11: FD404",
        "38:1: FD405",
        "40:1: FD404",
        "43:6: FD111",
        "46:1: FD403",
    ]
    assert "20 errors and 3 warnings in 1 of 1 file" in err


def test_spanish_and_catalan_messages(tmp_path: Path) -> None:
    path = _round(tmp_path, BAD)
    _, es, es_err = run("fund", "check", str(path), "--locale", "es")
    assert (
        f'{path}:15:14: FD504 [error] modo de adjudicación desconocido "greedy": elige entre'
        " skip, stop, partial, best\n" in es
    )
    assert "20 errores y 3 advertencias en 1 de 1 archivo" in es_err
    _, ca, _ = run("fund", "check", str(path), "--locale", "ca")
    assert (
        f"{path}:14:14: FD502 [error] el sorteig ha de ser l'últim desempat: res després d'ell"
        " no podria decidir\n" in ca
    )
    assert f'{path}:14:63: FD505 [avís] "priority" és dues vegades al desempat' in ca


@pytest.mark.parametrize(
    ("content", "code", "where"),
    [
        (b"", "FD003", "1:1"),
        (b"schema = 1\nid = \xff\n", "FD002", "2:6"),
        (b'schema = 1\nid = "a" b\n', "FD001", "2:10"),
        (b"schema = 1\n\x00", "FD005", "2:1"),
        (b"a = " + b"[" * 70 + b"]" * 70 + b"\n", "FD006", "1:"),
    ],
    ids=["empty", "not-utf8", "syntax", "binary", "too-deep"],
)
def test_files_that_are_not_rounds(tmp_path: Path, content: bytes, code: str, where: str) -> None:
    path = tmp_path / "round.toml"
    path.write_bytes(content)
    exit_code, out, _ = run("fund", "check", str(path))
    assert exit_code == 1
    assert out.startswith(f"{path}:{where}")
    assert f": {code} [error] " in out
    assert len(out.splitlines()) == 1


def test_a_broken_link_in_the_folder_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    _round(tmp_path, TEXT, "ok.toml")
    code, out, _ = run("fund", "check", str(tmp_path))
    assert code == 1
    assert out.startswith(f"{tmp_path / 'gone.toml'}:1:1: FD007 [error] broken symbolic link")


def test_json_github_and_sarif(tmp_path: Path) -> None:
    path = _round(tmp_path, TEXT.replace('award_mode = "skip"', 'award_mode = "greedy"'))
    code, out, _ = run("fund", "check", str(path), "--json")
    assert code == 1
    document = json.loads(out)
    assert document["files_checked"] == 1
    assert document["summary"] == {"error": 1, "warning": 0}
    [found] = document["findings"]
    assert found["code"] == "FD504"
    assert (found["line"], found["column"], found["path"]) == (24, 14, "award_mode")
    assert found["title"] == "Unknown award mode"

    code, out, _ = run("fund", "check", str(path), "--format", "github")
    assert code == 1
    assert out == (
        f"::error file={path},line=24,col=14,title=FD504::unknown award mode"
        ' "greedy": choose from skip, stop, partial, best\n'
    )

    code, out, _ = run("fund", "check", str(path), "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    [result] = run_["results"]
    assert result["ruleId"] == "FD504"
    assert rules[result["ruleIndex"]]["id"] == "FD504"
    assert rules[result["ruleIndex"]]["name"] == "UnknownAwardMode"
    assert all(rule["id"].startswith("FD") for rule in rules)
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 24, "startColumn": 14}


def test_usage_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run("fund", "check", str(tmp_path / "missing.toml"))
    assert code == 2
    assert "no such file or directory" in err
    monkeypatch.chdir(tmp_path)
    code, _, err = run("fund", "check")
    assert code == 2
    assert "no fondos/ folder here" in err
    assert run("fund", "check", str(EXAMPLE), "--json", "--format", "sarif")[0] == 2
    assert run("fund", "check", "--format", "yaml")[0] == 2


def test_fund_new_writes_a_commented_file_that_passes(in_tmp: Path) -> None:
    code, _, err = run("fund", "new", "2026-barrio-activo", "--name", "Barrio [Activo] 2026")
    assert code == 0
    path = in_tmp / "fondos" / "2026-barrio-activo.toml"
    assert "Wrote fondos/2026-barrio-activo.toml" in err
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert 'id = "2026-barrio-activo"' in text
    assert 'es = "Barrio [Activo] 2026"' in text
    assert run("fund", "check", "--strict") == (0, "", "")


def test_fund_new_refuses_to_overwrite(in_tmp: Path) -> None:
    assert run("fund", "new", "fondo-a")[0] == 0
    path = in_tmp / "fondos" / "fondo-a.toml"
    path.write_text("# mine\n", encoding="utf-8")
    code, _, err = run("fund", "new", "fondo-a")
    assert code == 1
    assert "already exists: not overwriting it" in err
    assert path.read_text(encoding="utf-8") == "# mine\n"


def test_fund_new_to_stdout_and_bad_ids(in_tmp: Path) -> None:
    code, out, _ = run("fund", "new", "fondo-b", "-o", "-")
    assert code == 0
    assert 'id = "fondo-b"' in out
    assert not (in_tmp / "fondos").exists()
    code, _, err = run("fund", "new", "Fondo B")
    assert code == 2
    assert "is not a valid round id" in err
    code, _, err = run("fund", "new", "fondo-c", "--name", "a\x1b[31mb")
    assert code == 1
    assert not (in_tmp / "fondos").exists()


def test_fund_new_in_a_workspace_writes_beside_the_by_laws(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "ws"), "--template", "directorio")[0] == 0
    code, _, _ = run("--workspace", str(tmp_path / "ws"), "fund", "new", "fondo-d")
    assert code == 0
    assert (tmp_path / "ws" / "fondos" / "fondo-d.toml").is_file()
    assert run("--workspace", str(tmp_path / "ws"), "fund", "check", "--strict")[0] == 0


def test_fund_new_in_a_catalan_workspace_names_its_body_and_currency(tmp_path: Path) -> None:
    """A Catalan tester's `fund new` in a xarxa workspace failed its own check (FD113: no
    body "directorio") and asked for pesos; its minimum score only a perfect sheet reached."""
    ws = tmp_path / "ws"
    assert run("init", str(ws), "--template", "xarxa", "--locale", "ca")[0] == 0
    assert run("--workspace", str(ws), "fund", "new", "r1", "--name", "Convocatòria 2027")[0] == 0
    text = (ws / "fondos" / "r1.toml").read_text(encoding="utf-8")
    assert 'body = "plenari"' in text and 'currency = "EUR"' in text
    assert 'min_score = "2"' in text and "scale = { min = 1, max = 3 }" in text
    assert run("--workspace", str(ws), "fund", "check", "--strict") == (0, "", "")


def test_in_a_workspace_the_body_is_one_of_the_by_laws(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    assert run("init", str(workspace), "--template", "directorio")[0] == 0
    path = _round(workspace / "fondos", TEXT.replace('body = "directorio"', 'body = "junta"'))
    code, out, _ = run("--workspace", str(workspace), "fund", "check")
    assert code == 1
    assert out.startswith(
        f'{path}:7:8: FD113 [error] no body "junta" in the workspace\'s by-laws: the bodies are'
        " directorio, "
    )
    # Outside a workspace no by-laws are known, and the body is not judged.
    assert run("fund", "check", str(path))[0] == 0


def test_in_a_workspace_the_reviewers_body_is_one_of_the_by_laws(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    assert run("init", str(workspace), "--template", "directorio")[0] == 0
    text = TEXT.replace('body = "directorio"\n', 'body = "directorio"\nreviewers_body = "jurado"\n')
    path = _round(workspace / "fondos", text)
    code, out, _ = run("--workspace", str(workspace), "fund", "check", "--format", "json")
    assert code == 1
    [found] = json.loads(out)["findings"]
    assert (found["code"], found["line"], found["column"]) == ("FD114", 8, 18)
    assert found["message"].startswith(
        'no body "jurado" in the workspace\'s by-laws for the reviewers: the bodies are directorio, '
    )
    good = text.replace('reviewers_body = "jurado"', 'reviewers_body = "directorio"')
    path.write_text(good, encoding="utf-8")
    assert run("--workspace", str(workspace), "fund", "check", "--strict")[0] == 0
    # Outside a workspace no by-laws are known, and the body is not judged.
    path.write_text(text, encoding="utf-8")
    assert run("fund", "check", str(path))[0] == 0


def _spanish_only(text: str) -> str:
    """The example as a Spanish-only board writes it: every text in es alone."""
    return re.sub(r', en = "[^"]*", ca = "[^"]*" \}', " }", text)


def test_a_spanish_only_rubric_passes_with_warnings_saying_the_fallback(tmp_path: Path) -> None:
    path = _round(tmp_path, _spanish_only(TEXT))
    code, out, _ = run("fund", "check", str(path), "--locale", "es")
    assert code == 0
    assert "[error]" not in out
    assert (
        f"{path}:55:1: FD405 [advertencia] criteria.0.levels.1 no tiene traducción en en, ca:"
        " allí se muestra en es\n" in out
    )


def test_a_level_with_no_text_at_all_is_still_an_error(tmp_path: Path) -> None:
    old = '1 = { es = "No es realizable", en = "Not feasible", ca = "No és realitzable" }'
    assert old in TEXT
    path = _round(tmp_path, TEXT.replace(old, "1 = {}"))
    code, out, _ = run("fund", "check", str(path))
    assert code == 1
    assert f"{path}:81:1: FD404 [error] criteria.2.levels.1 has no text in any language" in out


def test_eligible_kinds_in_the_words_org_add_accepts(tmp_path: Path) -> None:
    path = _round(
        tmp_path, TEXT.replace('kinds = ["community"]', 'kinds = ["comunitaria", "Comunitària"]')
    )
    assert run("fund", "check", str(path), "--strict") == (0, "", "")


def test_an_amount_with_thousands_separators_says_what_it_might_mean(tmp_path: Path) -> None:
    path = _round(tmp_path, TEXT.replace("budget = 24000000", 'budget = "6.000.000"'))
    code, out, _ = run("fund", "check", str(path), "--locale", "es_CL")
    assert code == 1
    assert out == (
        f'{path}:9:10: FD103 [error] "budget" es "6.000.000", escrito con separadores: escribe'
        " los montos sin separador de miles, como entero (1500000) o como cadena con punto"
        ' decimal ("1500.50"); "6.000.000" quizá quiso decir 6000000\n'
    )


@pytest.mark.parametrize(
    ("typed", "locale", "meant"),
    [("6,000", "es_CL", '"6.000"'), ("6,000", "en", "6000"), ("6.000,5", "en", '"6000.5"')],
)
def test_an_ambiguous_amount_is_read_in_the_workspace_locale(
    tmp_path: Path, typed: str, locale: str, meant: str
) -> None:
    path = _round(tmp_path, TEXT.replace("min_amount = 800000", f'min_amount = "{typed}"'))
    code, out, _ = run("fund", "check", str(path), "--locale", locale)
    assert code == 1
    assert out.endswith(f"might mean {meant}\n") or out.endswith(f"quizá quiso decir {meant}\n")


def test_a_number_with_separators_is_a_translated_syntax_error_with_a_hint(
    tmp_path: Path,
) -> None:
    path = _round(tmp_path, TEXT.replace("max_amount = 3500000", "max_amount = 1.500.000"))
    code, out, _ = run("fund", "check", str(path), "--locale", "es")
    assert code == 1
    assert out == (
        f"{path}:12:19: FD001 [error] error de sintaxis TOML: se esperaba el fin de la línea"
        " después de un valor; los números del archivo no llevan separador de miles: escribe"
        ' 1500000, o un monto como cadena ("1500.50")\n'
    )


def test_six_point_zero_zero_zero_in_pesos_says_it_might_be_six_thousand(tmp_path: Path) -> None:
    path = _round(tmp_path, TEXT.replace("min_amount = 800000", 'min_amount = "6.000"'))
    _, es, _ = run("fund", "check", str(path), "--locale", "es_CL")
    assert es == (
        f"{path}:11:14: FD303 [error] min_amount = 6.000: los montos en CLP tienen 0"
        ' decimales; si el "." separa los miles, escribe 6000\n'
    )
    _, en, _ = run("fund", "check", str(path), "--locale", "en")
    assert en.endswith("amounts in CLP have 0 decimals\n")
