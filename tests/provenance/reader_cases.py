"""The provenance readers' example tables: an input string as outlets print it and what it
must yield (the chain, origin first, or the cited agencies), and look-alikes that must yield
nothing. ``tests/provenance/test_readers.py`` runs them against the readers; the registry and
phrase-search tests scan the same strings, so the tables live here, where any test may read
them without importing another test module. The strings follow real pages (Vietnamese state
media, French, English, German, Spanish and Italian wires); they are conventions, not copies
of one page.
"""

from __future__ import annotations

import pytest

CREDIT_LINES = [
    # Vietnamese state media: origin / translating agency / publisher
    pytest.param("Xinhua/VNA/CVN", (("xinhua",), ("vna",), ("cvn",)), id="slash-chain-xinhua"),
    pytest.param("TASS/VNA/CVN", (("tass",), ("vna",), ("cvn",)), id="slash-chain-tass"),
    pytest.param("AFP/VNA/CVN", (("afp",), ("vna",), ("cvn",)), id="slash-chain-afp"),
    pytest.param("VNA/CVN", (("vna",), ("cvn",)), id="slash-chain-two-hops"),
    pytest.param(
        "(Quelle: APA/sda/dpa)",
        (("apa",), ("keystone-ats",), ("dpa",)),
        id="swiss-sda-lower-case",
    ),
    pytest.param("-VOV/VNA", (("vov",), ("vna",)), id="slash-chain-leading-dash"),
    pytest.param("AFP / VNA / CVN", (("afp",), ("vna",), ("cvn",)), id="slash-chain-spaced"),
    pytest.param("afp/vna/cvn", (("afp",), ("vna",), ("cvn",)), id="slash-chain-lower-case"),
    pytest.param("AFP/The Local", (("afp",), ("unknown:The Local",)), id="slash-unknown-publisher"),
    pytest.param("FMW/Bloomberg", (("unknown:FMW",), ("bloomberg",)), id="slash-unknown-origin"),
    pytest.param("(jm/dpa)", (("dpa",),), id="german-initials-and-agency"),
    pytest.param("Jane Doe/Reuters", (("reuters",),), id="slash-person-is-no-hop"),
    # agency in brackets or alone
    pytest.param("(AFP)", (("afp",),), id="parenthesised"),
    pytest.param("(ANSA).", (("ansa",),), id="parenthesised-full-stop"),
    pytest.param("PTI", (("pti",),), id="bare-acronym"),
    pytest.param("EFE", (("efe",),), id="bare-acronym-es"),
    pytest.param("Dépêche AFP", (("afp",),), id="depeche"),
    pytest.param("The Associated Press", (("ap",),), id="bare-full-name"),
    # labelled sources: one hop of all the sources named
    pytest.param("Source : Sputnik", (("sputnik",),), id="label-source-fr"),
    pytest.param("Sources : AFP, Reuters", (("afp", "reuters"),), id="label-sources-two"),
    pytest.param("Quelle: dpa-AFX", (("dpa",),), id="label-quelle-de"),
    pytest.param("Fonte: Agência Brasil", (("agencia-brasil",),), id="label-fonte-pt"),
    # written "with" agencies: agencies first, then the outlet that wrote it
    pytest.param("avec AFP", (("afp",),), id="avec"),
    pytest.param(
        "Le Monde avec AFP et Reuters", (("afp", "reuters"), ("lemonde",)), id="outlet-avec"
    ),
    pytest.param("La Croix avec AFP", (("afp",), ("unknown:La Croix",)), id="unknown-outlet-avec"),
    pytest.param(
        "(Con información de AFP, EFE y Reuters)",
        (("afp", "efe", "reuters"),),
        id="con-informacion-list",
    ),
    pytest.param("Con información de AFP", (("afp",),), id="con-informacion"),
    pytest.param("Additional reporting from Reuters", (("reuters",),), id="additional-from"),
    pytest.param("– Additional reporting by Reuters", (("reuters",),), id="additional-by"),
    pytest.param(
        "Additional reporting by Jane Doe and Reuters", (("reuters",),), id="additional-person"
    ),
    pytest.param("Jane Doe avec AFP", (("afp",),), id="writer-avec-is-no-hop"),
    # copyright holders
    pytest.param("© dpa-infocom, dpa:201227-99-820474/3", (("dpa",),), id="copyright-dpa"),
    pytest.param("© Reuters", (("reuters",),), id="copyright"),
    pytest.param("© Thomson Reuters 2020", (("reuters",),), id="copyright-year"),
    pytest.param(
        "Copyright 2020 The Associated Press. All rights reserved.",
        (("ap",),),
        id="copyright-word",
    ),
    pytest.param(
        "(Reporting by Jane Doe; Editing by John Roe) © Reuters",
        (("reuters",),),
        id="reuters-signature",
    ),
    pytest.param(
        "Associated Press writers Jill Colvin and Zeke Miller contributed to this report.",
        (("ap",),),
        id="contributed",
    ),
]


