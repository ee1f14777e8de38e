"""The CBS kerncijfers: `omkijken import-kerncijfers FILE` reads the CSV the CBS publishes per year,
and the wijkfoto shows residents, age groups, households and income with their year and source.

The CSV is written here, in the CBS's own layout (semicolons, numbered column names, codes padded
with spaces, "." and "x" for numbers the CBS hides); its figures are made up for the test."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from omkijken.cli import main
from omkijken.platform.areas import kerncijfers
from omkijken.platform.areas.models import Kerncijfers
from omkijken.platform.extensions import db
from tests.support import commit

HEADER = ("ID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;IndelingswijzigingWijkenEnBuurten_4;"
          "AantalInwoners_5;Mannen_6;Vrouwen_7;k_0Tot15Jaar_8;k_15Tot25Jaar_9;k_25Tot45Jaar_10;"
          "k_45Tot65Jaar_11;k_65JaarOfOuder_12;HuishoudensTotaal_29;GemiddeldInkomenPerInwoner_72")
ROWS = [
    '1;"NL00      ";"Nederland";"Land      ";"NL00      ";".";17811291;8850309;8960982;2817449;2193483;'
    '4423838;4908770;3467751;8120591;32.1',
    '2;"GM0828    ";"Oss";"Gemeente  ";"GM0828    ";"1";93080;46503;46577;15000;11000;21000;26000;20080;40000;30.2',
    '3;"WK082806  ";"Oss";"Wijk      ";"WK082806  ";"1";12000;5900;6100;1800;1500;2700;3400;2600;5400;26.5',
    '4;"BU08280607";"Oss";"Buurt     ";"BU08280607";"1";2000;990;1010;300;250;450;560;440;900;x',
    '5;"WK082821  ";"Oss";"Wijk      ";"WK082821  ";"1";40;20;20;.;.;.;.;.;15;.',
    '6;"WK099901  ";"Nergens";"Wijk      ";"WK099901  ";"1";500;250;250;100;100;100;100;100;200;25.0',
]


def write_csv(folder: Path, rows=ROWS, name="kwb-2023.csv") -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def run(app, *args: str):
    return app.test_cli_runner().invoke(main, list(args))


def test_the_import_keeps_wijken_and_buurten_by_year_and_twice_changes_nothing(app, tmp_path):
    path = write_csv(tmp_path)

    first = run(app, "import-kerncijfers", str(path))
    second = run(app, "import-kerncijfers", str(path))

    assert first.exit_code == 0, first.output
    assert "Kerncijfers 2023: 2 wijken en 1 buurten bewaard." in first.output
    assert "1 wijken en buurten overgeslagen" in first.output
    assert second.exit_code == 0 and db.session.scalar(select(func.count(Kerncijfers.id))) == 3
    ruwaard = db.session.scalar(select(Kerncijfers).filter_by(code="WK082806", jaar=2023))
    assert (ruwaard.inwoners, ruwaard.leeftijd_0_15, ruwaard.leeftijd_65_plus, ruwaard.huishoudens,
            ruwaard.inkomen_per_inwoner) == (12000, 1800, 2600, 5400, 26500)
    assert ruwaard.bron == "CBS, Kerncijfers wijken en buurten 2023"


def test_what_the_cbs_hides_is_unknown_not_zero(app, tmp_path):
    run(app, "import-kerncijfers", str(write_csv(tmp_path)))

    maren = db.session.scalar(select(Kerncijfers).filter_by(code="WK082821"))
    witte_hoef = db.session.scalar(select(Kerncijfers).filter_by(code="BU08280607"))
    assert maren.inwoners == 40 and maren.leeftijd_0_15 is None and maren.inkomen_per_inwoner is None
    assert witte_hoef.inkomen_per_inwoner is None and witte_hoef.wijk.naam == "Ruwaard"


def test_a_later_year_comes_beside_the_earlier_one_and_the_wijkfoto_shows_the_latest(app, tmp_path):
    run(app, "import-kerncijfers", str(write_csv(tmp_path)))
    later = [ROWS[2].replace("12000", "12500")]
    result = run(app, "import-kerncijfers", "--jaar", "2024", str(write_csv(tmp_path, later, name="cijfers.csv")))

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Kerncijfers.id)).where(Kerncijfers.code == "WK082806")) == 2
    from omkijken.platform.areas import services as areas

    assert kerncijfers.of_wijk(areas.wijk_by_code("WK082806").id).inwoners == 12500


def test_a_file_that_is_not_kerncijfers_is_refused_with_a_reason(app, tmp_path):
    no_code = tmp_path / "kwb-2023.csv"
    no_code.write_text("naam;inwoners\nRuwaard;12000\n", encoding="utf-8")
    no_year = write_csv(tmp_path, name="cijfers.csv")
    bad_number = write_csv(tmp_path, [ROWS[2].replace("12000", "twaalfduizend")], name="kwb-2022.csv")

    assert "Codering" in run(app, "import-kerncijfers", str(no_code)).output
    assert "--jaar" in run(app, "import-kerncijfers", str(no_year)).output
    refused = run(app, "import-kerncijfers", str(bad_number))
    assert refused.exit_code != 0 and "regel 2" in refused.output
    assert db.session.scalar(select(func.count(Kerncijfers.id))) == 0


def test_the_ruwaard_wijkfoto_shows_residents_ages_households_and_income_with_year_and_source(client, tmp_path):
    before = client.get("/wijkagenda/WK082806/sociale-agenda").get_data(as_text=True)
    assert "Nog geen cijfers van het CBS." in before

    kerncijfers.import_file(write_csv(tmp_path))
    commit()
    page = client.get("/wijkagenda/WK082806/sociale-agenda").get_data(as_text=True)

    assert "Bron: CBS, Kerncijfers wijken en buurten 2023 (cijfers over 2023)." in page
    assert "12.000" in page and "5.400" in page  # inwoners, huishoudens
    assert "€ 26.500,00 per inwoner per jaar" in page
    assert "0-14 jaar" in page and "65+ jaar" in page and "21,7%" in page  # 2600 of 12000 are 65 or older
    assert "doel" not in page


def test_a_share_of_the_residents_uses_the_cbs_count(client, tmp_path, make_user):
    from omkijken.platform import clock
    from omkijken.platform.areas import services as areas
    from omkijken.platform.wijkagenda import services as wijkagenda
    from tests.support import NEAR_RUWAARD

    kerncijfers.import_file(write_csv(tmp_path))
    for n in range(3):
        bewoner = make_user(f"bewoner{n}@example.nl", home=NEAR_RUWAARD)
        wijkagenda.create(wijk=areas.wijk_by_code("WK082821"), auteur=bewoner, soort="wens", onderwerp="omgeving",
                          titel=f"Bankje {n}", beschrijving="", now=clock.utcnow())
    commit()
    page = client.get("/wijkagenda/WK082821/sociale-agenda").get_data(as_text=True)

    assert "3 bewoners op de wijkagenda: 7,5% van de inwoners" in page  # Maren - Kessel: 3 of 40
    assert "onbekend" in page  # its age groups are hidden by the CBS
