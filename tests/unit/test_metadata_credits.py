"""Who the page credits besides the writer, and where else a writer is named: a sign-off under
the last paragraph, the site's own account, an editor's credit, names run together, a role after
a dash; each in a language whose pages write it so."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wirestream.core import normalise
from wirestream.core.metadata import check_words, from_page, from_text, is_person, split_people
from wirestream.core.pagemeta import read_page_metadata

NOW = datetime(2026, 4, 26, 12, 0, tzinfo=UTC)

VI_BODY = (
    "Người đàn ông 63 tuổi đau bụng kéo dài, bác sĩ chẩn đoán ung thư lymphoma ruột non, căn bệnh ít gặp.",
    "Bác sĩ đánh giá bệnh nhân nhiều dấu hiệu bất thường nên nội soi dạ dày và đại tràng lấy mẫu sinh thiết.",
    "Nội soi và tầm soát sức khỏe định kỳ giúp phát hiện sớm các bệnh lý ác tính đường tiêu hóa, bác sĩ nói.",
)


def _page(json_ld: str, body_html: str = "", site_name: str = "") -> str:
    head = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    return (
        f'<html><head>{head}<script type="application/ld+json">{json_ld}</script></head><body>{body_html}</body></html>'
    )


def _article(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_a_sign_off_under_the_last_paragraph_in_vietnamese() -> None:
    """VnExpress: JSON-LD names the site; the writer signs off under the article's last paragraph."""
    page = read_page_metadata(_page('{"@type": "NewsArticle", "author": {"name": "VnExpress"}}', site_name="VnExpress"))
    doc = normalise(_article("Đau bụng kéo dài, phát hiện ung thư lymphoma ruột non", *VI_BODY, "Lê Phương"))
    meta = from_page(page, doc, message_time=NOW)
    assert meta.authors == ("Lê Phương",)
    assert meta.sources["authors"] == "text:byline"


def test_a_line_of_words_under_a_short_last_paragraph_is_not_a_sign_off() -> None:
    """A sign-off follows a paragraph of prose; under a short line (a teaser, a menu) it is furniture."""
    page = read_page_metadata(_page('{"@type": "NewsArticle"}'))
    doc = normalise(
        _article("Đau bụng kéo dài, phát hiện ung thư lymphoma ruột non", *VI_BODY, "Xem thêm", "Lê Phương")
    )
    assert from_page(page, doc, message_time=NOW).authors == ()


def test_the_sites_account_is_not_an_author_in_isizulu() -> None:
    """Ilanga News credits its web desk's account, the site's name and an initial."""
    assert not is_person("Ilanga D", site_names={"ilanganews"})
    assert is_person("Mthobisi Sithole", site_names={"ilanganews"})
    page = read_page_metadata(
        _page('{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ilanga D"}}', site_name="Ilanga News")
    )
    assert from_page(page, message_time=NOW).authors == ()


def test_an_editor_credited_in_a_byline_box_is_not_the_author_in_indonesian() -> None:
    """Media Indonesia: JSON-LD names the editor as the author; the byline boxes say who wrote it."""
    html = _page(
        '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Heryadi"}}',
        '<div class="author-name">Naufal Zuhdi</div><div class="editor-author">Editor : Heryadi</div>',
        site_name="Media Indonesia",
    )
    meta = from_page(read_page_metadata(html), message_time=NOW)
    assert meta.authors == ("Naufal Zuhdi",)
    assert meta.sources["authors"] == "html:byline"


PL_BODY = (
    "Irańska agencja informacyjna IRNA twierdzi, że Teheran nie zamierza wziąć udziału w kolejnej rundzie rozmów.",
    "Jak podaje irańska państwowa agencja prasowa IRNA, decyzja Teheranu wynika z wygórowanych żądań Waszyngtonu.",
    "W połowie ubiegłego tygodnia USA i Iran uzgodniły dwutygodniowe zawieszenie broni, które wkrótce wygasa.",
)


def test_a_byline_under_the_lead_pictures_credit_in_polish() -> None:
    """Rzeczpospolita: headline, standfirst, date line, the picture's caption and credit, then the
    writer's name right above the second paragraph; the page's <title> words the headline otherwise."""
    raw = _article(
        "Iran odmawia udziału w drugiej rundzie rozmów z USA - rp.pl",
        "Wydarzenia",
        "Iran zrezygnował z drugiej rundy rozmów z USA",
        PL_BODY[0],
        "Aktualizacja: 19.04.2026 19:45 Publikacja: 19.04.2026 19:05",
        "Donald Trump",
        "Foto: REUTERS/Nathan Howard",
        "Ada Michalak",
        *PL_BODY[1:],
    )
    assert from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors == ("Ada Michalak",)