METADATA_FIELDS = [
    pytest.param(
        "22/11/2020 - 04:30 - Fonte: Agência Brasil - Foto: Cesar Greco/Palmeiras",
        "Fonte: Agência Brasil",
        (("agencia-brasil",),),
        id="date-time-source-photo",
    ),
    pytest.param("Publié le 3 mai | Source : AFP", "Source : AFP", (("afp",),), id="pipe-fields"),
]


NOT_CREDIT_LINES = [
    pytest.param("Reuters a rapporté que le président est parti.", id="sentence-citing-agency"),
    pytest.param(
        "Selon Sputnik, le président Poutine et M. Kim ont inspecté le site.", id="sentence-selon"
    ),
    pytest.param("Il a travaillé avec AFP", id="sentence-avec"),
    pytest.param(
        "Catch up on the 2020 election campaign with AP experts", id="sentence-with-promo"
    ),
    pytest.param("Oui/Non", id="slash-without-agency"),
    pytest.param("Paris / La Gazette", id="own-dateline-place-and-outlet"),
    pytest.param("afp", id="lower-case-alone"),
    pytest.param("AP-HP", id="ap-hp"),
    pytest.param("Source : AP-HP", id="label-without-agency"),
    pytest.param("RT @someone", id="retweet"),
    pytest.param("Thomson Reuters Trust Principles", id="footer-name-in-phrase"),
    pytest.param("Chine", id="country-alone"),
    pytest.param("", id="empty"),
]


END_CREDITS = [
    pytest.param(
        "Premier paragraphe.\nDernier paragraphe du texte.\nXinhua/VNA/CVN",
        "Xinhua/VNA/CVN",
        (("xinhua",), ("vna",), ("cvn",)),
        id="own-last-line",
    ),
    pytest.param(
        "Un paragraphe.\nTASS/VNA/CVN\nback to top",
        "TASS/VNA/CVN",
        (("tass",), ("vna",), ("cvn",)),
        id="before-a-short-footer",
    ),
    pytest.param(
        "They tried to sneak into the US. PTI", "PTI", (("pti",),), id="after-last-sentence-en"
    ),
    pytest.param(
        "«Es lo que el país se merece». EFE", "EFE", (("efe",),), id="after-last-sentence-es"
    ),
    pytest.param(
        "Le sommet a duré deux heures.\nLe Monde avec AFP",
        "Le Monde avec AFP",
        (("afp",), ("lemonde",)),
        id="avec-last-line",
    ),
    pytest.param(
        "The talks ended.\n(Reporting by Jane Doe; Editing by John Roe) © Reuters",
        "(Reporting by Jane Doe; Editing by John Roe) © Reuters",
        (("reuters",),),
        id="reuters-signature",
    ),
    pytest.param(
        "They were deported for entering the country to sneak into the US. PTI\nComments\n0",
        "PTI",
        (("pti",),),
        id="before-page-chrome",
    ),
    pytest.param(
        "Los misiles serán desplegados.\n(Con información de AFP, EFE y Reuters)\nSeguir leyendo:",
        "(Con información de AFP, EFE y Reuters)",
        (("afp", "efe", "reuters"),),
        id="before-read-more",
    ),
]


NO_END_CREDIT = [
    pytest.param("Le président a parlé.\nReuters a rapporté que la réunion a duré.", id="sentence"),
    pytest.param("Xinhua/VNA/CVN\nUn long paragraphe après " + "mots " * 30, id="credit-not-last"),
    pytest.param("Il a été cité par l'AFP.", id="agency-inside-last-sentence"),
    pytest.param("", id="empty"),
]


