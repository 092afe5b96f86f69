"""The words of each choice a person types or reads, in every language.

A vote is stored as `yes`, a subcontract's risk as `low`: stable English values that JSON,
the database and scripts keep. A person in Santiago types `--choice sí` or `--level bajo`,
in Barcelona `baix`, and reads them back in their language. One table holds each value's
words per language (the first is how it is shown); `parse` accepts any of them, and the
English value always, ignoring case and accents, and refuses a word that could be two
values rather than guess. The edge shows a value with `label` (via `i18n.choice_word`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from comunidad_cli.core.messages import N_, Msg

#: value -> language -> words (the first is the one shown). English shows the value itself.
WORDS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    # a vote
    "yes": {"es": ("sí",), "ca": ("sí",)},
    "no": {"es": ("no",), "ca": ("no",)},
    "abstain": {"es": ("abstención", "abstenerse"), "ca": ("abstenció", "abstenir-se")},
    # a meeting
    "regular": {"es": ("ordinaria", "ordinario"), "ca": ("ordinària", "ordinari")},
    "special": {"es": ("extraordinaria", "extraordinario"), "ca": ("extraordinària",)},
    # attendance
    "arrive": {"es": ("llegada", "llega"), "ca": ("arribada", "arriba")},
    "leave": {"es": ("salida", "sale"), "ca": ("sortida", "surt")},
    # an organisation
    "agency": {"es": ("agencia",), "ca": ("agència",)},
    "community": {"es": ("comunitaria", "comunidad"), "ca": ("comunitària", "comunitat")},
    "business": {"es": ("empresa", "negocio"), "ca": ("empresa", "negoci")},
    "public": {"es": ("pública", "público"), "ca": ("pública", "públic")},
    "funder": {"es": ("financiador", "financiadora"), "ca": ("finançador", "finançadora")},
    # a resource
    "funding": {"es": ("financiación",), "ca": ("finançament",)},
    "donation": {"es": ("donación",), "ca": ("donació",)},
    "in_kind": {"es": ("en especie",), "ca": ("en espècie",)},
    "volunteer_hours": {"es": ("horas de voluntariado",), "ca": ("hores de voluntariat",)},
    # a subcontract
    "subaward": {"es": ("subvención derivada",), "ca": ("subvenció derivada",)},
    "contract": {"es": ("contrato",), "ca": ("contracte",)},
    "draft": {"es": ("borrador",), "ca": ("esborrany",)},
    "active": {"es": ("activo", "activa"), "ca": ("actiu", "activa")},
    "closing": {"es": ("en cierre",), "ca": ("en tancament",)},
    "closed": {"es": ("cerrado", "cerrada"), "ca": ("tancat", "tancada")},
    "low": {"es": ("bajo", "baja"), "ca": ("baix", "baixa")},
    "medium": {"es": ("medio", "media"), "ca": ("mitjà", "mitjana")},
    "high": {"es": ("alto", "alta"), "ca": ("alt", "alta")},
    # a schedule
    "weeks": {"es": ("semanas",), "ca": ("setmanes",)},
    "months": {"es": ("meses",), "ca": ("mesos",)},
    # a payment
    "submitted": {"es": ("presentado", "presentada"), "ca": ("presentat", "presentada")},
    "approved": {"es": ("aprobado", "aprobada"), "ca": ("aprovat", "aprovada")},
    "paid": {"es": ("pagado", "pagada"), "ca": ("pagat", "pagada")},
    "declined": {"es": ("rechazado", "rechazada"), "ca": ("rebutjat", "rebutjada")},
    # systems change: what is tagged, the six conditions and the four qualities (Best Start)
    "motion": {"es": ("moción",), "ca": ("moció",)},
    "subcontract": {"es": ("subcontrato",), "ca": ("subcontracte",)},
    "project": {"es": ("proyecto", "proyecto financiado"), "ca": ("projecte", "projecte finançat")},
    "activity": {"es": ("actividad",), "ca": ("activitat",)},
    "commitment": {"es": ("compromiso",), "ca": ("compromís",)},
    "policies": {"es": ("políticas",), "ca": ("polítiques",)},
    "practices": {"es": ("prácticas",), "ca": ("pràctiques",)},
    "resource_flows": {
        "en": ("resource flows",),
        "es": ("flujos de recursos",),
        "ca": ("fluxos de recursos",),
    },
    "relationships": {
        "en": ("relationships and connections", "relationships & connections"),
        "es": ("relaciones y conexiones", "relaciones & conexiones", "relaciones"),
        "ca": ("relacions i connexions", "relacions & connexions", "relacions"),
    },
    "power_dynamics": {
        "en": ("power dynamics",),
        "es": ("dinámicas de poder",),
        "ca": ("dinàmiques de poder",),
    },
    "mental_models": {
        "en": ("mental models",),
        "es": ("modelos mentales",),
        "ca": ("models mentals",),
    },
    "accessible": {"es": ("accesibles", "accesible"), "ca": ("accessibles", "accessible")},
    "quality": {"es": ("de calidad", "calidad"), "ca": ("de qualitat", "qualitat")},
    "aligned": {"es": ("alineados", "alineado", "alineada"), "ca": ("alineats", "alineat")},
    "sustainable": {"es": ("sostenibles", "sostenible"), "ca": ("sostenibles", "sostenible")},
    # the way a data item shared under a partner agreement goes
    "out": {"es": ("salida", "sale", "compartimos"), "ca": ("sortida", "surt", "compartim")},
    "in": {"es": ("entrada", "entra", "recibimos"), "ca": ("entrada", "entra", "rebem")},
    "both": {
        "es": ("ambas", "ambos", "en ambos sentidos"),
        "ca": ("ambdues", "ambdós", "en els dos sentits"),
    },
}


def fold(word: str) -> str:
    """`word` compared loosely: no case, no accents, `_`/`-` and runs of spaces as one space."""
    decomposed = unicodedata.normalize("NFKD", word.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


def label(value: str, language: str) -> str:
    """How `value` is shown in `language`: its first word there, else the value itself."""
    words = WORDS.get(value, {}).get(language)
    return words[0] if words else value


@dataclass(frozen=True, slots=True)
class Choices:
    """The values a choice allows, as a message parameter: the edge lists them in the
    reader's words (`i18n.format_value`); `str()` is the English list."""

    values: tuple[str, ...]
    joiner: str = ", "

    def __str__(self) -> str:
        return self.joiner.join(self.values)

    def shown(self, language: str) -> str:
        return self.joiner.join(label(v, language) for v in self.values)


def parse(typed: str, allowed: Iterable[str]) -> str | Msg:
    """The value among `allowed` that `typed` names in any language, or why not.

    English values always match; then every language's words. A word that names two of
    the allowed values (after folding case and accents) is refused, listing both.
    """
    values = tuple(allowed)
    key = fold(typed)
    found: list[str] = [v for v in values if fold(v) == key]
    if not found:
        for value in values:
            for words in WORDS.get(value, {}).values():
                if value not in found and any(fold(w) == key for w in words):
                    found.append(value)
    if len(found) == 1:
        return found[0]
    if found:
        return Msg.of(
            N_('"{value}" could be {choices}: write one of them in full'),
            value=typed,
            choices=Choices(tuple(found)),
        )
    return Msg.of(N_('"{value}" is not one of: {choices}'), value=typed, choices=Choices(values))
