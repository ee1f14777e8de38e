"""The decision letter as an archival record (issue 27, item 2): PDF/A-2 with its conformance in the
XMP metadata, an sRGB output intent, every font embedded and a structure tree (tagged); poppler
reads the decision back; it is stored once when decided, with its SHA-256 on the aanvraag, and every
download sends those same bytes. What people typed comes out as text, never as markup.

veraPDF is not installable here, so pikepdf checks the parts of PDF/A a reader relies on."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess

import pikepdf
import pytest

from omkijken.platform.clock import utcnow
from omkijken.platform.extensions import db
from omkijken.platform.subsidies import pdf, services
from tests.integration import test_subsidies_gemeente as gemeente
from tests.integration.test_subsidies import new_regeling
from tests.integration.test_subsidies_gemeente import fresh, sent_in

people, as_user = gemeente.people, gemeente.as_user  # the same people and logged-in browsers

HOSTILE = '<script>alert("x")</script><b>Koffie</b> & thee'


def decided(people, titel: str = "Koffieochtend Ruwaard", reden: str = "Een goed plan voor de wijk."):
    aanvraag = sent_in(people, new_regeling(people["beheer"]), titel=titel)
    services.move(aanvraag, "in_behandeling", by=people["fatima"], now=utcnow())
    services.move(aanvraag, "toegekend", by=people["fatima"], reden=reden, now=utcnow())
    db.session.commit()
    return fresh(aanvraag)


def download(client, aanvraag) -> bytes:
    response = client.get(f"/subsidies/{aanvraag.id}/besluit.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def poppler_text(body: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is missing: run scripts/test-setup.sh"
    path = tmp_path / "besluit.pdf"
    path.write_bytes(body)
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                            check=True)
    assert not result.stderr, result.stderr  # poppler complains about nothing
    return " ".join(result.stdout.decode("utf-8").split())


def fonts_of(document: pikepdf.Pdf):
    """Every font the pages use, descendant fonts of a composite font included."""
    for page in document.pages:
        resources = page.obj.get("/Resources", {})
        for font in dict(resources.get("/Font", {})).values():
            yield font
            yield from font.get("/DescendantFonts", [])


def test_the_decision_letter_is_pdf_a_tagged_with_embedded_fonts(people, as_user, tmp_path):
    aanvraag = decided(people)
    body = download(as_user("truus@example.nl"), aanvraag)

    with pikepdf.open(io.BytesIO(body)) as document:
        meta = document.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")  # PDF/A-2a: 2b with tags, Unicode
        assert meta["dc:title"] == f"Besluit subsidieaanvraag {aanvraag.id}"

        intents = document.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        profile = intents[0].DestOutputProfile.read_bytes()
        assert profile[16:20] == b"RGB " and b"sRGB" in profile  # an sRGB ICC profile, embedded

        fonts = list(fonts_of(document))
        assert fonts
        for font in fonts:
            if font.Subtype == "/Type0":
                continue  # its glyphs are in its descendant font, checked too
            descriptor = font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")

        assert "/StructTreeRoot" in document.Root and document.Root.MarkInfo.Marked is True
        assert str(document.Root.Lang) == "nl"

    text = poppler_text(body, tmp_path)
    assert "Gemeente Oss" in text and "Koffieochtend Ruwaard" in text
    assert "De gemeente geeft je de subsidie die je vroeg: € 600,00." in text
    assert "Een goed plan voor de wijk." in text


def tags_of(node) -> list[str]:
    """The structure types of the tag tree, in reading order."""
    found = [str(node.S)] if "/S" in node else []
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += tags_of(kid)
    return found


PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "f*", "F", "S", "s", "B", "B*", "b", "b*", "sh", "BI"}


def test_the_letter_is_tagged_for_a_screen_reader_but_claims_no_pdf_ua(people, as_user):
    """What PDF/UA builds on and a screen reader uses: everything on the page is in the tag tree,
    one H1 and then H2s, the list as a list, the title shown instead of the file name, tab order by
    structure. PDF/UA itself is not claimed: WeasyPrint 70 writes one variant (``pdf/ua-1`` drops
    the PDF/A identification and output intent), and its conformance could not be checked here."""
    aanvraag = decided(people)
    body = download(as_user("truus@example.nl"), aanvraag)

    with pikepdf.open(io.BytesIO(body)) as document:
        assert document.Root.ViewerPreferences.DisplayDocTitle is True
        tags = tags_of(document.Root.StructTreeRoot)
        headings = [tag for tag in tags if re.fullmatch(r"/H\d", tag)]
        assert headings[0] == "/H1" and headings.count("/H1") == 1 and set(headings[1:]) == {"/H2"}
        assert tags.count("/LI") == 3 and {"/L", "/Lbl", "/LBody"} <= set(tags)
        for page in document.pages:
            assert page.obj.Tabs == "/S" and "/StructParents" in page.obj
            depth, painted = 0, 0
            for _, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                depth += {"BDC": 1, "BMC": 1, "EMC": -1}.get(name, 0)
                painted += name in PAINTING
                assert depth > 0 or name not in PAINTING, f"{name} paints outside the tag tree"
            assert painted
        assert "pdfuaid:part" not in document.open_metadata()


def test_the_letter_is_stored_once_and_every_download_is_those_bytes(people, as_user):
    aanvraag = decided(people)
    assert aanvraag.besluit_bestand and aanvraag.besluit_sha256  # stored when decided, not on download
    truus = as_user("truus@example.nl")
    first, second = download(truus, aanvraag), download(truus, aanvraag)
    assert first == second == download(as_user("fatima@oss.nl"), aanvraag)
    assert hashlib.sha256(first).hexdigest() == fresh(aanvraag).besluit_sha256
    assert (pdf.folder() / aanvraag.besluit_bestand).read_bytes() == first


def test_an_older_decision_gets_its_letter_stored_on_the_first_download_once(people, as_user):
    aanvraag = decided(people)
    # As a decision from before letters were stored: no file, no hash.
    (pdf.folder() / aanvraag.besluit_bestand).unlink()
    aanvraag.besluit_bestand = aanvraag.besluit_sha256 = None
    db.session.commit()
    before = set(pdf.folder().iterdir())

    truus = as_user("truus@example.nl")
    first = download(truus, aanvraag)
    stored = fresh(aanvraag)
    assert stored.besluit_bestand and hashlib.sha256(first).hexdigest() == stored.besluit_sha256
    assert download(truus, aanvraag) == first == download(as_user("fatima@oss.nl"), aanvraag)
    assert set(pdf.folder().iterdir()) - before == {pdf.folder() / stored.besluit_bestand}  # one file, once
    assert fresh(aanvraag).besluit_sha256 == stored.besluit_sha256


def test_a_title_and_reason_with_html_come_out_as_text(people, as_user, tmp_path):
    aanvraag = decided(people, titel=HOSTILE, reden="Omdat <i>het</i> kan & </p><h1>mag</h1>")
    body = download(as_user("truus@example.nl"), aanvraag)
    text = poppler_text(body, tmp_path)
    assert HOSTILE in text
    assert "Omdat <i>het</i> kan & </p><h1>mag</h1>" in text


def test_the_letter_is_in_the_aanvragers_language_also_for_the_gemeente(people, as_user, tmp_path):
    people["truus"].taal = "en"
    aanvraag = decided(people)
    text = poppler_text(download(as_user("fatima@oss.nl"), aanvraag), tmp_path)
    assert "You applied for a grant for your initiative \"Koffieochtend Ruwaard\"" in text
    assert "What you asked for" in text and "The decision" in text
    with pikepdf.open(io.BytesIO(download(as_user("truus@example.nl"), aanvraag))) as document:
        assert str(document.Root.Lang) == "en"


@pytest.mark.parametrize("who", ["ahmed@example.nl", "karim@example.nl"])
def test_no_one_else_gets_the_stored_letter(people, as_user, who):
    aanvraag = decided(people)
    assert as_user(who).get(f"/subsidies/{aanvraag.id}/besluit.pdf").status_code == 404