LEAD_CREDITS = [
    pytest.param("Quelle: dpa-AFX\nNiedrige Zinsen.", "Quelle: dpa-AFX", "dpa", id="quelle"),
    pytest.param(
        "ESPORTE\nGoiás supera Palmeiras\n22/11/2020 - 04:30 - Fonte: Agência Brasil\nCom um gol",
        "Fonte: Agência Brasil",
        "agencia-brasil",
        id="metadata-line",
    ),
    pytest.param(
        "Por Agencia EFE\nEl presidente viajará.", "Por Agencia EFE", "efe", id="byline-por"
    ),
]


BYLINES = [
    pytest.param("Minh Duc (selon RT, Sputnik)", (("rt", "sputnik"),), id="staff-selon-sources"),
    pytest.param("Jean Dupont (d'après AFP)", (("afp",),), id="staff-d-apres"),
    pytest.param("By Reuters", (("reuters",),), id="by"),
    pytest.param("Par AFP", (("afp",),), id="par"),
    pytest.param("Par AFP publié le 26/12/2020 à 21:00", (("afp",),), id="par-with-date"),
    pytest.param("Von dpa", (("dpa",),), id="von"),
    pytest.param("Von Britta Schultejans, dpa", (("dpa",),), id="von-person-comma-agency"),
    pytest.param("Por Agencia EFE", (("efe",),), id="por-agencia"),
    pytest.param("Agencia Efe", (("efe",),), id="agencia-title-case"),
    pytest.param(
        "Meg Kinnard and Errin Haines, Associated Press", (("ap",),), id="people-comma-agency"
    ),
    pytest.param("The Associated Press", (("ap",),), id="agency-alone"),
    pytest.param("Associated Press November 19, 2019", (("ap",),), id="agency-and-date"),
    pytest.param("Reuters, Washington", (("reuters",),), id="agency-and-city"),
    pytest.param("AFP/The Local", (("afp",),), id="agency-slash-publisher"),
    pytest.param("By Hillel Italie The Associated Press", (("ap",),), id="person-then-agency"),
    pytest.param("Par Jean Dupont avec AFP", (("afp",),), id="person-avec-agency"),
    # name, credit and date glued together by the markup
    pytest.param("By Jane RoeThe Associated PressMon., May 4", (("ap",),), id="glued-credit"),
]


NOT_BYLINES = [
    pytest.param("Par Jean Dupont", id="person"),
    pytest.param("By Meg Kinnard and Errin Haines", id="people"),
    pytest.param("By Michael Bloomberg", id="person-named-like-an-agency"),
    pytest.param("Par Y, envoyé spécial à Moscou", id="person-and-role"),
    pytest.param("those of Sputnik", id="fragment-those-of"),
    pytest.param("including Agence France-Presse", id="fragment-including"),
    pytest.param("According to Reuters", id="fragment-according-to"),
    pytest.param("by India Post News Weekly", id="staff-desk"),
    pytest.param("Foto: dpa", id="photo-label-de"),
    pytest.param("Снимка: Getty Images/Guliver", id="photo-label-bg"),
    pytest.param("dpa/Erika Muster", id="agency-slash-photographer"),
    pytest.param("By Ronald McDonald and Ana DeSantis", id="capitals-inside-names"),
]


