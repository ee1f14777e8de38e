"""Postcode parsing and reading PDOK answers, without any network."""

from __future__ import annotations

import pytest

from omkijken.platform.areas.geocoding import GeocoderUnavailable, PdokGeocoder, normalise_postcode, split_huisnummer
from tests.support import recorded_pdok


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("5341 ab", "5341AB"), (" 4907XK ", "4907XK"), ("5341  Ab", "5341AB"), ("0341 AB", None), ("5341", None), ("", None)],
)
def test_postcode_is_normalised_or_refused(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"), [("12", (12, "")), ("12a", (12, "A")), ("12 - b", (12, "B")), ("0", None), ("abc", None)]
)
def test_house_number_with_letter(typed, expected):
    assert split_huisnummer(typed) == expected


def test_pdok_answer_gives_the_point_of_the_address():
    found = PdokGeocoder("https://pdok.test/free", fetch=recorded_pdok).lookup("5345 AB", "12")

    assert (found.lat, found.lon) == (51.748697, 5.523308)
    assert found.label == "Witte Hoefstraat 12, 5345AB Oss"


def test_pdok_answer_picks_the_house_letter():
    found = PdokGeocoder("https://pdok.test/free", fetch=recorded_pdok).lookup("5345AB", "12a")

    assert found.label == "Witte Hoefstraat 12A, 5345AB Oss"


def test_no_answer_or_no_network_means_pick_on_the_map():
    def offline(url, params):
        raise ConnectionError("geen internet")

    assert PdokGeocoder("https://pdok.test/free", fetch=recorded_pdok).lookup("9999ZZ", "1") is None
    # not found is None; not asked is said apart, so nobody is told to check a postcode that is right
    with pytest.raises(GeocoderUnavailable):
        PdokGeocoder("https://pdok.test/free", fetch=offline).lookup("5345AB", "12")
    assert PdokGeocoder("https://pdok.test/free", fetch=recorded_pdok).lookup("geen postcode", "12") is None


def test_pdok_reverse_gives_the_nearest_address_of_a_picked_point():
    geocoder = PdokGeocoder("https://pdok.test/free", fetch=recorded_pdok)

    assert geocoder.reverse_url == "https://pdok.test/reverse"
    assert geocoder.reverse(51.748697, 5.523308).label == "Witte Hoefstraat 12, 5345AB Oss"
    assert geocoder.reverse(51.0, 5.0) is None  # no address near this point


def test_pdok_reverse_without_network_or_too_far_gives_no_address():
    def offline(url, params):
        raise ConnectionError("geen internet")

    def far(url, params):
        return {"response": {"docs": [{"weergavenaam": "Kruisstraat 1, 5341CD Oss", "afstand": 350.0}]}}

    assert PdokGeocoder("https://pdok.test/free", fetch=offline).reverse(51.748697, 5.523308) is None
    assert PdokGeocoder("https://pdok.test/free", fetch=far).reverse(51.748697, 5.523308) is None
