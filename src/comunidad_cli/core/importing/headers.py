"""Column names in Spanish and Catalan: a spreadsheet's `nombre;correo` is `name;email`.

Every import kind's columns have an English name (the one scripts and JSON use); a person
writes the header in their language. `HEADERS` gives each English column its Spanish and
Catalan names (the first is the one `comunidad export` writes); a column has the same
words in every kind it appears in, so the table is one per column name and serves each
kind. Reading ignores case and accents (`categoria` is `categoría`); no word names two
columns (a test checks it). README lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from comunidad_cli.core.choices import fold

#: English column -> language -> names (the first is the one an export writes).
HEADERS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "activity": {"es": ("actividad",), "ca": ("activitat",)},
    "agreement": {"es": ("acuerdo", "convenio"), "ca": ("acord", "conveni")},
    "amount": {"es": ("importe", "monto"), "ca": ("import",)},
    "application": {"es": ("postulación",), "ca": ("sol·licitud",)},
    "at": {"es": ("hora", "momento"), "ca": ("hora", "moment")},
    "attention": {"es": ("atención",), "ca": ("atenció",)},
    "award_number": {"es": ("número de concesión",), "ca": ("número de concessió",)},
    "balance": {"es": ("saldo",), "ca": ("saldo",)},
    "body": {"es": ("órgano",), "ca": ("òrgan",)},
    "by": {"es": ("por",), "ca": ("per",)},
    "bylaws": {"es": ("estatutos",), "ca": ("estatuts",)},
    "category": {"es": ("categoría", "partida"), "ca": ("categoria", "partida")},
    "choice": {"es": ("voto",), "ca": ("vot",)},
    "condition": {"es": ("condición",), "ca": ("condició",)},
    "class": {"es": ("clase",), "ca": ("classe",)},
    "criterion": {"es": ("criterio",), "ca": ("criteri",)},
    "currency": {"es": ("moneda", "divisa"), "ca": ("moneda", "divisa")},
    "cycle": {"es": ("ciclo",), "ca": ("cicle",)},
    "date": {"es": ("fecha",), "ca": ("data",)},
    "decision": {"es": ("decisión",), "ca": ("decisió",)},
    "deliverable": {"es": ("entregable",), "ca": ("lliurable",)},
    "denominator": {"es": ("denominador",), "ca": ("denominador",)},
    "due": {"es": ("vencimiento",), "ca": ("venciment",)},
    "description": {"es": ("descripción",), "ca": ("descripció",)},
    "dimension": {"es": ("dimensión",), "ca": ("dimensió",)},
    "direction": {"es": ("sentido", "dirección"), "ca": ("sentit", "direcció")},
    "email": {"es": ("correo", "correo electrónico"), "ca": ("correu", "correu electrònic")},
    "event": {"es": ("evento",), "ca": ("esdeveniment",)},
    "evidence": {"es": ("evidencia", "fundamento"), "ca": ("evidència", "fonament")},
    "every": {"es": ("cada",), "ca": ("cada",)},
    "facilitator": {"es": ("facilitador", "facilitadora"), "ca": ("facilitador", "facilitadora")},
    "first_due": {"es": ("primer vencimiento",), "ca": ("primer venciment",)},
    "from": {"es": ("desde", "inicio"), "ca": ("des de", "inici")},
    "funder": {"es": ("financiador",), "ca": ("finançador",)},
    "goal": {"es": ("meta", "objetivo"), "ca": ("meta", "objectiu")},
    "grant": {"es": ("subvención",), "ca": ("subvenció",)},
    "grant_title": {"es": ("título de la subvención",), "ca": ("títol de la subvenció",)},
    "group": {"es": ("grupo",), "ca": ("grup",)},
    "holds_payments": {"es": ("retiene pagos",), "ca": ("reté pagaments",)},
    "hours": {"es": ("horas",), "ca": ("hores",)},
    "id": {"es": ("id",), "ca": ("id",)},
    "indicator": {"es": ("indicador",), "ca": ("indicador",)},
    "instrument": {"es": ("instrumento",), "ca": ("instrument",)},
    "item": {"es": ("ítem", "pregunta"), "ca": ("ítem", "pregunta")},
    "kind": {"es": ("tipo",), "ca": ("tipus",)},
    "lead": {"es": ("nuestra parte", "entidad líder"), "ca": ("la nostra part", "entitat líder")},
    "lines": {
        "es": ("líneas de presupuesto", "partidas", "presupuesto"),
        "ca": ("línies de pressupost", "partides", "pressupost"),
    },
    "match": {"es": ("cofinanciación",), "ca": ("cofinançament",)},
    "meeting": {"es": ("sesión", "reunión"), "ca": ("sessió", "reunió")},
    "motion": {"es": ("moción",), "ca": ("moció",)},
    "name": {"es": ("nombre",), "ca": ("nom",)},
    "notice_sent": {"es": ("convocatoria enviada",), "ca": ("convocatòria enviada",)},
    "numerator": {"es": ("numerador",), "ca": ("numerador",)},
    "obligated": {"es": ("comprometido",), "ca": ("compromès",)},
    "org": {"es": ("organización", "entidad"), "ca": ("organització", "entitat")},
    "own": {"es": ("aporte propio", "aporte"), "ca": ("aportació pròpia", "aportació")},
    "paid": {"es": ("pagado",), "ca": ("pagat",)},
    "partner": {"es": ("socio", "entidad socia"), "ca": ("soci", "entitat sòcia")},
    "partner_name": {"es": ("nombre del socio",), "ca": ("nom del soci",)},
    "payment": {"es": ("pago",), "ca": ("pagament",)},
    "period": {"es": ("período", "periodo"), "ca": ("període",)},
    "made": {"es": ("hechas", "derivaciones hechas"), "ca": ("fetes", "derivacions fetes")},
    "period_from": {"es": ("período desde",), "ca": ("període des de",)},
    "period_to": {"es": ("período hasta",), "ca": ("període fins a",)},
    "person": {"es": ("persona",), "ca": ("persona",)},
    "phone": {"es": ("teléfono",), "ca": ("telèfon",)},
    "plan": {"es": ("plan",), "ca": ("pla",)},
    "pledged": {"es": ("prometido", "comprometido por donante"), "ca": ("promès",)},
    "priority": {"es": ("prioridad",), "ca": ("prioritat",)},
    "quality": {"es": ("cualidad",), "ca": ("qualitat",)},
    "project": {"es": ("proyecto",), "ca": ("projecte",)},
    "purpose": {"es": ("finalidad", "para qué"), "ca": ("finalitat", "per a què")},
    "points": {"es": ("puntos", "puntaje"), "ca": ("punts",)},
    "rank": {"es": ("rango", "orden"), "ca": ("rang", "ordre")},
    "rater": {"es": ("evaluador", "evaluadora"), "ca": ("avaluador", "avaluadora")},
    "reason": {"es": ("motivo",), "ca": ("motiu",)},
    "received": {"es": ("recibido",), "ca": ("rebut",)},
    "reviewer": {"es": ("revisor", "revisora"), "ca": ("revisor", "revisora")},
    "reviews": {"es": ("revisiones",), "ca": ("revisions",)},
    "risk_by": {"es": ("riesgo evaluado por",), "ca": ("risc avaluat per",)},
    "risk_level": {"es": ("riesgo", "nivel de riesgo"), "ca": ("risc", "nivell de risc")},
    "risk_on": {"es": ("riesgo evaluado el",), "ca": ("risc avaluat el",)},
    "role": {"es": ("cargo",), "ca": ("càrrec",)},
    "score": {"es": ("puntuación",), "ca": ("puntuació",)},
    "scored_on": {
        "es": ("evaluado el", "fecha de evaluación"),
        "ca": ("avaluat el", "data d'avaluació"),
    },
    "signed": {"es": ("firmado", "fecha de firma"), "ca": ("signat", "data de signatura")},
    "signed_by": {"es": ("firmado por",), "ca": ("signat per",)},
    "source": {"es": ("fuente", "origen"), "ca": ("font", "origen")},
    "space": {"es": ("espacio",), "ca": ("espai",)},
    "spent": {"es": ("gastado",), "ca": ("gastat",)},
    "status": {"es": ("estado",), "ca": ("estat",)},
    "subcontract": {"es": ("subcontrato",), "ca": ("subcontracte",)},
    "submitted_on": {"es": ("presentado el",), "ca": ("presentat el",)},
    "submitted_at": {"es": ("fecha de postulación",), "ca": ("data de sol·licitud",)},
    "territory": {"es": ("territorio",), "ca": ("territori",)},
    "title": {"es": ("título",), "ca": ("títol",)},
    "to": {"es": ("hasta", "fin"), "ca": ("fins a", "fi")},
    "topic": {"es": ("tema",), "ca": ("tema",)},
    "unit": {"es": ("unidad",), "ca": ("unitat",)},
    "until": {"es": ("hasta el", "fin de la serie"), "ca": ("fins al", "fi de la sèrie")},
    "value": {"es": ("valor",), "ca": ("valor",)},
    "what": {"es": ("dato", "qué"), "ca": ("dada", "què")},
}


def _aliases() -> dict[str, str]:
    found: dict[str, str] = {}
    for name, languages in HEADERS.items():
        for words in languages.values():
            for word in words:
                found.setdefault(fold(word), name)
    return found


#: folded Spanish or Catalan name -> English column name.
ALIASES: Mapping[str, str] = _aliases()


@lru_cache(maxsize=1024)
def english_column(name: str) -> str:
    """The English column a header (already stripped and case-folded) names: an English
    name is kept, a Spanish or Catalan one is mapped, anything else is left for
    `check_header` to refuse."""
    return ALIASES.get(fold(name), name)


def column_header(name: str, language: str) -> str:
    """The header an export writes for column `name` in `language` (English: the name)."""
    words = HEADERS.get(name, {}).get(language)
    return words[0] if words else name
