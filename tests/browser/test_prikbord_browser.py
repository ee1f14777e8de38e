"""The prikbord on a phone (390 x 844): the list, the map with clustered markers from the API."""

from __future__ import annotations

import re

import pytest

from tests.integration.test_prikbord_list import east_of, north_of, place
from tests.support import OSS_CENTRUM, RUWAARD


@pytest.fixture
def posts(make_user):
    truus = make_user("truus@example.nl", naam="Truus", home=RUWAARD)
    made = [place("hulpvraag", "Hulp bij de tuin <b>graag</b>", auteur=truus, categorie="tuinonderhoud")]
    for number in range(6):
        made.append(place("ontmoetingsplek", f"Koffiecorner {number}", auteur=truus, op_huisadres=False,
                          where=east_of(north_of(OSS_CENTRUM, 40 * number), 30 * number), categorie="ontmoeting"))
    return made


@pytest.mark.browser
def test_map_shows_clustered_markers_from_the_api_and_a_popup_leads_to_the_post(phone, posts):
    with phone.page.expect_response(lambda r: "/api/v1/posts.geojson?bbox=" in r.url) as answer:
        phone.open("/kaart")
    assert answer.value.status == 200

    phone.page.wait_for_selector(".marker-cluster, .leaflet-marker-icon", state="attached", timeout=10_000)
    status = phone.page.locator("#kaart-status")
    assert re.search(r"Er staan 7 berichten op dit deel van de kaart", status.inner_text())

    # Zoom in on the one request for help until it stands alone, then open its popup.
    vraag = posts[0]
    phone.page.evaluate(
        """([name, lat, lon]) => { window[name].setView([lat, lon], 18, {animate: false}); }""",
        [phone.page.locator("[data-kaart-map]").get_attribute("data-kaart-map"), *public_point(vraag)],
    )
    marker = phone.page.locator('.leaflet-marker-icon[title="Hulp bij de tuin <b>graag</b>"]')
    marker.wait_for(timeout=10_000)
    marker.click()
    popup = phone.page.locator(".leaflet-popup-content")
    popup.wait_for()
    # The title is shown as text: no <b> element was made from it.
    assert "Hulp bij de tuin <b>graag</b>" in popup.inner_text()
    assert popup.locator("b").count() == 0
    link = popup.get_by_role("link", name="Bekijk bericht")
    assert link.get_attribute("href") == f"/prikbord/{vraag.id}"

    link.click()
    phone.page.wait_for_load_state("networkidle")
    assert phone.page.url.endswith(f"/prikbord/{vraag.id}")
    assert "Hulp bij de tuin <b>graag</b>" in phone.page.locator("h1").inner_text()
    assert phone.errors == []


def public_point(post):
    from omkijken.platform.posts import services

    return list(services.public_point(post))


@pytest.mark.browser
def test_the_map_link_on_the_list_keeps_the_filters(phone, posts):
    phone.open("/prikbord?soort=ontmoetingsplek")
    phone.page.get_by_role("link", name="Bekijk op de kaart").click()
    phone.page.wait_for_load_state("networkidle")

    assert phone.page.url.endswith("/kaart?soort=ontmoetingsplek")
    phone.page.wait_for_function("document.getElementById('kaart-status').textContent.includes('6 berichten')")
    assert phone.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/prikbord", "/kaart", "/prikbord?wijk=abc"])
def test_prikbord_pages_pass_axe_and_fit_the_phone(phone, narrow, posts, path):
    for page in (phone, narrow):
        page.open(path)
        if path == "/kaart":
            page.page.wait_for_selector(".marker-cluster, .leaflet-marker-icon", state="attached")
        assert page.serious_accessibility_problems() == [], (page, path)
        width = page.page.evaluate("window.innerWidth")
        assert page.page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert page.errors == []


@pytest.mark.browser
def test_the_list_page_works_by_keyboard(phone, posts):
    phone.open("/prikbord")
    phone.page.get_by_label("Soort").select_option("ontmoetingsplek")
    phone.page.get_by_label("Zoek").fill("Koffiecorner 3")
    phone.page.get_by_label("Zoek").press("Enter")
    phone.page.wait_for_load_state("networkidle")

    assert "zoek=Koffiecorner+3" in phone.page.url
    assert phone.page.locator(".bericht h3").all_inner_texts() == ["Koffiecorner 3"]
    assert phone.errors == []


@pytest.mark.browser
def test_a_crowded_map_shows_groups_with_their_counts_and_zooms_in_on_one_by_keyboard(app, phone, narrow, posts):
    """More posts in view than the API sends: groups with how many posts each, never a cut-off list."""
    app.config["API_GEOJSON_CAP"] = 3
    with phone.page.expect_response(lambda r: "clusters=1" in r.url) as answer:
        phone.open("/kaart")
    assert answer.value.json()["clustered"] is True

    status = phone.page.locator("#kaart-status")
    phone.page.wait_for_function("document.getElementById('kaart-status').textContent.includes('zoom in')")
    assert "Er staan 7 berichten op dit deel van de kaart" in status.inner_text()
    counts = phone.page.locator(".marker-cluster span").all_inner_texts()
    assert sum(int(count) for count in counts) == 7  # merged groups add up their counts

    name = phone.page.locator("[data-kaart-map]").get_attribute("data-kaart-map")
    zoom = phone.page.evaluate("(name) => window[name].getZoom()", name)
    phone.page.locator(".marker-cluster").first.focus()
    with phone.page.expect_response(lambda r: "posts.geojson" in r.url):  # the map has settled
        phone.page.keyboard.press("Enter")
    assert phone.page.evaluate("(name) => window[name].getZoom()", name) > zoom

    # Close enough that the view holds no more than three posts: the posts themselves come back.
    phone.page.evaluate("([name, lat, lon]) => { window[name].setView([lat, lon], 18, {animate: false}); }",
                        [name, *public_point(posts[0])])
    phone.page.locator('.leaflet-marker-icon[title="Hulp bij de tuin <b>graag</b>"]').wait_for(timeout=10_000)
    assert phone.errors == []

    narrow.open("/kaart")
    narrow.page.wait_for_selector(".marker-cluster", state="attached")
    assert narrow.serious_accessibility_problems() == []
    assert narrow.fits()
    assert narrow.errors == []
