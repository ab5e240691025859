"""Bylines that pages write without marking them up: a line of names under the headline, a genre
word before the opener, and the lines that look like one and are not (a caption, a picture credit,
a dateline, a place, a menu), each in a language whose pages write it so."""

from __future__ import annotations

from datetime import UTC, datetime

from wirestream.core import normalise
from wirestream.core.metadata import from_page, from_text, split_people
from wirestream.core.pagemeta import read_page_metadata

NOW = datetime(2026, 4, 26, 12, 0, tzinfo=UTC)


def _authors(raw: str) -> tuple[str, ...]:
    return from_text(raw.splitlines(), normalise(raw), message_time=NOW).authors


def _page_text(headline: str, *lines: str) -> str:
    """A page's visible text as the corpora hold it: its <title>, a menu, then the article."""
    return _article(f"{headline} | Daily Example", "Home", "News", headline, *lines)


def _article(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


EN_BODY = _article(
    "The US is considering options for punishing Nato allies which it considers to have failed to offer support.",
    "The proposals include suspending Spain from the political alliance and reviewing other commitments.",
    "Officials said no decision had been taken and that the talks with the allies would go on next week.",
)


def test_genre_words_before_the_opener_are_not_part_of_the_name() -> None:
    assert split_people("Kolumne von Carla Siepmann") == ["Carla Siepmann"]
    assert split_people("Ein Kommentar von Nicole Opitz") == ["Nicole Opitz"]
    assert split_people("Opinion by Jane Doe") == ["Jane Doe"]
    assert split_people("Análisis de Luna González") == ["Luna González"]


def test_a_commentary_byline_in_german_text_gives_the_writer() -> None:
    raw = _article(
        "Elon Musk kommt nicht ins Berghain",
        "Kommentar von Nicole Opitz",
        "Der Club bleibt bei seiner Tür, und das ist gut so, auch wenn es manchen nicht gefällt.",
        "Seit Jahren entscheidet die Tür, wer hinein darf, und daran ändert auch ein Milliardär nichts.",
    )
    assert _authors(raw) == ("Nicole Opitz",)


def test_a_line_of_names_between_the_headline_and_the_first_paragraph_is_the_byline() -> None:
    """BBC: the writer's name alone, the paper's name under it, then the article."""
    raw = _page_text("What is Nato and which countries are in it?", "Duncan Walker", "BBC", EN_BODY)
    assert _authors(raw) == ("Duncan Walker",)


def test_names_under_the_standfirst_split_at_a_slash() -> None:
    raw = _page_text(
        "Mining blasts shatter homes",
        "…as Bela Bela communities cry foul over lost livelihoods and damaged houses",
        "Mathatisi Sebusi/Mohalenyane Phakela",
        EN_BODY,
    )
    assert _authors(raw) == ("Mathatisi Sebusi", "Mohalenyane Phakela")


def test_the_paper_after_the_name_goes() -> None:
    raw = _page_text(
        "Climate change: Labor on track to hit 2030 target as Chris Bowen heralds approach",
        "Dan Jervis-Bardy The West Australian",
        "Tue, 26 November 2024 9:27PM",
        EN_BODY,
    )
    assert _authors(raw) == ("Dan Jervis-Bardy",)


def test_a_byline_under_the_headline_far_above_the_first_paragraph() -> None:
    """Financial Post: the byline is under the headline, and a video, a newsletter box and share
    buttons stand between it and the first paragraph."""
    furniture = [f"Newsletter item {n} of the day for readers" for n in range(40)]
    raw = _article(
        "Economists weigh in on the latest jobs report | Financial Post",
        "Home",
        "'Ends recession debate': economists weigh in on the latest jobs report",
        "Beyond the optimistic headlines, some economists argue that the economy is barely scraping by",
        "Author of the article:",
        "By Denise Paglinawan",
        "Published Jun 05, 2026",
        *furniture,
        EN_BODY,
    )
    assert _authors(raw) == ("Denise Paglinawan",)


def test_a_picture_caption_is_not_a_byline_in_polish() -> None:
    """Rzeczpospolita: the lead picture's caption names a politician, its credit follows; the
    writer's name stands above the first paragraph."""
    raw = _page_text(
        "Iran odmawia udziału w drugiej rundzie rozmów z USA",
        "Aktualizacja: 19.04.2026 19:45 Publikacja: 19.04.2026 19:05",
        "Donald Trump",
        "Foto: REUTERS/Nathan Howard",
        "Ada Michalak",
        "Jak podaje irańska państwowa agencja prasowa IRNA, decyzja Teheranu wynika z wygórowanych żądań.",
        "Rozmowy miały się odbyć w przyszłym tygodniu w Islamabadzie, podały źródła dyplomatyczne.",
        "Biały Dom nie skomentował jeszcze decyzji Iranu, a rynki ropy zareagowały wzrostem cen.",
    )
    assert _authors(raw) == ("Ada Michalak",)


def test_a_photographer_under_a_picture_label_is_not_a_byline_in_german() -> None:
    raw = _page_text(
        "Fed räumt Versäumnisse bei der Bankenaufsicht ein",
        "Fed-Vizechef Michael Barr: »Der Zusammenbruch der SVB zeigt Mängel in der Aufsicht«",
        "Foto:",
        "Andrew Harnik",
        "Die Federal Reserve hat in einer Analyse des Zusammenbruchs der Silicon Valley Bank Versäumnisse eingeräumt.",
        "Der Zusammenbruch der SVB zeige, dass es Mängel in der Regulierung gebe, erklärte die Notenbank.",
        "Zwar stünde das Missmanagement der Bank im Kern hinter dem Untergang, erklärte die Fed weiter.",
    )
    assert _authors(raw) == ()


def test_a_caption_with_a_date_is_not_a_meta_line_in_spanish() -> None:
    """Público: a caption dated and credited to a photographer and an agency; the writer's name
    stands next to the date line."""
    raw = _article(
        "Los vecinos de Carabanchel exigen cambios en las próximas ediciones de San Isidro",
        "Los residentes del barrio madrileño denuncian la duración de las fiestas un año más por el ruido.",
        "Cientos de personas en la pradera de San Isidro, a 15 de mayo de 2025, en Madrid. Gustavo Valiente / Europa Press",
        "Comparte",
        "Luna González",
        "Madrid - 29/05/2025 20:00",
        "Distintos grupos vecinales manifiestan su hartazgo por la duración de las fiestas de San Isidro.",
        "Las asociaciones piden que el Ayuntamiento reduzca los días de conciertos en la pradera.",
    )
    assert _authors(raw) == ("Luna González",)


def test_a_place_and_a_role_in_brackets_in_spanish() -> None:
    """La Vanguardia: the place under the byline opens with an article; the byline ends with the
    role in brackets."""
    raw = _article(
        "Al menos 12 fallecidos en el incendio de Almería",
        "Chus del Pino, Martí Abad (Enviado especial)",
        "Los Gallardos",
        "10/07/2026 00:50 Actualizado a 10/07/2026 22:39",
        "Hay 23 personas no localizadas en estos momentos y ocho heridos, cuatro de ellos de gravedad.",
        "Las evacuaciones han afectado ya a más de 1.100 personas en los municipios de la comarca.",
        "Los bomberos trabajan en la zona desde la madrugada con el apoyo de medios aéreos.",
    )
    assert _authors(raw) == ("Chus del Pino", "Martí Abad")


def test_picture_credits_and_datelines_are_not_bylines() -> None:
    body = EN_BODY
    assert _authors(_page_text("Office for Budget Responsibility: what does it do?", "Getty Images", body)) == ()
    assert _authors(_page_text("Google's Stadia arrives with a handful of games", "Courtesy Google", body)) == ()
    dateline = ("New Delhi, News Nation Bureau", "Updated : 19 November 2019, 09:01 AM")
    assert _authors(_page_text("Markets rally as Sensex scales a new high on Wednesday", *dateline, body)) == ()
    assert _authors(_page_text("Markets rally as Sensex scales a new high on Wednesday", "Nishant Kumar", body)) == (
        "Nishant Kumar",
    )


def test_the_headline_itself_is_not_a_byline_in_portuguese() -> None:
    raw = _article(
        "Classificação NASCAR | Autoracing",
        "Menu",
        "Classificação NASCAR",
        "Publicado 20/11/2019",
        "Coloque nos seus favoritos e venha sempre conferir a classificação da NASCAR neste endereço!",
        "Classificação final da Monster Energy NASCAR Cup Series em 2019 após 36 etapas disputadas.",
        "A temporada de 2020 começa em fevereiro com as 500 Milhas de Daytona, na Flórida.",
    )
    assert _authors(raw) == ()


def test_html_byline_outside_the_article_when_the_markup_names_only_an_agency() -> None:
    """AFP Faktencheck: JSON-LD names the agency as the author (attribution's business), and the
    writers' byline stands in the page header, outside the extracted article."""
    paragraphs = [
        "Nein, die Covid-19-Impfung führte nicht zu 60.000 Toten in Deutschland, wie im Netz behauptet wird.",
        "Im Netz kursiert die Behauptung, die Impfung habe zehntausende Menschen getötet, doch Daten zeigen das nicht.",
        "Das Paul-Ehrlich-Institut wertet alle Verdachtsfälle aus und hat keinen solchen Zusammenhang gefunden.",
    ]
    html = (
        '<html><head><script type="application/ld+json">'
        '{"@type": "ClaimReview", "author": {"@type": "Organization", "name": "AFP"}}</script>'
        "<title>Covid-Impfung führte nicht zu 60.000 Toten | Faktencheck</title></head><body>"
        "<header><h1>Covid-Impfung führte nicht zu 60.000 Toten</h1>"
        "<div>Von: Bill MCCARTHY, Marisha GOLDHAMER</div></header>"
        "<article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    )
    page = read_page_metadata(html)
    doc = normalise(_article("Covid-Impfung führte nicht zu 60.000 Toten", *paragraphs))
    lines = ["Covid-Impfung führte nicht zu 60.000 Toten", "Von: Bill MCCARTHY, Marisha GOLDHAMER", *paragraphs]
    meta = from_page(page, doc, message_time=NOW, page_lines=lambda: lines)
    assert meta.authors == ("Bill MCCARTHY", "Marisha GOLDHAMER")
    assert meta.sources["authors"] == "text:byline"
    assert from_page(page, doc, message_time=NOW).authors == ()


def test_a_menu_under_the_headline_in_the_whole_page_is_not_a_byline() -> None:
    """Among a whole page's lines, a line of names must stand under the headline: a menu entry
    next to a date in a teaser list is not the article's byline."""
    doc = normalise(_article("What is Nato and which countries are in it?", EN_BODY))
    paragraphs = EN_BODY.split("\n\n")
    lines = ["What is Nato and which countries are in it?", *paragraphs, "Popular Posts", "2 days ago", "Teaser"]
    meta = from_page(read_page_metadata("<html></html>"), doc, message_time=NOW, page_lines=lambda: lines)
    assert meta.authors == ()


def test_a_job_title_after_the_name_goes_in_english() -> None:
    assert split_people("Steffan Rhys Deputy Content Hub Director") == ["Steffan Rhys"]
    assert split_people("Thabo Mokone Parliamentary editor") == ["Thabo Mokone"]
    assert split_people("By Robert Burns, AP National Security Writer") == ["Robert Burns"]
    raw = _page_text(
        "Man kept six women chained in hole in basement before cooking body parts",
        "Neighbours said there was a sickening smell coming from the house",
        "Steffan Rhys Deputy Content Hub Director",
        "08:39, 06 Jan 2026 Updated 08:41, 06 Jan 2026",
        EN_BODY,
    )
    assert _authors(raw) == ("Steffan Rhys",)


def test_names_in_capitals_under_the_headline_in_isizulu() -> None:
    """Ilanga: the byline box names the web desk's account; the writer's name, in capitals,
    stands between it and the first paragraph."""
    raw = _page_text(
        "Ikhansela lisola uthishanhloko ngezimbuzi zalo ezidle i-rice lesikole",
        "by Ilanga D | 5 November 2024",
        "MTHOBISI SITHOLE",
        "Kuthiwa imbuzi efile itholakale emagcekeni aseMabaso High School kubhalwa izivivinyo.",
        "Kuthiwa lisola isikole ngokubulala izimbuzi zalo ezidla intshela ye-rice eziyithola khona.",
        "UNkk Dlamini uthi bahlaliseke kabi ngenxa yokuhlaselwa kwabo esikoleni ngumholi womphakathi.",
    )
    assert _authors(raw) == ("MTHOBISI SITHOLE",)
    assert _authors(raw.replace("MTHOBISI SITHOLE", "BREAKING NEWS")) == ()


def test_a_button_after_the_name_ends_it_in_norwegian_and_english() -> None:
    raw = _page_text(
        "David Eriksen måtte ta grep da Tone Damli fødte tre uker for tidlig",
        "15.10.24 23:35",
        "Tuva Mathilde Løland Tips meg",
        "I flere år har kjendismanager David Eriksen vært manager for artist Tone Damli, og de har holdt sammen.",
        "De har blitt såpass gode venner at Eriksen ble invitert inn på fødestua da Damli fødte.",
        "Det var for å diskutere jobb, forteller han til avisen i et intervju denne uken.",
    )
    assert _authors(raw) == ("Tuva Mathilde Løland",)
    english = _page_text("Parliament passes the budget after a week of talks", "By Victoria O’Regan Follow", EN_BODY)
    assert _authors(english) == ("Victoria O’Regan",)
