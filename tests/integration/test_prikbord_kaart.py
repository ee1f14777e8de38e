"""The map page at /kaart: a folium map without markers, the text around it, the filters kept."""

from __future__ import annotations

from tests.integration.test_prikbord_list import place
from tests.support import RUWAARD, static_url


def test_map_page_has_no_markers_inline_and_loads_its_own_scripts(client, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)
    place("hulpvraag", "Geheime titel hoort niet in de pagina", auteur=truus)

    response = client.get("/kaart")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Geheime titel hoort niet in de pagina" not in html
    assert "L.marker(" not in html
    assert static_url("vendor/markercluster/leaflet.markercluster.js") in html
    assert static_url("vendor/markercluster/MarkerCluster.Default.css") in html
    assert static_url("js/kaart.js") in html
    assert 'data-api="/api/v1/posts.geojson"' in html
    assert "service.pdok.nl/brt/achtergrondkaart" in html  # the default tiles: PDOK BRT-Achtergrondkaart
    assert "unpkg" not in html and "cdn." not in html and "cdnjs" not in html


def test_map_page_works_as_text_too(client):
    """Without tiles or JavaScript there is still a heading, a way to the list and the filters."""
    html = client.get("/kaart?soort=hulpvraag").get_data(as_text=True)

    assert "<h1>Kaart van het prikbord</h1>" in html
    assert 'href="/prikbord?soort=hulpvraag"' in html
    assert 'id="kaart-status"' in html and 'aria-live="polite"' in html
    assert 'data-query="soort=hulpvraag"' in html
    assert '<form method="get" action="/kaart"' in html


def test_map_page_ignores_wrong_filters_with_a_notice(client):
    response = client.get("/kaart?wijk=abc&afstand=-5")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Deze wijk kennen we niet" in html
    assert 'data-query=""' in html


def test_vendored_markercluster_is_served(client):
    for path in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css", "LICENSE", "SOURCE.txt"):
        response = client.get(f"/static/vendor/markercluster/{path}")
        assert response.status_code == 200, path
        response.close()