def test_a_role_after_a_dash_and_a_stack_of_such_lines_in_norwegian() -> None:
    """NRK: each writer on a line of their own, the role after a dash (the page's text repeats it)."""
    assert split_people("Anders Skjerdingstad – Journalist i Paris") == ["Anders Skjerdingstad"]
    assert split_people("Jane Doe – Reporter in Kyiv, John Roe") == ["Jane Doe", "John Roe"]
    raw = _article(
        "Tårene rant for stavhopper Lene Retzius – NRK",
        "Tårene rant for stavhopper Lene Retzius – så kom sjokkvendingen",
        "Mathias Hagen – Journalist Journalist",
        "Anders Skjerdingstad – Journalist i Paris Journalist i Paris",
        "Publisert 05.08.2024, kl. 13.05 Oppdatert 05.08.2024, kl. 13.52",
        "Lene Retzius er, sammen med hele 19 andre stavhoppere, klar for finalen i stavsprang onsdag kveld.",
        "Det var ikke tolv utøvere som klarte å hoppe 4,55 meter, og etter en periode med uvisshet ble det klart.",
        "Det betyr at Retzius deltar i finalen onsdag, og hun lover å sove godt og spise godt før den tid.",
    )
    authors = from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors
    assert authors == ("Mathias Hagen", "Anders Skjerdingstad")


RU_BODY = (
    "157 миллионов гривен — именно столько за последние три года из госбюджета потратили на судей суда.",
    "Этот суд в свое время был символом коррупции и круговой поруки, и его решения вызывали возмущение.",
    "История суда до сих пор не завершена: она продолжается в зарплатных ведомостях и в судебных делах.",
)


def test_names_run_together_split_where_the_page_writes_them_apart_in_russian() -> None:
    """Ukrainska Pravda: under the headline the writers' names run together (each a link of its
    own), with the day and month but no year; under the article the page lists them apart."""
    head = _article(
        "Почему судьи ОАСК до сих пор в системе | Украинская правда",
        "157 миллионов за бездействие. Как судьи ОАСК до сих пор сидят на выплатах",
        "Ярослав Кузишин Антон Зелинский Карина Гасимова 8 января, 17:46",
        *RU_BODY,
    )
    raw = _article(head, "Ярослав Кузишин, Антон Зелинский, Карина Гасимова", "Реклама:")
    authors = from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors
    assert authors == ("Ярослав Кузишин", "Антон Зелинский", "Карина Гасимова")
    # Without the names written apart, the run cannot be split: no one rather than wrong people.
    assert from_text(head.splitlines(), normalise(head), message_time=NOW).authors == ()


def test_a_comment_writer_described_after_the_name_in_lithuanian() -> None:
    """LRT: a comment piece credits its writer by name, then says who they are, then the site and
    the date; the initials above and the picture credit under it are not the byline."""
    raw = _article(
        "Povilas Aleksandravičius. Kodėl Judas išdavė Jėzų? - LRT",
        "Nuomonės",
        "Povilas Aleksandravičius. Kodėl Judas išdavė Jėzų?",
        "PA",
        "Povilas Aleksandravičius, Mykolo Romerio universiteto Žmogaus ir visuomenės studijų fakulteto"
        " profesorius, Lrt.lt 2024.03.31 19:59",
        "Povilas Aleksandravičius / J. Stacevičiaus / LRT nuotr.",
        "Judo išdavystė atrodo keistai. Įprastai išdavystės taip nevyksta, esame pripratę prie kitokios minties.",
        "Galbūt neatsitiktinai Judui buvo patikėta bendruomenės kasa, bet Jonas su pasišlykštėjimu teigia kita.",
        "Vis dėlto egzegetai sutaria, kad trisdešimt sidabrinių negalėjo būti Judo motyvas dėl jo gobšumo.",
    )
    assert from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors == ("Povilas Aleksandravičius",)
    # A caption that names someone and says what they did has no job title at the end of a part.
    caption = raw.replace(
        "Povilas Aleksandravičius, Mykolo", "Gediminas Landsbergis, Seimo narys, kalbėjo apie Mykolo"
    ).replace(" profesorius,", ",")
    assert from_text(caption.splitlines(), normalise(caption), message_time=NOW).authors == ()


EN_BODY = (
    "Whether you are climbing peaks or taking the family to the local park, we have found the best bags.",
    "John Muir famously set off for the mountains with some bread and tea, and slept under the open sky.",
    "Whether you are following Muir into the backcountry or planning a night in the garden, read on here.",
)


