"""The OpenAPI 3.1 document of API v1, written by hand: it is small and says exactly what we promise."""

from __future__ import annotations

from typing import Any

from omkijken.platform.api.geojson import BBOX_MAX_CHARS, BBOX_PATTERN, CAP
from omkijken.platform.posts.prikbord import AFSTANDEN_KM, ZOEK_MAX
from omkijken.platform.posts.vocabulary import CATEGORIEEN, SOORTEN

# A wijk's number (its id) is accepted too, as in the links of the site.
WIJK_ID = {"type": "string", "pattern": "^[0-9]{1,9}$", "description": "Het nummer van de wijk."}


def document(server_url: str, *, gemeenten: list[str], wijken: list[str]) -> dict[str, Any]:
    """``gemeenten`` and ``wijken``: the CBS codes the API knows, listed as enums (issue 27, item 7)."""
    soorten = list(SOORTEN)
    categorieen = list(CATEGORIEEN)
    error = {"$ref": "#/components/schemas/Error"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Omkijken API",
            "version": "1",
            "description": (
                "Openbare berichten van het prikbord van Omkijken (Oss en Oosterhout) als GeoJSON. "
                "Punten zijn altijd de openbare plek: bij een bericht bij iemand thuis is die "
                "250 tot 450 meter verschoven. Inloggen is niet nodig, behalve voor `/kpi`: de cijfers "
                "van het dashboard, voor de gemeente, coördinatoren en beheerders."
            ),
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/posts.geojson": {
                "get": {
                    "operationId": "postsGeojson",
                    "summary": "Open berichten in een gebied",
                    "description": (
                        f"Nieuwste eerst, hoogstens {CAP}. Zijn er meer, dan is `truncated` true en "
                        "zegt `total` hoeveel er in het gebied zijn: zoom dan in. Met `clusters=1` komen er "
                        f"bij meer dan {CAP} berichten groepen in de plaats: per vak van een vast raster "
                        "hoeveel berichten er zijn en waar dat vak ligt (`clustered` is dan true)."
                    ),
                    "parameters": [
                        {
                            "name": "bbox", "in": "query", "required": True,
                            "description": "minLon,minLat,maxLon,maxLat in WGS84 (EPSG:4326). Is minLon groter "
                                           "dan maxLon, dan gaat het gebied over de 180e lengtegraad "
                                           "(RFC 7946, 5.2).",
                            "schema": {"type": "string", "maxLength": BBOX_MAX_CHARS, "pattern": BBOX_PATTERN,
                                       "examples": ["5.40,51.70,5.65,51.83"]},
                        },
                        {
                            "name": "type", "in": "query", "required": False,
                            "description": "Soort bericht (ook als `soort`).",
                            "schema": {"type": "string", "enum": ["alles", *soorten]},
                        },
                        {
                            "name": "categorie", "in": "query", "required": False,
                            "schema": {"type": "string", "enum": ["alles", *categorieen]},
                        },
                        {
                            "name": "wijk", "in": "query", "required": False,
                            "description": "CBS-code van de wijk (WK082806) of haar nummer.",
                            "schema": {"type": "string", "anyOf": [{"enum": ["alles", *wijken]}, WIJK_ID]},
                        },
                        {
                            "name": "zoek", "in": "query", "required": False,
                            "description": "Woord in de titel of de beschrijving.",
                            "schema": {"type": "string", "maxLength": ZOEK_MAX},
                        },
                        {
                            "name": "afstand", "in": "query", "required": False,
                            "description": "Alleen berichten binnen zoveel km van `van`.",
                            "schema": {"type": "integer", "enum": list(AFSTANDEN_KM)},
                        },
                        {
                            "name": "van", "in": "query", "required": False,
                            "description": "Vanaf waar de afstand telt: `huis` (ingelogd, met adres) "
                                           "of de CBS-code van een wijk (het midden van de wijk).",
                            "schema": {"type": "string", "anyOf": [{"enum": ["huis", *wijken]}, WIJK_ID]},
                        },
                        {
                            "name": "clusters", "in": "query", "required": False,
                            "description": f"1: groepen in plaats van berichten als er meer dan {CAP} zijn "
                                           "(zoals de kaart van de site vraagt).",
                            "schema": {"type": "string", "enum": ["0", "1"]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Een GeoJSON FeatureCollection.",
                            "content": {"application/geo+json": {
                                "schema": {"$ref": "#/components/schemas/FeatureCollection"}}},
                        },
                        "400": {
                            "description": "Een parameter klopt niet; de uitleg staat in `error` (Nederlands).",
                            "content": {"application/json": {"schema": error}},
                        },
                    },
                }
            },
            "/kpi": _kpi_path(error, gemeenten),
        },
        "components": {
            "securitySchemes": {
                "sessie": {"type": "apiKey", "in": "cookie", "name": "session",
                           "description": "De sessie-cookie na inloggen op de site."},
            },
            "schemas": {
                **_kpi_schemas(),
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Feature": {
                    "type": "object",
                    "required": ["type", "id", "geometry", "properties"],
                    "properties": {
                        "type": {"const": "Feature"},
                        "id": {"type": "integer"},
                        "geometry": _point("[lon, lat] van de openbare plek."),
                        "properties": {
                            "type": "object",
                            "required": ["id", "soort", "titel", "categorie", "wijk", "url"],
                            "properties": {
                                "id": {"type": "integer"},
                                "soort": {"type": "string", "enum": soorten},
                                "titel": {"type": "string"},
                                "categorie": {"type": ["string", "null"]},
                                "wijk": {"type": ["string", "null"], "description": "Naam van de wijk."},
                                "url": {"type": "string", "description": "De pagina van het bericht."},
                            },
                        },
                    },
                },
                "FeatureCollection": {
                    "type": "object",
                    "required": ["type", "features", "total", "truncated"],
                    "properties": {
                        "type": {"const": "FeatureCollection"},
                        "features": {"type": "array", "items": {"oneOf": [
                            {"$ref": "#/components/schemas/Feature"}, {"$ref": "#/components/schemas/Cluster"}]}},
                        "total": {"type": "integer", "minimum": 0,
                                  "description": "Hoeveel berichten er in het gebied zijn."},
                        "truncated": {"type": "boolean",
                                      "description": f"True als er meer dan {CAP} zijn en niet alles is gestuurd."},
                        "clustered": {"type": "boolean",
                                      "description": "Alleen met `clusters`: true als de features groepen zijn."},
                    },
                },
                "Cluster": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"const": "Feature"},
                        "geometry": _point("[lon, lat]: het midden van de openbare plekken in de groep."),
                        "properties": {
                            "type": "object",
                            "required": ["cluster", "aantal", "bbox"],
                            "properties": {
                                "cluster": {"const": True},
                                "aantal": {"type": "integer", "minimum": 1,
                                           "description": "Hoeveel berichten in de groep."},
                                "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4,
                                         "description": "minLon,minLat,maxLon,maxLat van het vak met de berichten "
                                                        "van de groep (om op in te zoomen)."},
                            },
                        },
                    },
                },
            }
        },
    }


