"""The map on a post page: the post's public point, a circle around a blurred home, this
response's nonce, also when the map's shape comes from the rendered-map cache."""

from __future__ import annotations

import re

from omkijken.platform.posts import services
from tests.integration.test_prikbord_list import place
from tests.integration.test_security_headers import SCRIPT_TAG, nonce_of
from tests.support import DOMMELBERGEN, OSS_CENTRUM, RUWAARD


def _script(response) -> str:
    html = response.get_data(as_text=True)
    nonce = nonce_of(response)
    inline = [attrs for attrs in SCRIPT_TAG.findall(html) if "src=" not in attrs]
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline), inline
    return html


def _point_in(html: str) -> list[tuple[float, float]]:
    return [(float(lat), float(lon)) for lat, lon in re.findall(r"\[(-?\d+\.\d+), (-?\d+\.\d+)\]", html)]


def test_each_post_page_shows_its_own_point_with_a_fresh_nonce(client, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)
    vraag = place("hulpvraag", "Hulp in de tuin", auteur=truus)
    plek = place("ontmoetingsplek", "Buurthuis", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)
    andere = place("ontmoetingsplek", "Bibliotheek", auteur=truus, where=OSS_CENTRUM, op_huisadres=False)

    pages = {post.id: [client.get(f"/prikbord/{post.id}") for _ in range(2)] for post in (vraag, plek, andere)}

    for post in (vraag, plek, andere):
        first, second = pages[post.id]
        assert nonce_of(first) != nonce_of(second)
        for response in (first, second):
            html = _script(response)
            public = services.public_point(post)
            # centre of the map and the circle or marker: the public point, twice, nothing else
            assert _point_in(html) == [public, public], post.titel
            assert "-12.3456789" not in html
            if post.op_huisadres:
                assert "L.circle(" in html and "L.marker(" not in html and '"radius": 400' in html
            else:
                assert "L.marker(" in html and "L.circle(" not in html
    home = services.exact_point(vraag)
    assert all(home != point for r, _ in pages.values() for point in _point_in(r.get_data(as_text=True)))


def test_a_post_page_names_its_wijk_and_gemeente(client, make_user):
    truus = make_user("truus@example.nl", home=RUWAARD)
    plek = place("ontmoetingsplek", "Buurthuis", auteur=truus, where=DOMMELBERGEN, op_huisadres=False)

    html = client.get(f"/prikbord/{plek.id}").get_data(as_text=True)
    assert "<dt>Wijk</dt><dd>Dommelbergen (Oosterhout)</dd>" in html