DATELINES = [
    pytest.param("PARIS (AFP) - Le président", "PARIS (AFP) -", "afp", id="city-hyphen"),
    pytest.param("PARIS (AFP) — Le président", "PARIS (AFP) —", "afp", id="city-em-dash"),
    pytest.param(
        "Moscou, 13 septembre (Reuters) - Le",
        "Moscou, 13 septembre (Reuters) -",
        "reuters",
        id="city-date-fr",
    ),
    pytest.param("Hanoï (VNA) - Le", "Hanoï (VNA) -", "vna", id="city-accented"),
    pytest.param("Berlin (dpa) - Die", "Berlin (dpa) -", "dpa", id="dpa"),
    pytest.param(
        "Berlin/Frankfurt (dpa) - Die", "Berlin/Frankfurt (dpa) -", "dpa", id="two-cities"
    ),
    pytest.param("Frankfurt/Main (dpa) - Die", "Frankfurt/Main (dpa) -", "dpa", id="city-river"),
    pytest.param("Berlin (dpa/lby) - Die", "Berlin (dpa/lby) -", "dpa", id="dpa-regional-desk"),
    pytest.param(
        "HAYWARD, Calif. (AP) — A", "HAYWARD, Calif. (AP) —", "ap", id="city-state-abbrev"
    ),
    pytest.param(
        "DORTMUND, Alemania (AP) — El", "DORTMUND, Alemania (AP) —", "ap", id="city-country-es"
    ),
    pytest.param("(Reuters) — The", "(Reuters) —", "reuters", id="agency-only"),
    pytest.param("(EFE).- El", "(EFE).-", "efe", id="efe-no-city"),
    pytest.param("Madrid, 5 nov (EFE).- El", "Madrid, 5 nov (EFE).-", "efe", id="efe-city-date"),
    pytest.param("ROMA, 12 OTT (ANSA) - Il", "ROMA, 12 OTT (ANSA) -", "ansa", id="ansa"),
    pytest.param(
        "WASHINGTON, Nov 20 (Reuters) - The",
        "WASHINGTON, Nov 20 (Reuters) -",
        "reuters",
        id="city-date-en",
    ),
    pytest.param("PTI, Washington\nThe US", "PTI, Washington", "pti", id="agency-then-city"),
    pytest.param(
        "Reuters, Washington, Nov 20 2019\nThe US",
        "Reuters, Washington, Nov 20 2019",
        "reuters",
        id="agency-city-date",
    ),
    pytest.param(
        "\n  Hanoï (VNA) - Le texte", "Hanoï (VNA) -", "vna", id="after-leading-whitespace"
    ),
    # the story's first outlet, then the agency it came through
    pytest.param(
        "PARENTS DAILY via JTA — The city council", "PARENTS DAILY via JTA —", "jta", id="via"
    ),
]


NOT_DATELINES = [
    pytest.param("Paris / La Gazette\nLe texte commence.", id="own-dateline"),
    pytest.param("PARIS — Le président a parlé.", id="city-without-agency"),
    pytest.param("Le ministre a parlé (AFP) - hier soir.", id="agency-later-in-sentence"),
    pytest.param("Reuters, the news agency, said on Monday.", id="agency-as-subject"),
    pytest.param("AFP, Reuters and AP reported.", id="list-of-agencies"),
    pytest.param("Un texte. " * 20 + "\nPARIS (AFP) - Trop tard", id="beyond-the-opening"),
    pytest.param("PARIS (Photo) - texte", id="bracket-not-an-agency"),
    pytest.param("Pictures via Getty Images — the gallery", id="via-a-photo-agency"),
    pytest.param("The senator wrote via Twitter - and then", id="via-no-agency"),
]