def _point(description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"const": "Point"},
            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                            "description": description},
        },
    }


def _kpi_path(error: dict[str, str], gemeenten: list[str]) -> dict[str, Any]:
    """``/kpi``: the dashboard's figures, for the roles that see the dashboard."""
    date = {"type": "string", "format": "date"}
    return {"get": {
        "operationId": "kpi",
        "summary": "De cijfers van het dashboard: duurzame koppelingen en de andere doelen",
        "description": (
            "Dezelfde cijfers als op /inzicht. Alleen voor ingelogde gebruikers met de rol gemeente, "
            "coordinator of beheerder. Aandelen zijn fracties (0 tot 1) met een Wilson-interval van 95%; "
            "`null` betekent: nog niets om te berekenen."
        ),
        "security": [{"sessie": []}],
        "parameters": [
            {"name": "van", "in": "query", "required": False, "schema": date,
             "description": "Eerste dag (startdatum van de koppeling). Zonder: twaalf maanden terug."},
            {"name": "tot", "in": "query", "required": False, "schema": date,
             "description": "Laatste dag, telt mee. Zonder: vandaag."},
            {"name": "gemeente", "in": "query", "required": False,
             "description": "CBS-code van de gemeente, zoals GM0828 (Oss) of GM0826 (Oosterhout). Zonder: alle "
                            "gemeenten samen. Leeg (`gemeente=`) of een andere code geeft 400.",
             "schema": {"type": "string", "enum": gemeenten}},
        ],
        "responses": {
            "200": {"description": "De cijfers.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Kpi"}}}},
            "400": {"description": "Een parameter klopt niet.", "content": {"application/json": {"schema": error}}},
            "401": {"description": "Niet ingelogd.", "content": {"application/json": {"schema": error}},
                    "headers": {"WWW-Authenticate": {
                        "description": "Hoe je inlogt: met de sessie-cookie van het inlogformulier, zoals "
                                       '`Cookie realm="Omkijken", form-action="/inloggen", cookie-name="session"`.',
                        "schema": {"type": "string"}}}},
            "403": {"description": "Ingelogd, maar zonder de rol.", "content": {"application/json": {"schema": error}}},
        },
    }}


