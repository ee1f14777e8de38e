"""Leaflet on a Dutch page speaks Dutch, its credit links can be read and seen as links, and a
marker that does nothing is no nameless button (issue 27, item 8)."""

from __future__ import annotations

import pytest

from tests.support import RUWAARD

CONTRAST = """a => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let box = a, bg = getComputedStyle(box).backgroundColor;
  while (box && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { box = box.parentElement; bg = getComputedStyle(box).backgroundColor; }
  const see = bg.startsWith('rgba') ? Number(bg.match(/[\\d.]+/g)[3]) : 1;
  const [l1, l2] = [lum(rgb(getComputedStyle(a).color)), see * lum(rgb(bg)) + (1 - see) * 0];
  return [(Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05), getComputedStyle(a).textDecorationLine];
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 320])
def test_the_map_on_the_profile_speaks_dutch_and_its_credits_can_be_read(browser, live_server, make_user, width):
    from tests.browser.conftest import PhonePage

    make_user("truus@example.nl", naam="Truus", home=RUWAARD)
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="nl-NL")
    phone = PhonePage(context.new_page(), live_server)
    phone.log_in("truus@example.nl")
    phone.open("/profiel")
    page = phone.page

    assert page.locator(".leaflet-control-zoom-in").first.get_attribute("title") == "Inzoomen"
    assert page.locator(".leaflet-control-zoom-out").first.get_attribute("title") == "Uitzoomen"
    assert "Zoom" not in page.locator(".leaflet-control-zoom").first.inner_html()
    marker = page.locator("img.leaflet-marker-icon").first
    assert marker.get_attribute("alt") == "Plek op de kaart"
    assert marker.get_attribute("role") != "button" and marker.get_attribute("tabindex") is None
    for link in page.locator(".leaflet-control-attribution a").all():
        # Against black behind see-through white: the worst the map under it can be.
        ratio, underline = link.evaluate(CONTRAST)
        assert ratio >= 4.5 and underline == "underline", (link.inner_text(), ratio, underline)
    context.close()