PHOTO_CREDITS = [
    pytest.param("Photo : AFP/VNA/CVN", (("afp",), ("vna",), ("cvn",)), id="label-chain"),
    pytest.param(
        "Kim Jong-un et Vladimir Poutine. Photo : AFP/VNA/CVN |",
        (("afp",), ("vna",), ("cvn",)),
        id="caption-then-label-chain",
    ),
    pytest.param("Photo . VNA/CVN", (("vna",), ("cvn",)), id="label-full-stop"),
    pytest.param("Photos : CTV/CVN", (("ctv",), ("cvn",)), id="label-contributor"),
    pytest.param("Photo: Sputnik", (("sputnik",),), id="label-agency"),
    pytest.param(
        "Les deux dirigeants au cosmodrome, le 13 septembre 2023. Source : Sputnik",
        (("sputnik",),),
        id="caption-ending-source",
    ),
    pytest.param("© AFP", (("afp",),), id="copyright"),
    pytest.param("Image copyright Reuters", (("reuters",),), id="image-copyright"),
    pytest.param("AP Photo/Alan Diaz", (("ap",),), id="agency-photo-slash-person"),
    pytest.param("(AP Photo/Alan Diaz, File)", (("ap",),), id="agency-photo-file"),
    pytest.param("Joshua Roberts/Reuters", (("reuters",),), id="person-slash-agency"),
    pytest.param("Soeren Stache/dpa", (("dpa",),), id="person-slash-dpa"),
    pytest.param("Bob Edme/AP", (("ap",),), id="person-slash-ap"),
    pytest.param("A man walks past. Bob Edme/AP", (("ap",),), id="caption-ending-credit"),
    pytest.param("Jacquelyn Martin / Associated Press", (("ap",),), id="person-slash-full-name"),
    pytest.param(
        "Robyn Beck/AFP/Getty Images", (("afp",), ("getty",)), id="person-agency-distributor"
    ),
    pytest.param(
        "Photograph by Robyn Beck/AFP/Getty Images",
        (("afp",), ("getty",)),
        id="photograph-by",
    ),
    pytest.param("Damian Dovarganes, AP", (("ap",),), id="person-comma-agency"),
    pytest.param("(Manu Fernandez/AP)", (("ap",),), id="parenthesised"),
    pytest.param("(NASA via AP, File)", (("ap",),), id="via-agency"),
    pytest.param("New York State Sex Offender Registry via AP", (("ap",),), id="source-via-agency"),
    pytest.param("[File: Reuters]", (("reuters",),), id="bracketed-file"),
    pytest.param("afp.com/Michael Regan", (("afp",),), id="agency-domain"),
    pytest.param("Foto: dpa", (("dpa",),), id="foto-de"),
    pytest.param("(Bild: Kirsty Wigglesworth / AP)", (("ap",),), id="bild-de"),
    pytest.param("Julian Assange (AFP)", (("afp",),), id="caption-agency-in-brackets"),
    pytest.param("Cortesía EFE", (("efe",),), id="cortesia-es"),
    pytest.param("afp/vna/cvn", (("afp",), ("vna",), ("cvn",)), id="lower-case-chain"),
    pytest.param("Jens Hansen/Ritzau Scanpix", (("ritzau",),), id="agency-photo-service"),
    pytest.param(
        "Foto: Jean Dupont/Pool AFP/dpa", (("afp",), ("dpa",)), id="pool-photo-then-agency"
    ),
    pytest.param("Foto: Ola Nordmann / NTB Scanpix", (("ntb",),), id="ntb-scanpix"),
    # two agencies crediting jointly, joined by a hyphen: both are the image's source
    pytest.param("Flooded streets in the south. EPA-EFE/Jane Doe", (("epa", "efe"),), id="joint"),
    pytest.param("Foto: ANP-AFP", (("anp", "afp"),), id="joint-labelled"),
    pytest.param("Agence France-Presse", (("afp",),), id="hyphen-inside-one-name"),
    # a bar sets the credit off the caption, or the site that ran the image off the agency
    pytest.param("Antony im Zweikampf mit Osborn | AP/Dave Roe", (("ap",),), id="caption-bar"),
    pytest.param("Estudiantes en la protesta. EFE | El Diario", (("efe",),), id="agency-bar-site"),
]


NOT_PHOTO_CREDITS = [
    pytest.param("Michael Bloomberg speaks in New York", id="person-named-like-an-agency"),
    pytest.param("Photo de famille des dirigeants", id="photo-word-no-credit"),
    pytest.param("Joshua Roberts", id="photographer-only"),
    pytest.param("Photo : AP-HP", id="ap-hp"),
    pytest.param("Photo : AFP-Schulz", id="agency-hyphen-no-agency"),
    pytest.param("Le vaccin Sputnik V", id="sputnik-v"),
]


