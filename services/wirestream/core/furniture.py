"""Page furniture recognised by its words: widgets, prompts, section headings, legal lines.

Two kinds of knowledge live here, in English, German, French, Spanish, Italian and Portuguese:

* whole lines that are furniture wherever they stand ("Share", "Advertisement", "Artikel teilen");
* phrases that make a line furniture when the line is short enough to be nothing else
  ("We use cookies ...", "Sign up for our newsletter ...").

Section headings that open a list of *other* stories or the comments ("Most Read", "Mehr zum
Thema", "Leave a comment") are `Furniture(..., opens_section=True)`: what follows them is not the
article, which the region search and the teaser filter rely on.

Removed-line kinds (the keys of `NormalisedText.removed`):

    navigation  menus, breadcrumbs, section and tag lists, skip links, runs of short lines
    widget      text-size, print, gallery and player controls
    share       share / follow / social buttons
    cookie      cookie and consent prompts
    newsletter  newsletter, subscription, sign-in and paywall prompts
    advert      advertising labels
    related     related-story, most-read and read-more lists and their teasers
    comments    comment sections and their prompts
    footer      contact, about, site-map and other footer links
    legal       copyright, privacy and terms lines
    metadata    dates, times, reading times and counters outside the article text
    duplicate   a line repeated from earlier in the page
    boilerplate any other line outside the article region
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Furniture:
    kind: str
    opens_section: bool = False


# Lines that are furniture on their own. Keys are lower case with trailing ":" / arrows removed.
_LINES: dict[str, str] = {}


def _add(kind: str, words: str) -> None:
    for word in words.strip().split("\n"):
        _LINES[word.strip()] = kind


_add(
    "navigation",
    """
    accessibility links
    skip to content
    skip to main content
    skip to navigation
    skip to footer
    skip to site index
    skip to content skip to site index
    jump to navigation
    zum inhalt springen
    zum hauptinhalt springen
    direkt zum inhalt
    aller au contenu
    aller au contenu principal
    ir al contenido
    saltar al contenido
    vai al contenuto
    ir para o conteúdo
    pular para o conteúdo
    menu
    main menu
    open menu
    close menu
    toggle navigation
    navigation
    hauptmenü
    menü
    menú
    sections
    search
    search this site
    suche
    suchen
    rechercher
    recherche
    buscar
    búsqueda
    cerca
    pesquisar
    busca
    home
    homepage
    startseite
    accueil
    inicio
    portada
    back to top
    top of page
    nach oben
    zurück nach oben
    retour en haut
    volver arriba
    torna su
    voltar ao topo
    breaking news
    eilmeldung
    live
    more
    mehr
    plus
    más
    altro
    mais
    topics
    themen
    tags
    schlagwörter
    see all
    view all
    show all
    alle anzeigen
    voir tout
    ver todo
    vedi tutto
    ver tudo
    next
    previous
    prev
    weiter
    zurück
    suivant
    précédent
    siguiente
    anterior
    successivo
    precedente
    próximo
    load more
    show more
    mehr laden
    mehr anzeigen
    close
    schließen
    fermer
    cerrar
    chiudi
    fechar
    """,
)
_add(
    "widget",
    """
    read more
    weiterlesen
    mehr lesen
    lire la suite
    leer más
    leggi tutto
    leia mais
    continue reading
    xs
    sm
    md
    lg
    xl
    a
    aa
    a a
    a a a
    a+
    a-
    a-a+
    text size
    font size
    textgröße
    schriftgröße
    taille du texte
    tamaño de letra
    print
    print this article
    print this page
    drucken
    artikel drucken
    imprimer
    imprimir
    stampa
    listen
    listen to this article
    anhören
    artikel anhören
    écouter
    escuchar
    ascolta
    ouvir
    play
    pause
    play video
    watch video
    video
    caption
    hide caption
    toggle caption
    enlarge this image
    expand
    zoom
    fullscreen
    full screen
    back to gallery
    view gallery
    open gallery
    galerie
    bildergalerie
    photos
    fotos
    lesezeit
    """,
)
_add(
    "share",
    """
    share
    share this
    share this article
    share this story
    share article
    share on facebook
    share on twitter
    share on linkedin
    share on whatsapp
    share via email
    share via e-mail
    share by email
    email
    e-mail
    mail
    tweet
    facebook
    twitter
    x
    linkedin
    whatsapp
    pinterest
    reddit
    flipboard
    telegram
    messenger
    pocket
    tumblr
    xing
    instagram
    youtube
    rss
    copy link
    copy url
    link copied
    link kopieren
    copier le lien
    copiar enlace
    copia link
    copiar link
    teilen
    artikel teilen
    beitrag teilen
    jetzt teilen
    partager
    partager cet article
    compartir
    compartir en facebook
    compartir en twitter
    condividi
    condividi su facebook
    compartilhe
    compartilhar
    follow us
    folgen sie uns
    suivez-nous
    síguenos
    seguici
    siga-nos
    comments
    comment
    """,
)
_add(
    "advert",
    """
    advertisement
    advertising
    ad
    ads
    sponsored
    sponsored content
    paid content
    promoted
    continue reading the main story
    continue reading below
    story continues below advertisement
    article continues below advertisement
    article continues below
    story continues below
    scroll to continue with content
    anzeige
    werbung
    publicité
    publicidad
    pubblicità
    publicidade
    """,
)
_add(
    "newsletter",
    """
    subscribe
    subscribe now
    sign in
    log in
    login
    sign up
    register
    my account
    subscribe sign in
    log in subscribe
    sign in subscribe
    abonnieren
    jetzt abonnieren
    anmelden
    einloggen
    registrieren
    s'abonner
    abonnez-vous
    se connecter
    connexion
    suscríbete
    suscribirse
    iniciar sesión
    abbonati
    accedi
    assine
    assinar
    entrar
    newsletter
    newsletters
    subscription
    subscriptions
    inbox
    inscrivez-vous
    inscreva-se
    """,
)
_add(
    "cookie",
    """
    cookie-einstellungen
    accept
    accept all
    accept cookies
    accept all cookies
    reject all
    i agree
    got it
    cookie settings
    manage cookies
    akzeptieren
    alle akzeptieren
    alle cookies akzeptieren
    einverstanden
    ablehnen
    tout accepter
    accepter
    refuser
    aceptar
    aceptar todo
    rechazar
    accetta
    accetta tutto
    rifiuta
    aceitar
    aceitar todos
    rejeitar
    """,
)
_add(
    "legal",
    """
    privacy
    privacy policy
    privacy notice
    cookie policy
    cookies
    terms
    terms of use
    terms of service
    terms and conditions
    terms & conditions
    accessibility
    do not sell my personal information
    do not sell my info
    ad choices
    adchoices
    impressum
    datenschutz
    datenschutzerklärung
    datenschutzhinweise
    agb
    nutzungsbedingungen
    mentions légales
    politique de confidentialité
    conditions générales
    aviso legal
    política de privacidad
    política de cookies
    note legali
    informativa sulla privacy
    política de privacidade
    termos de uso
    """,
)
_add(
    "footer",
    """
    about
    about us
    contact
    contact us
    advertise
    advertise with us
    careers
    jobs
    site map
    sitemap
    help
    faq
    feedback
    corrections
    masthead
    über uns
    kontakt
    mediadaten
    à propos
    nous contacter
    quiénes somos
    contacto
    chi siamo
    contatti
    quem somos
    fale conosco
    contato
    """,
)

# Headings that open a list of other stories or the comments: the article is over.
_SECTION_LINES: dict[str, str] = {}


def _add_section(kind: str, words: str) -> None:
    for word in words.strip().split("\n"):
        _SECTION_LINES[word.strip()] = kind


_add_section(
    "related",
    """
    related
    related articles
    related stories
    related content
    related news
    related posts
    related links
    related coverage
    related topics
    related video
    related videos
    more stories
    more news
    more articles
    more on this story
    more on this topic
    more in this section
    more from this section
    read next
    read also
    also read
    see also
    recommended
    recommended for you
    recommended stories
    recommended articles
    you may also like
    you might also like
    you may be interested in
    you might be interested in
    also on
    most read
    most popular
    most viewed
    most shared
    most commented
    most popular articles
    most popular videos
    most read articles
    popular now
    popular stories
    trending
    trending now
    trending stories
    top stories
    latest news
    latest stories
    latest articles
    editor's picks
    editors' picks
    editors picks
    don't miss
    what to read next
    up next
    around the web
    from the web
    sponsored stories
    promoted stories
    mehr zum thema
    mehr zum thema:
    das könnte sie auch interessieren
    das könnte dich auch interessieren
    lesen sie auch
    lesen sie mehr
    auch interessant
    weitere artikel
    weitere nachrichten
    weitere themen
    verwandte artikel
    meistgelesen
    meistgelesene artikel
    am meisten gelesen
    top-themen
    neueste artikel
    à lire aussi
    lire aussi
    à lire également
    sur le même sujet
    les plus lus
    les plus partagés
    articles liés
    articles similaires
    dans la même rubrique
    lee también
    leer más
    te puede interesar
    también te puede interesar
    noticias relacionadas
    artículos relacionados
    lo más leído
    más leídas
    más noticias
    leggi anche
    potrebbe interessarti anche
    articoli correlati
    notizie correlate
    i più letti
    più letti
    leia também
    leia mais
    veja também
    notícias relacionadas
    matérias relacionadas
    mais lidas
    mais lidos
    """,
)
_add_section(
    "comments",
    """
    comments
    comment
    reader comments
    top comments
    top rated comments
    newest comments
    latest comments
    all comments
    view all comments
    show all comments
    most recent comments
    responses
    replies
    show comments
    view comments
    join the conversation
    join the discussion
    leave a comment
    leave a reply
    post a comment
    add a comment
    write a comment
    kommentare
    kommentarfunktion
    kommentar schreiben
    kommentieren
    leserkommentare
    diskussion
    commentaires
    laisser un commentaire
    réagir
    comentarios
    deja un comentario
    dejar un comentario
    commenti
    lascia un commento
    comentários
    deixe um comentário
    deixe seu comentário
    """,
)

# Phrases that make a short line furniture. Each alternative is plain words, so the pattern is a
# literal-prefix alternation that the regex engine scans without backtracking.
_PHRASES: dict[str, tuple[str, ...]] = {
    "cookie": (
        "we use cookies",
        "this site uses cookies",
        "this website uses cookies",
        "uses cookies to",
        "use of cookies",
        "accept cookies",
        "accept all cookies",
        "cookie settings",
        "cookie preferences",
        "consent to the use",
        "wir verwenden cookies",
        "wir nutzen cookies",
        "verwendet cookies",
        "nutzt cookies",
        "cookies zu",
        "cookie-einstellungen",
        "alle akzeptieren",
        "nous utilisons des cookies",
        "utilise des cookies",
        "utilisation des cookies",
        "accepter les cookies",
        "utilizamos cookies",
        "usamos cookies",
        "uso de cookies",
        "aceptar cookies",
        "utilizziamo i cookie",
        "usiamo i cookie",
        "utilizza i cookie",
        "utilizza cookie",
        "accetta i cookie",
        "utilizamos cookies",
        "aceitar cookies",
    ),
    "newsletter": (
        "sign up for our",
        "sign up to our",
        "sign up for the",
        "subscribe to our",
        "subscribe to the",
        "subscribe for",
        "get our newsletter",
        "our newsletter",
        "daily newsletter",
        "weekly newsletter",
        "newsletter sign up",
        "newsletter sign-up",
        "get the latest news delivered",
        "delivered to your inbox",
        "straight to your inbox",
        "in your inbox",
        "already a subscriber",
        "already have an account",
        "to read the full story",
        "to continue reading",
        "subscribe to continue",
        "create a free account",
        "enter your email",
        "your email address",
        "thanks for signing up",
        "thank you for signing up",
        "newsletter abonnieren",
        "zum newsletter anmelden",
        "melden sie sich",
        "jetzt anmelden",
        "jetzt registrieren",
        "schon abonnent",
        "bereits abonnent",
        "weiterlesen mit",
        "jetzt weiterlesen",
        "inscrivez-vous",
        "abonnez-vous à",
        "recevez notre newsletter",
        "déjà abonné",
        "suscríbete a",
        "suscribete a",
        "recibe nuestro",
        "ya eres suscriptor",
        "iscriviti alla",
        "iscriviti a",
        "ricevi la nostra",
        "assine a nossa",
        "assine nossa",
        "inscreva-se",
        "receba nossa",
        "já é assinante",
    ),
    "share": (
        "share this article",
        "share this story",
        "share on facebook",
        "share on twitter",
        "click to share",
        "click to email",
        "click to print",
        "opens in new window",
        "opens in a new window",
        "follow us on",
        "share your thoughts",
        "share this on",
        "share to ",
        "sharing buttons",
        "like us on facebook",
        "follow on twitter",
        "folgen sie uns auf",
        "suivez-nous sur",
        "síguenos en",
        "seguici su",
        "siga-nos no",
    ),
    "comments": (
        "comments are closed",
        "comment policy",
        "community guidelines",
        "you must be logged in to",
        "log in to comment",
        "sign in to comment",
        "be the first to comment",
        "your email address will not be published",
        "required fields are marked",
        "view comments",
        "show comments",
        "load comments",
        "kommentarfunktion",
        "commentaires sont fermés",
        "los comentarios",
        "i commenti",
        "os comentários",
    ),
    "legal": (
        "all rights reserved",
        "alle rechte vorbehalten",
        "tous droits réservés",
        "todos los derechos reservados",
        "tutti i diritti riservati",
        "todos os direitos reservados",
        "privacy policy",
        "terms of use",
        "terms of service",
        "terms and conditions",
        "cookie policy",
        "do not sell my",
        "your privacy choices",
        "our standards:",
        "editorial standards",
        "datenschutzerklärung",
        "nutzungsbedingungen",
        "politique de confidentialité",
        "política de privacidad",
        "informativa privacy",
        "política de privacidade",
    ),
    "advert": (
        "story continues below",
        "article continues below",
        "continue reading the main story",
        "scroll to continue",
        "advertisement - ",
        "this article is sponsored",
    ),
    "widget": (
        "your browser does not support",
        "please enable javascript",
        "javascript is disabled",
        "to view this video",
        "this video is not available",
        "image 1 of",
        "photo 1 of",
        "reading time",
        "min read",
        "minute read",
        "minutes read",
        "lesezeit",
        "temps de lecture",
        "tiempo de lectura",
    ),
}

# A phrase makes a line furniture only in a line short enough to be a prompt, not a paragraph
# of an article that happens to be about cookies or newsletters.
PHRASE_MAX_CHARS = 220
# Counts and brackets go too: "[ 167 comments ]" and "34 Comments" are the comments heading.
TRIM = " :.»›→>|-–—·•*#▶►[]()0123456789"


_Trie = dict[str, "_Trie"]


def _trie_pattern(phrases: list[str]) -> str:
    """One alternation of literal phrases, factored by common prefixes.

    The regex engine tries alternatives one by one; sharing prefixes means a position that
    starts no phrase is left after one character comparison per distinct first letter instead
    of one per phrase. Literal branches only, so matching cannot backtrack beyond a phrase.
    """
    trie: _Trie = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else f"(?:{'|'.join(branches)})"
        return f"{body}?" if "" in node else body

    return build(trie)


_PHRASE_KIND = {phrase: kind for kind, phrases in _PHRASES.items() for phrase in phrases}
# Phrases start at a word, so after a character that is not part of one (the line gets a space in
# front). A pattern that opens with a set of characters lets the regex engine skip to the next
# candidate in C; for ASCII text (most lines) the set is spelled out, which it tests faster.
_PHRASE_TRIE = _trie_pattern(sorted(_PHRASE_KIND))
_PHRASE_ASCII = re.compile(rf"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]({_PHRASE_TRIE})")
_PHRASE = re.compile(rf"\W({_PHRASE_TRIE})")
# "Read more: <headline>", "RELATED: <headline>", "Lesen Sie auch: <headline>" inline teasers.
_TEASER_PREFIX = re.compile(
    r"(?:read more|read also|also read|related|see also|see more|more|watch|video|listen|photos|lesen sie auch|"
    r"lesen sie mehr|mehr zum thema|auch interessant|siehe auch|lire aussi|à lire aussi|voir aussi|"
    r"lee también|leer más|ver también|leggi anche|guarda anche|leia também|leia mais|veja também)"
    r"\s?[:»›|>]"
)

LINE_KINDS: dict[str, Furniture] = {key: Furniture(kind) for key, kind in _LINES.items()}
LINE_KINDS.update({key: Furniture(kind, opens_section=True) for key, kind in _SECTION_LINES.items()})
# Longer lines cannot be a key, even with counts and brackets around it ("[ 167 comments ]").
LONGEST_LINE = max(map(len, LINE_KINDS)) + 16


def line_key(line: str) -> str:
    """The form of a line that `LINE_KINDS` is keyed by."""
    return line.lower().strip(TRIM)


def classify(line: str) -> Furniture | None:
    """The furniture kind of a whole line, or None when its words do not give it away."""
    found = LINE_KINDS.get(line_key(line))
    return found if found is not None else classify_phrase(line.lower())


# Headings of teaser lists named after the site or a section: "More Washington Examiner",
# "Next Up In Science & Health", "More Great WIRED Stories", "Trending News", "Mehr aus Hamburg".
_RELATED_HEADING = re.compile(
    r"(?:more (?!than\b)|next up\b|up next\b|also on\b|also in\b|more from\b|trending\b|popular\b|latest\b|"
    r"top stories\b|mehr aus\b|mehr von\b|weitere\b|plus de\b|más de\b|más noticias\b|altre\b|mais de\b|"
    r"você pode gostar|voce pode gostar|vous aimerez|te puede interesar|ti potrebbe interessare)"
    r"[^.!?,;:]{0,40}"
)
_RELATED_HEADING_MAX_WORDS = 6
# "About Jane Doe", "Über Moritz Bachmann", "Sobre Carlos Nadalim": the author box after the text.
_AUTHOR_BOX = re.compile(
    r"(?:about|über|sobre|à propos de|acerca de|sull'|sul) "
    r"(?:the author|den autor|l'auteur|o autor|el autor|l'autore|\w+ \w+)"
)
# Newsletter and paywall prompts name themselves.
_PROMPT = re.compile("newsletter|inbox|subscription|abonnement|suscripción|assinatura")
_PROMPT_MAX_CHARS = 80
# Share and follow buttons run together: "Whatsapp Facebook Pint", "Share to LinkedIn".
_BUTTON_WORDS = frozenset(
    "share tweet email e-mail mail print facebook twitter linkedin whatsapp pinterest pint reddit flipboard "
    "telegram messenger pocket tumblr xing instagram youtube rss copy link google+ sms submit save comment "
    "comments addthis sharing buttons to on via teilen drucken partager imprimer compartir imprimir condividi "
    "stampa compartilhe compartilhar baixar download".split()
)

# "34 responses to “Headline”", "12 thoughts on “Headline”", "5 Kommentare zu ...".
_COMMENTS_HEADING = re.compile(
    r"\d{1,6} (?:responses?|comments?|replies|thoughts?|kommentare?|commentaires?|comentarios?|commenti|"
    r"comentários?|reacties|réactions?) (?:to|on|zu|zum|sur|à|a|en|em|su|op)\b"
)
# A comment's signature line: "thelastchargersfan says:", "Jane Doe on May 2, 2019 at 5:23 pm said:".
# Words cannot hold a space, so each repetition takes exactly one word: no backtracking.
_COMMENT_SIGNATURE = re.compile(
    r"[^\s:]{1,40}(?: [^\s:]{1,30}){0,8} "
    r"(?:says|said|wrote|sagt|schrieb|a écrit|dice|dijo|escribió|ha scritto|disse|diz):"
)


_PROMPT_KINDS = (
    ("cookie", "cookie"),
    ("newsletter", "newsletter"),
    ("subscri", "newsletter"),
    ("rights reserved", "legal"),
    ("copyright", "legal"),
    ("©", "legal"),
    ("privacy", "legal"),
    ("comment", "comments"),
)


def prompt_kind(lowered: str) -> str:
    """A cheap guess at what a removed sentence away from the article was; "boilerplate" if none.

    Only for counting: lines far from the article are removed whatever they are, and the full
    phrase test costs too much to run on every line of a page.
    """
    for word, kind in _PROMPT_KINDS:
        if word in lowered:
            return kind
    return "boilerplate"


def classify_phrase(lowered: str) -> Furniture | None:
    """Furniture given away by a phrase in a short line (`lowered` is the line in lower case)."""
    n = len(lowered)
    if n > PHRASE_MAX_CHARS or " " not in lowered:
        return None  # every phrase has two words or more; single words are in `LINE_KINDS`
    if lowered[0].isdigit() and _COMMENTS_HEADING.match(lowered) is not None:
        return Furniture("comments", opens_section=True)
    m = (_PHRASE_ASCII if lowered.isascii() else _PHRASE).search(" " + lowered)
    if m is not None:
        # The trie only stops where a phrase ends, so the match is one whole phrase.
        return Furniture(_PHRASE_KIND.get(m.group(1), "boilerplate"))
    if n <= _PROMPT_MAX_CHARS and _PROMPT.search(lowered) is not None:
        return Furniture("newsletter")
    if lowered.count(" ") < _RELATED_HEADING_MAX_WORDS:
        if _RELATED_HEADING.fullmatch(lowered) is not None:
            return Furniture("related", opens_section=True)
        if _AUTHOR_BOX.fullmatch(lowered) is not None:
            return Furniture("boilerplate", opens_section=True)
        words = lowered.split()
        if len(words) >= 2 and len(_BUTTON_WORDS.intersection(words)) * 2 >= len(set(words)):
            return Furniture("share")
    if lowered[-1] == ":" and _COMMENT_SIGNATURE.fullmatch(lowered) is not None and any(map(str.isdigit, lowered)):
        return Furniture("comments")
    if _TEASER_PREFIX.match(lowered):
        return Furniture("related")
    return None
