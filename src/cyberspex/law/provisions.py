"""The provisions checked against the official text of their instrument.

This table is the one authority on whether a citation is verified (ADR 0012): ``cite()``
looks every citation up here, and a provision counts as verified when it, or the
paragraph or article that contains it, is recorded as checked. An entry for a whole
article (``"31"``) therefore covers every paragraph and point of it; an entry for a
paragraph (``"29(1)"``) covers that paragraph only.

Each entry says which text was read (``official``, and ``copy`` when an exact copy of
it was read rather than the official page itself), when, and what the wording was
confirmed to say. The wording is a paraphrase, never a quotation to be relied on.

The table is plain Python data so that the legal core reads no file and no clock:
dates are literals. ``docs/reference-data.md`` (section "Citations") lists what was
verified against what, and what could not be opened.
"""

from __future__ import annotations

from datetime import date

from cyberspex.law.record import Record

# Instruments by the short names of ``cyberspex.law.citations.Instrument`` (a StrEnum, so
# its members compare equal to these strings). Kept as strings here so that this module
# needs nothing from ``citations``, which imports it.
CETS_224 = "CETS 224"
ETS_185 = "ETS 185"
REG_2023_1543 = "Regulation (EU) 2023/1543"
DIR_2014_41 = "Directive 2014/41/EU"
DIR_2023_1544 = "Directive (EU) 2023/1544"

# Official texts.
ETS_185_OFFICIAL = (
    "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=185 (ETS No. 185); "
    "English text as published in Tractatenblad 2002, 18 (corrections: Trb. 2004, 290)"
)
REG_OFFICIAL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32023R1543 (OJ L 191, 28.7.2023, p. 118)"
DIR_1544_OFFICIAL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32023L1544 (OJ L 191, 28.7.2023, p. 181)"
EIO_OFFICIAL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014L0041 (OJ L 130, 1.5.2014, p. 1)"
CETS_224_OFFICIAL = "https://rm.coe.int/1680a49dab (CoE, CETS No. 224)"

CHECKED_ON = date(2026, 12, 1)


class CheckedProvision(Record):
    """One provision whose wording was compared with the official text."""

    instrument: str  # an ``Instrument`` value, e.g. "CETS 224"
    ref: str  # as written in ``cite()``: "8(6)(a)", "29" (the whole article), "Annex I"
    official: str  # the official text: depositary's or Official Journal's, URL and reference
    copy: str | None  # the exact copy read, when it was not the official page itself
    checked: date | None  # when the wording was compared; None: carried over, date not recorded
    wording: str  # what the text was confirmed to say (paraphrase)


_INVIEW_27 = "https://inview.nl/document/id18aabd3710f92f6f4868d4885e8d3b1c (English text, source publication Trb. 2004, 18)"
_INVIEW_29 = (
    "https://inview.nl/openCitation/iddcb76fc52723cca0e58e69684e906d60/convention-on-cybercrime-artikel-29 (English text, Trb.)"
)
_FEDLEX_31 = (
    "https://www.droit-bilingue.ch/de-fr/0.3/0.31/0.311.43-31-34.html (SR 0.311.43, French authentic text and German); "
    "https://360.lexisnexis.at/d/rechtsnorm-ris/artikel_31_rechtshilfe_beim_zugriff_auf_gespeicher/L-20008023-A31 "
    "(RIS, BGBl. III Nr. 140/2012); http://www.ankara.pol.tr/enu/html/cyber/i_24.php (English)"
)
_CODEXIS_36 = (
    "https://public.codexis.cz/zakon/104-2013-sb-m-s-sdeleni-ministerstva-zahranicnich-veci-o-sjednani-umluvy-o-pocitacove-"
    "kriminalite-CR43532/clanek-36---podpis-a-vstup-v-platnost-CL36 (Sb.m.s. 104/2013, Czech); "
    "https://www.coe.int/de/web/conventions/search-on-treaties/-/conventions/treaty/185 (depositary: in force 01/07/2004)"
)
_ART25 = (
    "https://vilp.de/compare_article?lid=en&aid=27691&cid=1807&bid=treaty_full (English, paragraphs 1 to 4 whole); "
    "https://public.codexis.cz/zakon/104-2013-sb-m-s-sdeleni-ministerstva-zahranicnich-veci-o-sjednani-umluvy-o-pocitacove-"
    "kriminalite-CR43532/clanek-25---obecne-zasady-tykajici-se-vzajemne-pomoci-CL25 (Sb.m.s. 104/2013, Czech); "
    "https://inview.nl/document/idb433d215b7365af5a5ab98ef3b1fd790 (Dutch, Trb. 2004, 290; paragraphs 1 to 3 and the "
    "start of 4)"
)
_ART29_4 = (
    "http://www.ankara.pol.tr/enu/html/cyber/i_23.php (English, paragraphs 3 to 6 whole); "
    "https://public.codexis.cz/zakon/104-2013-sb-m-s-sdeleni-ministerstva-zahranicnich-veci-o-sjednani-umluvy-o-pocitacove-"
    "kriminalite-CR43532/clanek-29---urychlene-uchovani-ulozenych-pocitacovych-dat-CL29 (Sb.m.s. 104/2013, Czech, "
    "paragraph 4 up to the reservation itself)"
)
_FS = "https://fantasticsearch.net/law/eu/en?article=1&id="
_GL = "https://gesetze.legal/eu/vo_eu_2023_1543/"
_EIO_12 = "https://legislation.gov.uk/eudr/2014/41/article/12/adopted/data.xht (text as adopted, OJ L 130)"
_COE_35 = (
    "http://www.coe.int/t/dghl/cooperation/economiccrime/cybercrime/Documents/Points%20of%20Contact/aboutPoC_en.asp "
    "(the depositary's page quoting Art 35 in full)"
)
_JP_INSTRUMENT = (
    "Japan's instrument of 10-08-2023 as recorded in the Dutch treaty database "
    "(https://verdragenbank.overheid.nl/nl/Verdrag/Details/013833_b.html); the Protocol's own text was not opened"
)


