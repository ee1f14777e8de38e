"""The KPI dashboard on a phone: the Blink rate with its interval, its target and the verdict on the
interval, and the target line on the survival chart (Blink is the only dienst with a target),
readable at 320 px, by keyboard, and without serious accessibility problems."""

from __future__ import annotations

import pytest

from tests.integration.test_insights import BLINK_RIJ, bouw_stand


@pytest.fixture
def gemeente(make_user, standaard_diensten):
    bouw_stand(make_user, standaard_diensten)
    make_user("gea@example.nl", roles=("gemeente",), naam="Gea")
    return "gea@example.nl"


@pytest.mark.browser
def test_the_dashboard_at_phone_width_shows_blink_with_interval_verdict_and_target_line(narrow, gemeente):
    narrow.log_in(gemeente)
    narrow.open_menu()
    narrow.page.get_by_role("link", name="Cijfers").click()
    narrow.page.wait_for_load_state("networkidle")
    page = narrow.page

    kern = page.locator("#doel-blink")
    assert kern.is_visible()
    assert all(part in kern.inner_text() for part in ("83%", "interval 44–97%", "Doel 85%: onzeker"))
    caption = page.locator("#dienst-onderschrift")
    assert BLINK_RIJ in caption.inner_text()

    chart = page.locator("svg#grafiek-dienst")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box and 250 <= box["width"] <= 320
    assert chart.get_attribute("role") == "img"
    assert page.locator("#grafiek-dienst-titel").text_content() == "Duurzaam per dienst"
    # One target for one dienst: no line across all diensten' bars (issue 23), a line on the survival chart.
    assert page.locator("#grafiek-dienst-doellijn").count() == 0
    # The label text in the chart is at least 10 px on the narrowest phone.
    sizes = page.evaluate("""() => [...document.querySelectorAll('#grafiek-dienst text')]
        .map(t => t.getBoundingClientRect().height).filter(h => h > 0)""")
    assert sizes and min(sizes) >= 10

    km = page.locator("#grafiek-overleving-doellijn")
    km.scroll_into_view_if_needed()
    assert km.count() == 1 and km.bounding_box()["width"] > 100  # the dashed line runs across the chart
    assert "stroke-dasharray" in km.inner_html()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert narrow.errors == []


@pytest.mark.browser
def test_dashboard_and_map_pass_axe_at_320_px(narrow, gemeente):
    narrow.log_in(gemeente)

    for path in ("/inzicht", "/inzicht?gemeente=GM0826", "/inzicht/kaart", "/inzicht/kaart?kpi=wachttijd",
                 "/inzicht/kaart?kpi=open_vragen&gemeente=GM0828"):
        narrow.open(path)
        assert narrow.serious_accessibility_problems() == [], path
        assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 320, path
    assert narrow.page.locator(".folium-map").count() == 1
    assert narrow.errors == []


@pytest.mark.browser
def test_choose_a_gemeente_and_a_kpi_with_the_keyboard_only(phone, gemeente):
    phone.log_in(gemeente)
    phone.open("/inzicht/kaart")
    page = phone.page

    page.get_by_label("Wat wil je zien?").focus()
    page.keyboard.press("ArrowDown")  # tevredenheid
    page.get_by_label("Gemeente").focus()
    page.get_by_label("Gemeente").select_option("GM0828")
    page.get_by_role("button", name="Laat de kaart zien").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")

    assert "gemeente=GM0828" in page.url and "kpi=tevredenheid" in page.url
    assert page.get_by_label("Gemeente").input_value() == "GM0828"
    assert page.get_by_label("Wat wil je zien?").input_value() == "tevredenheid"
    assert page.locator("#wijk-tabel tr[data-code=WK082806] td").nth(1).inner_text() == "86 (18 cijfers)"
    assert phone.errors == []