IN_TEXT = [
    # French
    pytest.param("La rencontre a débuté, selon l'agence TASS.", ("tass",), id="fr-selon-agence"),
    pytest.param("Un déjeuner sera organisé, selon TASS.", ("tass",), id="fr-selon"),
    pytest.param(
        "Selon l’agence de presse d’État russe TASS, la rencontre a débuté.",
        ("tass",),
        id="fr-selon-descriptor-curly",
    ),
    pytest.param("D'après Sputnik, le président est arrivé.", ("sputnik",), id="fr-d-apres"),
    pytest.param(
        "« Il a accepté », a rapporté jeudi l'agence de presse officielle nord-coréenne KCNA.",
        ("kcna",),
        id="fr-a-rapporte-descriptor",
    ),
    pytest.param(
        "Dans son rapport, KCNA indique que les dirigeants ont convenu.",
        ("kcna",),
        id="fr-agency-indique",
    ),
    pytest.param("a annoncé Pékin, cité par Xinhua.", ("xinhua",), id="fr-cite-par"),
    pytest.param("a déclaré le ministre à l'agence Reuters.", ("reuters",), id="fr-declare-a"),
    pytest.param(
        "a déclaré son porte-parole à Keystone-ATS.", ("keystone-ats",), id="fr-declare-x-a"
    ),
    pytest.param("On apprend via l’AFP que le site ferme.", ("afp",), id="fr-via"),
    pytest.param(
        "a-t-il dit dans une interview à la chaîne Rossiya 1 au terme des pourparlers.",
        ("rossiya-1",),
        id="fr-interview-a-chaine",
    ),
    pytest.param("selon RT, Sputnik et l'AFP", ("rt", "sputnik", "afp"), id="fr-list"),
    pytest.param("13 avril 2018 : Dépêche AFP", ("afp",), id="fr-depeche"),
    # English
    pytest.param("According to Reuters, the deal is off.", ("reuters",), id="en-according-to"),
    pytest.param(
        "according to the state-run Xinhua News Agency.", ("xinhua",), id="en-according-state-run"
    ),
    pytest.param("he told AP on Monday.", ("ap",), id="en-told-ap"),
    pytest.param("the official told Reuters.", ("reuters",), id="en-told-reuters"),
    pytest.param("Reuters reported on Tuesday that", ("reuters",), id="en-agency-reported"),
    pytest.param("Prices rose, reports Reuters.", ("reuters",), id="en-reports-agency"),
    pytest.param("The Associated Press reports that", ("ap",), id="en-ap-reports"),
    pytest.param("writes the Associated Press.", ("ap",), id="en-writes"),
    pytest.param("she said in an email to The Associated Press.", ("ap",), id="en-email-to"),
    pytest.param("When contacted by Reuters, the firm declined.", ("reuters",), id="en-contacted"),
    pytest.param(
        "As both NBC News and Bloomberg have reported", ("bloomberg",), id="en-have-reported"
    ),
    pytest.param(
        "declined to comment on the matter to Reuters.", ("reuters",), id="en-declined-to"
    ),
    # German
    pytest.param("Das sagte ein Sprecher laut dpa.", ("dpa",), id="de-laut"),
    pytest.param(
        "Das berichtete die Nachrichtenagentur Reuters am Montag.", ("reuters",), id="de-berichtete"
    ),
    pytest.param("Laut der Nachrichtenagentur Reuters", ("reuters",), id="de-laut-descriptor"),
    pytest.param("Laut einem Bericht von Reuters", ("reuters",), id="de-bericht-von"),
    pytest.param("Die Gewinne stiegen, so Bloomberg.", ("bloomberg",), id="de-so"),
    # Spanish, Italian
    pytest.param("según la agencia EFE.", ("efe",), id="es-segun"),
    pytest.param("informó EFE una fuente oficial", ("efe",), id="es-informo"),
    pytest.param("Lo riferisce la Reuters.", ("reuters",), id="it-riferisce"),
    pytest.param("secondo l'ANSA, il governo", ("ansa",), id="it-secondo"),
]


NOT_IN_TEXT = [
    pytest.param("L'AP-HP a annoncé des mesures, selon l'AP-HP.", id="ap-hp"),
    pytest.param("CAPITAL: les APPLE selon MAPA", id="ap-inside-words"),
    pytest.param("RT @someone: according to officials", id="retweet"),
    pytest.param("La Chine et la Russie, selon la Chine.", id="countries-alone"),
    pytest.param("Chine nouvelle", id="agency-without-cue"),
    pytest.param("a déclaré à la télévision russe", id="unnamed-broadcaster"),
    pytest.param(
        "« Je suis content », selon des images diffusées à la télévision russe.",
        id="images-on-russian-tv",
    ),
    pytest.param("Le vaccin Sputnik V, selon une étude, est efficace.", id="sputnik-v"),
    pytest.param("Selon Sputnik V, le vaccin russe", id="sputnik-v-after-cue"),
    pytest.param("Michael Bloomberg said he would run.", id="bloomberg-person-full-name"),
    pytest.param("Bloomberg said he would run for president.", id="bloomberg-person-pronoun"),
    pytest.param("Reuters, AP and AFP journalists were at the scene.", id="agencies-as-topic"),
    pytest.param("l'AFP a licencié trois journalistes.", id="agency-as-subject"),
    pytest.param(
        "Il a annoncé la fermeture des bureaux de Reuters à Moscou.", id="agency-as-object"
    ),
    pytest.param("Der Text endet hier. (vyp/kna)", id="journalist-initials"),
]