def test_a_newsroom_run_on_after_the_name_in_english() -> None:
    """Wired: the writer's name and the desk's credit, shown without a separator, next to the date."""
    raw = _article(
        "11 Best Sleeping Bags (2024) | WIRED",
        "Scott Gilbertson Gear Team",
        "Gear",
        "Apr 28, 2024 10:00 AM",
        "The Best Sleeping Bags for Every Adventure",
        *EN_BODY,
    )
    assert from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors == ("Scott Gilbertson",)
    # A bureau is named after a place, which would be left as a name.
    bureau = raw.replace("Scott Gilbertson Gear Team", "New Delhi News Bureau")
    assert from_text(bureau.splitlines(), normalise(bureau), message_time=NOW).authors == ()


def test_user_names_initials_and_degrees_are_not_people_in_english() -> None:
    """A content system's user name ("jdadmin", "kevin-r") is written in lower case; a degree or
    initials after the name ("MS, RDN") in capitals, one short word."""
    assert not is_person("jdadmin")
    assert not is_person("kevin-r")
    assert not is_person("RDN")
    assert is_person("Kevin Rebong")
    page = read_page_metadata(
        _page('{"@type": "NewsArticle", "author": [{"name": "Ilana Muhlstein, MS, RDN"}, {"name": "kevin-r"}]}')
    )
    assert from_page(page, message_time=NOW).authors == ("Ilana Muhlstein",)


def test_social_network_links_after_the_name_in_english() -> None:
    assert not is_person("Twitter Facebook")
    html = _page('{"@type": "NewsArticle"}', '<div class="byline">By Sarah Lazare Twitter</div>')
    assert from_page(read_page_metadata(html), message_time=NOW).authors == ("Sarah Lazare",)


def test_an_update_word_before_the_date_goes_with_it_in_german() -> None:
    html = _page(
        '{"@type": "NewsArticle"}', '<div class="author">Von David Straub Stand: 28. April 2023, 11:20 Uhr</div>'
    )
    assert from_page(read_page_metadata(html), message_time=NOW).authors == ("David Straub",)


def test_a_guest_credit_is_not_a_person_in_russian() -> None:
    assert not is_person("Гость")
    assert is_person("Андрей Колесников")


def test_a_papers_name_in_the_byline_is_not_a_person_in_french() -> None:
    """Le Figaro's text: "Par Le Figaro et AFP", where the text does not say which site it is."""
    assert not is_person("Le Figaro")
    assert not is_person("Der Spiegel")
    assert is_person("Marine Le Pen")
    raw = _article(
        "Guerre en Ukraine : la Russie affirme avoir fait échouer la campagne ukrainienne",
        "Par Le Figaro et AFP",
        "Le dirigeant russe a affirmé jeudi que le conflit avait pris un caractère mondial après les frappes.",
        "Moscou a tiré un nouveau missile balistique sur la ville de Dnipro, selon les autorités ukrainiennes.",
        "La Chine appelle à la retenue après le tir de missile balistique, a déclaré le porte-parole chinois.",
    )
    assert from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors == ()


def test_the_place_after_the_names_is_not_a_person_in_german() -> None:
    """SRF, Junge Welt, n-tv: the writers, then after a comma the place they report from."""
    assert split_people("Autor: Monika Bolliger und Anna Trechsel, Sweidah") == ["Monika Bolliger", "Anna Trechsel"]
    assert split_people("Von Seb Dumitru, Lille") == ["Seb Dumitru"]
    # A list of people known by one name each, and a second name after "und", stay.
    assert split_people("Carlos Nadalim, Karol, Lilian") == ["Carlos Nadalim", "Karol", "Lilian"]
    assert split_people("Von Anna Sleegers und Heryadi") == ["Anna Sleegers", "Heryadi"]


def test_the_word_lists_are_checked_on_load() -> None:
    assert check_words({"roles": ["korrespondent"], "months": {"de": ["januar"]}})
    for bad in ({"roles": ["Korrespondent"]}, {"roles": ["editor", "editor"]}, {"roles": []}, {"m": {"de": [" mai"]}}):
        with pytest.raises(ValueError, match="metadata.toml"):
            check_words(bad)


def test_the_site_named_with_its_address_is_not_an_author_in_german() -> None:
    """Deutsche Welle names itself "Deutsche Welle (www.dw.com)" in <meta> publisher and author."""
    html = (
        '<html><head><meta name="publisher" content="Deutsche Welle (www.dw.com)">'
        '<meta name="author" content="Deutsche Welle (www.dw.com)"></head><body></body></html>'
    )
    assert from_page(read_page_metadata(html), message_time=NOW).authors == ()


def test_the_site_without_its_article_is_not_an_author_in_english() -> None:
    """The Telegraph credits "Telegraph Sport", its own desk."""
    html = _page('{"@type": "NewsArticle", "author": {"name": "Telegraph Sport"}}', site_name="The Telegraph")
    assert from_page(read_page_metadata(html), message_time=NOW).authors == ()