def _kpi_schemas() -> dict[str, Any]:
    fraction = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
    count = {"type": "integer", "minimum": 0}
    verdict = {"type": ["string", "null"], "enum": ["gehaald", "niet gehaald", "onzeker", None],
               "description": "Tegen het doel, op het interval: gehaald als de ondergrens het doel haalt, niet "
                              "gehaald als de bovengrens eronder blijft, anders onzeker. Null zonder doel."}
    duurzaam = {
        "type": "object",
        "required": ["gelukt", "niet_gelukt", "geen_antwoord", "nog_bezig", "telt_niet_mee", "besloten", "totaal",
                     "aandeel", "interval_laag", "interval_hoog", "kaplan_meier"],
        "properties": {
            "gelukt": count, "niet_gelukt": count,
            "geen_antwoord": {**count, "description": "Deel van niet_gelukt: niemand gaf antwoord."},
            "nog_bezig": {**count, "description": "Nog niet bij de horizon: telt niet mee in het aandeel."},
            "telt_niet_mee": {**count, "description": "Gestopt door verhuizing, overlijden, opname of "
                                                      "doorverwijzing: geen succes en geen mislukking."},
            "besloten": count, "totaal": count,
            "aandeel": fraction, "interval_laag": fraction, "interval_hoog": fraction,
            "kaplan_meier": {**fraction, "description": "Geschatte overleving tot de horizon, met wie nog bezig is."},
        },
    }
    named = {"code": {"type": "string"}, "label": {"type": "string"}}
    aandeel = {
        "type": "object", "required": ["code", "label", "teller", "noemer", "aandeel", "interval_laag",
                                       "interval_hoog", "oordeel"],
        "properties": {**named, "teller": count, "noemer": count, "aandeel": fraction,
                       "interval_laag": fraction, "interval_hoog": fraction, "oordeel": verdict},
    }
    groepen = {"type": "array", "items": {"$ref": "#/components/schemas/KpiGroep"}}
    aandelen = {"type": "array", "items": {"$ref": "#/components/schemas/KpiAandeel"}}
    curve = {"type": "array", "items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
             "description": "[dag, overleving] per trede van de Kaplan-Meier-curve."}
    return {
        "KpiDuurzaam": duurzaam,
        "KpiGroep": {"allOf": [{"$ref": "#/components/schemas/KpiDuurzaam"},
                               {"type": "object", "required": ["code", "label", "doel", "oordeel"], "properties": {
                                   **named, "doel": {**fraction, "description": "Het doel van de dienst; "
                                                     "null: geen doel (alleen Blink heeft er een)."},
                                   "oordeel": verdict}}]},
        "KpiGeholpen": {"allOf": [{"$ref": "#/components/schemas/KpiDuurzaam"},
                                  {"type": "object", "required": ["code", "label"], "properties": named}]},
        "KpiAandeel": aandeel,
        "Kpi": {
            "type": "object",
            "required": ["periode", "berekend_op", "horizon_dagen", "doelen", "duurzaam", "geholpen", "overleving",
                         "tevredenheid", "zelf_gevonden", "wachttijd", "plaatsing", "collectief"],
            "properties": {
                "periode": {"type": "object", "properties": {
                    "van": {"type": "string", "format": "date"}, "tot": {"type": "string", "format": "date"},
                    "gemeente": {"type": ["string", "null"]}}},
                "berekend_op": {"type": "string", "format": "date-time"},
                "horizon_dagen": count,
                "doelen": {"type": "object", "properties": {
                    "zelf_gevonden": {"type": "number"}, "collectief": {"type": "number"}}},
                "duurzaam": {"type": "object", "properties": {
                    "totaal": {"$ref": "#/components/schemas/KpiDuurzaam"}, "per_dienst": groepen,
                    "per_wijk": groepen, "per_onderwerp": groepen, "per_soort": groepen, "per_maand": groepen}},
                "geholpen": {"type": "object", "description": "Eenmalige hulp: de hulpvrager zei dat de hulp er "
                             "was. Telt niet mee in duurzaam.", "properties": {
                                 "totaal": {"$ref": "#/components/schemas/KpiDuurzaam"},
                                 "per_dienst": {"type": "array",
                                                "items": {"$ref": "#/components/schemas/KpiGeholpen"}}}},
                "overleving": {"type": "object", "properties": {"alle": curve, "blink": curve}},
                "tevredenheid": {"type": "array", "items": {"type": "object", "properties": {
                    **named, "score": {"type": ["number", "null"], "description": "Gemiddeld cijfer x 10."},
                    "aantal": count}}},
                "zelf_gevonden": aandelen,
                "wachttijd": {"type": "array", "items": {"type": "object", "properties": {
                    **named, "aantal": count, "mediaan_dagen": {"type": ["number", "null"]},
                    "p90_dagen": {"type": ["number", "null"]}}}},
                "plaatsing": aandelen,
                "collectief": aandelen,
            },
        },
    }
