"""The OpenAPI 3.1 document of API v1, written by hand: it is small and says exactly what we promise."""

from __future__ import annotations

from typing import Any

from omkijken.platform.api.geojson import BBOX_MAX_CHARS, CAP
from omkijken.platform.posts.prikbord import AFSTANDEN_KM, ZOEK_MAX
from omkijken.platform.posts.vocabulary import CATEGORIEEN, SOORTEN


def document(server_url: str) -> dict[str, Any]:
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
                "250 tot 450 meter verschoven. Inloggen is niet nodig."
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
                        "zegt `total` hoeveel er in het gebied zijn: zoom dan in."
                    ),
                    "parameters": [
                        {
                            "name": "bbox", "in": "query", "required": True,
                            "description": "minLon,minLat,maxLon,maxLat in WGS84 (EPSG:4326).",
                            "schema": {"type": "string", "maxLength": BBOX_MAX_CHARS,
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
                            "schema": {"type": "string", "maxLength": 10},
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
                            "schema": {"type": "string", "maxLength": 10},
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
            }
        },
        "components": {
            "schemas": {
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
                        "geometry": {
                            "type": "object",
                            "required": ["type", "coordinates"],
                            "properties": {
                                "type": {"const": "Point"},
                                "coordinates": {
                                    "type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                                    "description": "[lon, lat] van de openbare plek.",
                                },
                            },
                        },
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
                        "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
                        "total": {"type": "integer", "minimum": 0,
                                  "description": "Hoeveel berichten er in het gebied zijn."},
                        "truncated": {"type": "boolean",
                                      "description": f"True als er meer dan {CAP} zijn en niet alles is gestuurd."},
                    },
                },
            }
        },
    }
