"""A realistic two-page document, used by renderer tests and the PDF engine benchmark."""

from __future__ import annotations

from cyberspex.forms.document import Document, Line, Section

_LABELS = {
    "page": "Page",
    "of": "of",
    "citation": "Citation",
    "needs_translation": "needs translation",
    "signature": "Signature",
    "seal": "Official seal",
}


def sample_document(*, repeat: int = 1) -> Document:
    """An Article 7 order in the provider package; ``repeat`` lengthens it for volume tests."""
    sections = []
    for n in range(repeat):
        suffix = f" ({n + 1})" if repeat > 1 else ""
        sections += [
            Section(
                "Issuing authority" + suffix,
                (
                    Line(
                        "issuing_authority.name",
                        "Name",
                        "Parquet de Paris, section J3 (cybercriminalité)",
                        "CETS 224 Art 7(3)(a)",
                    ),
                    Line(
                        "issuing_authority.address",
                        "Address",
                        "4 boulevard du Palais, 75001 Paris, France",
                        "CETS 224 Art 7(3)(a)",
                    ),
                    Line(
                        "issuing_authority.contact",
                        "Contact",
                        "+33 1 44 32 51 51 · cyber.j3@justice.example.fr",
                        "CETS 224 Art 7(4)(c)",
                    ),
                    Line("order.date_of_issue", "Date of issue", "2027-04-12", "CETS 224 Art 7(3)(a)"),
                ),
            ),
            Section(
                "Service provider" + suffix,
                (
                    Line("provider.name", "Name", "Example Mail Services LLC", "CETS 224 Art 7(3)(c)"),
                    Line("provider.address", "Address", "100 Example Avenue, Springfield, United States", "CETS 224 Art 7(3)(c)"),
                ),
            ),
            Section(
                "Offence and legal basis" + suffix,
                (
                    Line(
                        "offences[0].name",
                        "Offence",
                        "Fraude informatique en bande organisée",
                        "CETS 224 Art 7(3)(d)",
                        untranslated=True,
                    ),
                    Line(
                        "offences[0].provisions",
                        "Legal provisions and penalties",
                        "Code pénal, art. 323-1 à 323-4-1 ; sept ans d'emprisonnement",
                        "CETS 224 Art 7(4)(b)",
                        untranslated=True,
                    ),
                    Line(
                        "legal_grounds",
                        "Domestic legal grounds",
                        "Code de procédure pénale, art. 60-1 et 77-1-1",
                        "CETS 224 Art 7(4)(a)",
                    ),
                ),
            ),
            Section(
                "Subscriber information sought" + suffix,
                (
                    Line("identifiers[0]", "Account", "j.doe.1987@mail.example.com", "CETS 224 Art 7(3)(f)"),
                    Line(
                        "identifiers[1]",
                        "IP address and time",
                        "2001:db8::17 port 51234, 2027-03-02T21:14:09+01:00",
                        "CETS 224 Art 7(3)(f)",
                    ),
                    Line(
                        "data_sought",
                        "Data sought",
                        "Name, postal address, telephone number and means of payment registered for the account; "
                        "date the account was opened",
                        "CETS 224 Art 7(3)(f)",
                    ),
                    Line(
                        "time_frame",
                        "Time frame and manner of return",
                        "Within 30 days, by e-mail to the contact above, as a signed PDF",
                        "CETS 224 Art 7(4)(d)",
                    ),
                    Line(
                        "preservation",
                        "Preservation already sought",
                        "Yes: request of 2027-03-05, reference PAR-2027-00412",
                        "CETS 224 Art 7(4)(e)",
                    ),
                    Line(
                        "notification",
                        "Simultaneous notification under Art 7(5)",
                        "Made to the authority designated by the United States",
                        "CETS 224 Art 7(4)(g)",
                    ),
                    Line(
                        "instructions",
                        "Special procedural instructions",
                        "Do not inform the subscriber; the investigation is confidential",
                        "CETS 224 Art 7(4)(f)",
                    ),
                ),
            ),
        ]
    return Document(
        form_id="2ap-7-order",
        package="provider",
        language="en",
        title="Order for the disclosure of subscriber information",
        subtitle="Package for the service provider",
        statement=(
            "This order is issued under Article 7 of the Second Additional Protocol to the Convention on Cybercrime "
            "(CETS No. 224)."
        ),
        sections=tuple(sections),
        footer=(
            "Fields marked 'needs translation' are in French, a language the recipient has not declared it accepts.",
            "The elements of this form follow a summary of CETS 224 not yet checked line by line against the official text.",
            "Generated by CyberSPEX.",
        ),
        labels=_LABELS,
    )
