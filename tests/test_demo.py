"""`comunidad demo` in Spanish and Catalan: every chapter in the language asked for, the
network chapter's data as typed (in Catalan), and the regional view's figures.

The demo in English is `tests/test_cli_workspace.py`'s."""

from __future__ import annotations

from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.helpers import run


def _demo(in_tmp: Path, monkeypatch: pytest.MonkeyPatch, locale: str) -> str:
    import tempfile

    monkeypatch.setenv("TMPDIR", str(in_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(in_tmp))
    code, out, err = run("--locale", locale, "demo")
    assert code == 0, err
    assert "Traceback" not in out + err
    assert list(in_tmp.iterdir()) == []
    return " ".join(out.split())  # the console wraps long lines


@freeze_time("2030-02-28 10:00:00")
def test_the_demo_in_catalan(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _demo(in_tmp, monkeypatch, "ca")
    for heading in (
        "1. Un espai de treball nou",
        "6. Una sessió: quòrum i votacions, segons els estatuts",
        "9. Un fons concursable, de la convocatòria a l'adjudicació",
        "10. La feina de l'entitat en xarxes i espais territorials",
        "11. La vista regional: totes les aliances, una al costat de l'altra",
        "12. La base de dades",
    ):
        assert heading in out
    assert "$ comunidad network list: els espais i qui hi representa avui l'entitat" in out
    assert (
        "grup-motor comissió xarxa-infancia-sants jordi-vila (accio-comunitaria-sants) Grup Motor"
        in out
    )
    assert (
        "Xarxa d'Infància de Sants: representada per Núria Puig des del 24 de gener del 2029" in out
    )
    assert "Sessió del 19 de gener del 2030: Núria Puig, Jordi Vila." in out
    assert "calendari 8/2/30 complert jordi-vila Enviar el calendari d'activitats a la xarxa" in out
    assert "jornada 18/2/30 endarrerit nuria-puig Preparar la jornada de famílies" in out
    assert "Informació retornada el 29 de gener del 2030 a Famílies del casal" in out
    assert "Derivacions a través de taula-salut-mental el 2029-Q4: 3 fetes, 5 rebudes." in out
    assert "$ comunidad network overdue: 1 compromís amb el termini vençut" in out
    assert "Vista regional, de l'1 de març del 2029 al 28 de febrer del 2030: 3 aliances." in out
    assert "No atribuït 160.000,00 € 57.500,00 €" in out
    assert "Xarxes (de l'entitat, no d'una aliança): 2 espais, 2 comissions; 1 sessió" in out
    assert "Compromisos encara oberts el 28 de febrer del 2030: 1; vençuts: 1." in out
    assert "Derivacions dels períodes dins d'aquests dies: 3 fetes, 5 rebudes." in out


@freeze_time("2030-02-28 10:00:00")
def test_the_demo_in_spanish(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _demo(in_tmp, monkeypatch, "es")
    assert "9. Un fondo concursable, de la convocatoria a la adjudicación" in out
    assert "10. El trabajo de la entidad en redes y espacios territoriales" in out
    assert "11. La vista regional: todas las alianzas, lado a lado" in out
    # The fund's data as typed; its money in the Spanish way.
    assert "Cinco organizaciones del barrio postularon por 12.000.000 CLP" in out
    assert (
        "Presupuesto 8.000.000 CLP: 7.000.000 CLP adjudicado, quedan 1.000.000 CLP (modo omitir)."
        in out
    )
    assert (
        "Xarxa d'Infància de Sants: representada por Núria Puig desde el 24 de enero de 2029" in out
    )
    assert "$ comunidad network overdue: 1 compromiso con el plazo vencido" in out
    assert "Vista regional, del 1 de marzo de 2029 al 28 de febrero de 2030: 3 alianzas." in out
    assert "No atribuido 160.000,00 € 57.500,00 €" in out
    assert "Compromisos aún abiertos al 28 de febrero de 2030: 1; vencidos: 1." in out