DE_BODY = (
    "Samsung hat Probleme vor Gericht: Ein Gericht hat den Konzern zu einer Zahlung an einen Patentinhaber verurteilt.",
    "Samsung wird dem Bericht zufolge das Urteil gründlich prüfen und geeignete rechtliche Schritte festlegen.",
    "Es dürfte nicht das letzte Verfahren dieser Art sein, heißt es in dem Bericht über die Verhandlung weiter.",
)


def test_the_name_after_the_publication_date_in_german() -> None:
    """Golem: "Artikel veröffentlicht am <date>, <time>, <writer>"; the site's own desk ("Golem
    Karrierewelt", the site being "Golem.de") is not a writer."""
    raw = _article(
        "Patentstreit: Samsung muss 142 Millionen US-Dollar zahlen - Golem.de",
        "Golem Karrierewelt",
        "Patentstreit: Samsung muss 142 Millionen US-Dollar zahlen",
        "Artikel veröffentlicht am 28. April 2024, 14:26 Uhr, Tobias Költzsch",
        *DE_BODY,
    )
    assert from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors == ("Tobias Költzsch",)
    alone = raw.replace(", Tobias Költzsch", "")
    assert from_text(alone.splitlines(), normalise(alone), message_time=NOW).authors == ()


def test_a_desk_after_the_name_and_page_buttons_in_english_and_arabic() -> None:
    """The Mirror: "Emma Mackenzie Lifestyle" (the writer's desk); Nature: "Download PDF";
    LBC: "منوعات" ("miscellany", the section) in JSON-LD author."""
    assert split_people("Emma Mackenzie Lifestyle") == ["Emma Mackenzie"]
    assert not is_person("Download PDF")
    assert not is_person("Popular Posts")
    assert not is_person("Holidays Recipes")
    assert not is_person("منوعات")


ES_BODY = (
    "El juez del Tribunal Supremo ha citado a declarar en calidad de investigado al fiscal general del Estado.",
    "El magistrado investiga si el número uno de la Fiscalía filtró datos reservados respecto del empresario.",
    "La defensa del fiscal general ha anunciado que recurrirá la decisión ante la sala de apelación del tribunal.",
)


def test_names_next_to_the_date_win_over_a_topic_line_under_the_headline_in_spanish() -> None:
    """La Vanguardia: a topic line ("Tribunal Supremo") under the headline reads like a name; the
    writer's name stands next to the date line."""
    headline = "El juez cita como investigado al fiscal general por revelar datos de la pareja de Díaz Ayuso"
    raw = _article(
        headline,
        "SUCESOS",
        headline,
        "Tribunal Supremo",
        "El magistrado Ángel Hurtado ve “apuntalados” los indicios contra Álvaro García Ortiz, amplía la"
        " investigación a su número dos y señala a Presidencia del Gobierno",
        "Video",
        "El juez cita como investigado al fiscal general por revelar datos de Alberto González Amador",
        "Carlota Guindal",
        "13/01/2025 10:22 Actualizado a 13/01/2025 15:43",
        *ES_BODY,
    )
    assert from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors == ("Carlota Guindal",)


def test_a_date_after_on_ends_the_name_in_english_and_german() -> None:
    """Newsweek: "By Kashmira Gander On 11/13/19 at 4:00 PM EST", with a tag line under it that
    reads like names next to the date."""
    assert split_people("By Kashmira Gander on Wednesday") == ["Kashmira Gander"]
    assert split_people("Von Jane Doe am Montag") == ["Jane Doe"]
    raw = _article(
        "Cannabis Use Disorder is Rising in U.S. States Where Weed is Legal",
        "By Kashmira Gander On 11/13/19 at 4:00 PM EST",
        "Share",
        "Health Marijuana Cannabis Weed",
        *EN_BODY,
    )
    assert from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors == ("Kashmira Gander",)


def test_a_surname_that_is_also_a_title_word_stays_in_english() -> None:
    """The Sun: "Debbie White"; a title still goes: "Jane Doe White House Correspondent"."""
    assert split_people("Debbie White") == ["Debbie White"]
    assert split_people("Jennifer Senior") == ["Jennifer Senior"]
    assert split_people("By Jane Doe White House Correspondent") == ["Jane Doe"]
    assert split_people("Jane Doe and Senior Writer") == ["Jane Doe"]


def test_an_employer_after_the_name_is_not_a_person_in_english() -> None:
    """A media group or an agency after the name, or after the name's full stop."""
    assert split_people("Finian Cunningham. Sputnik") == ["Finian Cunningham"]
    assert split_people("Amy K. Dragoo") == ["Amy K. Dragoo"]
    assert split_people("Amy Kuperinsky, NJ Advance Media") == ["Amy Kuperinsky"]
    assert not is_person("European Space Agency")