def _ets(ref: str, copy: str, wording: str) -> CheckedProvision:
    return CheckedProvision(ETS_185, ref, ETS_185_OFFICIAL, copy, CHECKED_ON, wording)


def _reg(ref: str, copy: str, wording: str) -> CheckedProvision:
    return CheckedProvision(REG_2023_1543, ref, REG_OFFICIAL, copy, CHECKED_ON, wording)


def _eio(ref: str, copy: str, wording: str) -> CheckedProvision:
    return CheckedProvision(DIR_2014_41, ref, EIO_OFFICIAL, copy, CHECKED_ON, wording)


CHECKED: tuple[CheckedProvision, ...] = (
    # --- Convention on Cybercrime (ETS 185) ---
    _ets(
        "25(3)",
        _ART25,
        "In urgent circumstances a Party may make mutual assistance requests or related communications by expedited "
        "means such as fax or e-mail, if they offer appropriate security and authentication, with formal confirmation "
        "to follow where the requested Party requires it; the requested Party accepts and responds by such means.",
    ),
    _ets(
        "25(4)",
        _ART25,
        "Except as otherwise specifically provided in the Articles of Chapter III, mutual assistance is subject to the "
        "conditions of the requested Party's law or of the applicable mutual assistance treaties, including its grounds "
        "for refusal; it may not refuse for the offences of Arts 2 to 11 solely because it considers them fiscal offences.",
    ),
    _ets(
        "27(1)",
        _INVIEW_27,
        "Paragraphs 2 to 9 apply only where no mutual assistance treaty or arrangement on uniform or reciprocal "
        "legislation is in force between the Parties, unless they agree to apply them instead.",
    ),
    _ets(
        "27(2)",
        _INVIEW_27,
        "Each Party designates central authorities to send, answer, execute or transmit mutual assistance requests; "
        "they communicate directly with each other; their names are registered with the Secretary General.",
    ),
    _ets(
        "29(1)",
        _INVIEW_29,
        "A Party may request another Party to order or obtain the expeditious preservation of data stored in that "
        "other Party's territory, for which it intends to request search, seizure or disclosure by mutual assistance.",
    ),
    _ets(
        "29(2)",
        _INVIEW_29,
        "The request specifies (a) the authority, (b) the offence and a brief summary of the facts, (c) the data and "
        "their relationship to the offence, (d) information identifying the custodian or the system's location, "
        "(e) the necessity of preservation, (f) that a mutual assistance request will follow.",
    ),
    _ets(
        "29(3)",
        _INVIEW_29,
        "The requested Party preserves the data expeditiously under its domestic law; dual criminality is not "
        "required for preservation.",
    ),
    _ets(
        "29(4)",
        _ART29_4,
        "A Party that requires dual criminality for mutual assistance in search, seizure or disclosure of stored data "
        "may, for offences other than those of Arts 2 to 11, reserve the right to refuse preservation under Art 29 where "
        "it has reason to believe that dual criminality cannot be fulfilled at the time of disclosure.",
    ),
    _ets(
        "31",
        _FEDLEX_31,
        "(1) A Party may request another to search or access, seize or secure and disclose data stored in its "
        "territory, including data preserved under Art 29; (2) the request is answered through the instruments and "
        "laws of Art 23; (3) on an expedited basis where the data are particularly vulnerable to loss or "
        "modification, or where those instruments provide for it.",
    ),
    _ets(
        "35",
        _COE_35,
        "(1) Each Party designates a point of contact available 24 hours a day, seven days a week, to ensure "
        "immediate assistance for investigations or proceedings on offences related to computer systems and data or "
        "for collecting electronic evidence: facilitating or, where its domestic law and practice permit, directly "
        "carrying out (a) technical advice, (b) preservation under Arts 29 and 30, (c) collecting evidence, giving "
        "legal information and locating suspects; (2) contact points communicate on an expedited basis and "
        "co-ordinate with the mutual assistance authorities; (3) trained and equipped personnel are available.",
    ),
    _ets(
        "36",
        _CODEXIS_36,
        "(3) In force on the first day of the month after three months from the consent of five States, at least "
        "three of them CoE members (the depositary records 01/07/2004); (4) for a signatory consenting later, on "
        "the first day of the month after three months from its consent.",
    ),
    # --- Regulation (EU) 2023/1543 ---
    _reg(
        "1(1)",
        "https://fra.europa.eu/mt/law-reference/regulation-eu-20231543-european-parliament-and-council-12-july-2023-european",
        "Orders go to a provider established, or represented by a legal representative, in another Member State; "
        "national powers over providers established or represented on the issuing State's territory are unaffected.",
    ),
    _reg(
        "3(1)",
        _GL + "3 (DE)",
        "A European Production Order orders production of electronic evidence and is addressed to a designated "
        "establishment or legal representative located in another Member State bound by the Regulation.",
    ),
    _reg(
        "3(2)",
        _GL + "3 (DE)",
        "A European Preservation Order orders preservation for a subsequent request for production, addressed to "
        "a designated establishment or legal representative in another Member State bound by the Regulation.",
    ),
    _reg(
        "3(3)(b)",
        _GL + "3 (DE)",
        "Service providers include internet domain name and IP numbering services, such as domain name registries "
        "and registrars.",
    ),
    _reg(
        "4(1)",
        _FS + "Rm0lZpsB1anJoctM1I2V (EN); " + _GL + "4 (DE)",
        "An order for subscriber data or identification data is issued by a judge, court, investigating judge or "
        "public prosecutor, or by another competent investigating authority with validation by one of them.",
    ),
    _reg(
        "4(2)",
        _GL + "4 (DE); " + _FS + "Rm0lZpsB1anJoctM1I2V (EN, point (a))",
        "An order for traffic data (other than identification data) or content data is issued by a judge, court or "
        "investigating judge, or by another competent authority with validation by a judge, court or investigating judge.",
    ),
    _reg(
        "5(2)",
        _FS + "S20lZpsB1anJoctM1I2V (EN); " + _GL + "5 (DE)",
        "The order must be necessary and proportionate and may be issued only if a similar order could have been "
        "issued under the same conditions in a similar domestic case.",
    ),
    _reg(
        "8",
        _GL + "8 (DE, whole article)",
        "(1) For traffic data (other than identification data) or content data the issuing authority notifies the "
        "enforcing authority by sending it the EPOC at the same time as the addressee; (2) not where the offence was "
        "committed in the issuing State and the person resides there; (3) with any additional information; "
        "(4) suspensive effect on Art 10(2) except in emergencies.",
    ),
    _reg(
        "10(1)", _FS + "WG0lZpsB1anJoctM1I2V (EN)", "On receipt of an EPOC the addressee acts expeditiously to preserve the data."
    ),
    _reg(
        "10(2)",
        _FS + "WG0lZpsB1anJoctM1I2V (EN)",
        "With notification: if the enforcing authority raised no ground for refusal within 10 days of receipt of the "
        "EPOC, the data are transmitted at the end of that 10-day period (earlier if it confirms it raises none).",
    ),
    _reg(
        "10(3)",
        _FS + "WG0lZpsB1anJoctM1I2V (EN)",
        "Without notification: the data are transmitted at the latest within 10 days following receipt of the EPOC.",
    ),
    _reg(
        "10(4)",
        _GL + "10 (DE, first two sentences)",
        "In emergencies the data are transmitted without undue delay, at the latest within 8 hours of receipt of the "
        "EPOC; the enforcing authority may object or set conditions within 96 hours of the notification.",
    ),
    _reg(
        "11(1)",
        _FS + "X20lZpsB1anJoctM1I2V (EN)",
        "The addressee preserves the data without undue delay; preservation ends after 60 days unless a subsequent "
        "production request is confirmed (Annex V); it may be extended once by 30 days (Annex VI).",
    ),
    _reg(
        "12(1)",
        _GL + "12 (DE)",
        "Where notified, the enforcing authority assesses the order and raises any ground for refusal at the latest "
        "within 10 days of receipt of the notification, or 96 hours in emergencies.",
    ),
    _reg(
        "13",
        _GL + "13 (DE, whole article)",
        "(1) The issuing authority informs the person whose data are sought without undue delay; (2) it may delay, "
        "restrict or omit this under Art 13(3) of Directive (EU) 2016/680, with a short justification in the EPOC; "
        "(3) information on remedies; (4) confidentiality measures by addressees.",
    ),
    _reg(
        "19(1)",
        _FS + "dm0lZpsB1anJoctM1I2V (EN); " + _GL + "19 (DE)",
        "Written communication between competent authorities and designated establishments or legal "
        "representatives goes through the secure decentralised IT system.",
    ),
    # --- Directive (EU) 2023/1544 ---
    CheckedProvision(
        DIR_2023_1544,
        "3(1)",
        DIR_1544_OFFICIAL,
        "https://gesetze.legal/eu/rl_2023_1544_eu/3 (DE)",
        CHECKED_ON,
        "Providers offering services in the Union designate an establishment (if established in the Union) or "
        "appoint a legal representative (if not, or if established in a non-participating Member State) in a "
        "participating Member State.",
    ),
    # --- Directive 2014/41/EU (EIO) ---
    _eio(
        "1(1)",
        "http://legislation.gov.uk/eudr/2014/41/chapter/I (EN)",
        "An EIO has investigative measures carried out in another Member State (the executing State).",
    ),
    _eio(
        "5(2)",
        "https://exlege.bg/normi/direktiva-2014-41-es/links/76569 (BG language version)",
        "Each Member State indicates which official languages of the Union, besides its own, may be used for an "
        "EIO when it is the executing State.",
    ),
    _eio("12(1)", _EIO_12, "Recognition and execution with the same celerity and priority as in a similar domestic case."),
    _eio(
        "12(2)",
        _EIO_12,
        "Where the EIO states a shorter deadline or a specific date, the executing authority takes it into account as "
        "fully as possible.",
    ),
    _eio("12(3)", _EIO_12, "Decision on recognition or execution no later than 30 days after receipt of the EIO."),
    _eio("12(4)", _EIO_12, "The measure is carried out not later than 90 days after that decision."),
    _eio(
        "12(5)",
        _EIO_12,
        "If 30 days is not practicable, the issuing State is informed without delay with reasons; the time limit may "
        "be extended by a maximum of 30 days.",
    ),
    # --- Second Additional Protocol (CETS 224): carried over from 2ap.md (tag V); the text itself not opened ---
    CheckedProvision(
        CETS_224,
        "7(9)(a)",
        CETS_224_OFFICIAL,
        _JP_INSTRUMENT,
        None,
        "A Party may reserve the right not to apply Article 7 (Japan's reservation invokes Art 19(1) and 7(9)(a)).",
    ),
    CheckedProvision(
        CETS_224,
        "8(11)",
        CETS_224_OFFICIAL,
        _JP_INSTRUMENT,
        None,
        "A Party may declare that Art 8 orders must come from the central authority or another mutually agreed "
        "authority (Japan's declaration invokes Art 19(2) and 8(11)).",
    ),
)


def _key(article: str, parts: tuple[str, ...]) -> str:
    return article + "".join(f"({p})" for p in parts)


_INDEX: dict[tuple[str, str], CheckedProvision] = {(p.instrument, p.ref): p for p in CHECKED}


def checked_provision(instrument: str, article: str, parts: tuple[str, ...] = ()) -> CheckedProvision | None:
    """The entry that covers a provision: its own, else its paragraph's, else its article's."""
    for depth in range(len(parts), -1, -1):
        entry = _INDEX.get((instrument, _key(article, parts[:depth])))
        if entry is not None:
            return entry
    return None
