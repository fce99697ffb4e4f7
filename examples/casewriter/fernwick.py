"""The fictional example case (Fernwick Borough Council): for the demo, the README, the tests and the benchmarks.

Everything here is invented: phone numbers are in Ofcom's drama ranges (07700 900xxx, 01632 960xxx), e-mail
addresses are at example.com/.org, the NHS number starts 999 with a valid check digit, the NI number uses the
never-issued prefix QQ, and the council (Fernwick) and its postcode area (VX) do not exist.

`build_demo_case` writes CASE/case.yaml and CASE/documents/ and returns the ground truth in the format of
shared/corpus/*/truth.json. Redact items are declared per document (plus every form of a redacted person's name
that the document shows, found automatically); keep counts are computed from the visible text that was written.
The output is byte-for-byte deterministic.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .writers import A4, PdfWriter, fixed_zip, tracked

COUNCIL = "Fernwick Borough Council"
CASE_REF = "4418203"
MAIL = "fernwick.example.org"

# ------------------------------------------------------------------ the register

PEOPLE: list[dict] = [
    {
        "id": "jordan",
        "name": "Jordan Pryce",
        "role": "subject",
        "aliases": ["Jordan", "JP"],
        "born": dt.date(2005, 2, 19),
        "pronouns": "he",
    },
    {
        "id": "tracey",
        "name": "Tracey Hollis",
        "role": "mother",
        "aliases": ["Mum", "Tracey", "Ms Hollis", "TH"],
        "known": True,
        "born": dt.date(1983, 8, 11),
    },
    {"id": "dean", "name": "Dean Pryce", "role": "father", "aliases": ["Dean", "Mr Pryce", "DP"], "known": False},
    {
        "id": "callum",
        "name": "Callum Hollis",
        "role": "half-sibling",
        "aliases": ["Callum", "CH"],
        "known": True,
        "born": dt.date(2009, 5, 14),
        "pronouns": "he",
    },
    {
        "id": "ellie",
        "name": "Ellie Pryce",
        "role": "sibling",
        "aliases": ["Ellie"],
        "known": True,
        "withheld": ["Lily Farrant"],
        "born": dt.date(2007, 10, 30),
        "pronouns": "she",
    },
    {
        "id": "graham",
        "name": "Graham Farrant",
        "role": "adoptive-parent",
        "of": "ellie",
        "aliases": ["Graham", "Mr Farrant"],
        "pronouns": "he",
    },
    {
        "id": "ruth",
        "name": "Ruth Farrant",
        "role": "adoptive-parent",
        "of": "ellie",
        "aliases": ["Ruth", "Mrs Farrant"],
        "pronouns": "she",
    },
    {
        "id": "maureen",
        "name": "Maureen Hollis",
        "role": "grandparent",
        "aliases": ["Nan", "Maureen"],
        "known": True,
        "deceased": True,
        "pronouns": "she",
    },
    {
        "id": "angela",
        "name": "Angela Okafor",
        "role": "foster-carer",
        "aliases": ["Angela", "Mrs Okafor"],
        "known": True,
        "pronouns": "she",
    },
    {
        "id": "peter",
        "name": "Peter Okafor",
        "role": "foster-carer",
        "aliases": ["Peter", "Mr Okafor"],
        "known": True,
        "pronouns": "he",
    },
    {
        "id": "wayne",
        "name": "Wayne Tillett",
        "role": "partner-of-parent",
        "aliases": ["Wayne", "Mr Tillett"],
        "known": True,
        "risk": True,
        "born": dt.date(1979, 6, 2),
        "pronouns": "he",
    },
    {"id": "harvey", "name": "Harvey Quinn", "role": "other-child", "aliases": ["Harvey"], "pronouns": "he"},
    {
        "id": "brenda",
        "name": "Brenda Sowerby",
        "role": "neighbour",
        "aliases": ["Brenda", "Ms Sowerby", "Mrs Sowerby", "BS"],
        "referrer": True,
        "pronouns": "she",
    },
    {
        "id": "imran",
        "name": "Imran Chaudhry",
        "role": "family-friend",
        "aliases": ["Imran", "Mr Chaudhry"],
        "consent": "given",
        "pronouns": "he",
    },
    {
        "id": "colette",
        "name": "Colette Draper",
        "role": "aunt",
        "aliases": ["Colette", "Mrs Draper"],
        "consent": "refused",
    },
    {
        "id": "naomi",
        "name": "Naomi Fairclough",
        "role": "social-worker",
        "aliases": ["Naomi", "Ms Fairclough", "NF"],
        "pronouns": "she",
    },
    {"id": "owen", "name": "Owen Mercer", "role": "iro", "aliases": ["Owen", "Mr Mercer", "OM"], "pronouns": "he"},
    {
        "id": "priya",
        "name": "Priya Venkatesan",
        "role": "teacher",
        "aliases": ["Priya", "Miss Venkatesan", "PV"],
        "pronouns": "she",
    },
    {"id": "helen", "name": "Helen Ashdown", "role": "gp", "aliases": ["Dr Ashdown", "HA"], "pronouns": "she"},
    {
        "id": "marcus",
        "name": "Marcus Hale",
        "role": "police-officer",
        "aliases": ["PC Hale", "Marcus"],
        "pronouns": "he",
    },
    {
        "id": "tomasz",
        "name": "Tomasz Nowak",
        "role": "personal-adviser",
        "aliases": ["Tomasz", "Mr Nowak", "TN"],
        "pronouns": "he",
    },
    {
        "id": "gemma",
        "name": "Gemma Redfern",
        "role": "health-visitor",
        "aliases": ["Gemma", "Ms Redfern", "GR"],
        "pronouns": "she",
    },
]
UNREGISTERED = {"id": "unregistered", "name": "Lorraine Bickerstaff", "role": "other"}

REFS = {
    "jordan": "S",
    "tracey": "mum",
    "dean": "dad",
    "callum": "halfsib",
    "ellie": "adsib",
    "graham": "adopter",
    "ruth": "adopter2",
    "maureen": "gran",
    "angela": "fc",
    "peter": "fc2",
    "wayne": "partner",
    "harvey": "oc",
    "brenda": "ref",
    "imran": "friend",
    "colette": "refused",
    "naomi": "sw",
    "owen": "iro",
    "priya": "teacher",
    "helen": "gp",
    "marcus": "police",
    "tomasz": "pa",
    "gemma": "hv",
    "unregistered": "unreg",
}

# people whose names the policy redacts (not known family, `of` another person, other group, refused, unregistered)
REDACTED_NAMES = ("dean", "graham", "ruth", "harvey", "brenda", "colette", "unregistered")
# surnames that must stay because a kept person carries them
KEPT_SURNAMES = {"Pryce", "Hollis", "Okafor", "Tillett", "Chaudhry"}

NHS = "999 305 1829"  # modulus-11 check digit 9
NI = "QQ 73 52 19 B"

# ------------------------------------------------------------------ document model


@dataclass
class Para:
    text: str
    style: str = "p"  # title | h | p | bullet
    ins: str = ""  # DOCX: text of a tracked insertion at the end of the paragraph
    dele: str = ""  # DOCX: text of a tracked deletion at the end of the paragraph
    comment: tuple[str, str, str] | None = None  # DOCX: (text, author, initials)
    change_by: str = "Naomi Fairclough"


@dataclass
class Table:
    rows: list[list[str]]
    widths: list[float]  # fractions of the text width
    header: bool = False


@dataclass
class PageBreak:
    pass


@dataclass
class Spec:
    name: str
    type: str
    date: dt.datetime
    title: str
    author: str
    header: str
    footer: str  # PDF: "{page}" and "{pages}" are filled in
    blocks: list
    redact: dict[str, tuple[str, str]] = field(default_factory=dict)  # text -> (kind, person)
    keep: list[tuple[str, str, str]] = field(default_factory=list)  # (text, kind, person)
    subject_prop: str = ""
    keywords: str = ""


def R(kind: str, person: str, *texts: str) -> dict[str, tuple[str, str]]:
    return {t: (kind, person) for t in texts}


def K(kind: str, person: str, *texts: str) -> list[tuple[str, str, str]]:
    return [(t, kind, person) for t in texts]


# ------------------------------------------------------------------ the documents


def _mash() -> Spec:
    blocks = [
        Para("MASH Contact Record", "title"),
        Table(
            [
                ["Date and time of contact", "03/06/2014 09:12"],
                ["Contact route", "Telephone call to the duty desk"],
                ["Referrer name", "Brenda Sowerby"],
                ["Relationship to child", "Neighbour"],
                ["Referrer telephone", "07700 900417"],
                ["Referrer address", "25 Quarrymans Way, Hollin Bank"],
                ["Referrer wishes to remain anonymous", "Yes"],
            ],
            [0.4, 0.6],
        ),
        Para("Child", "h"),
        Table(
            [
                ["Name", "Date of birth", "Address", "School"],
                ["JORDAN PRYCE", "19/02/2005", "27 Quarrymans Way, Hollin Bank, VX3 5LD", "Hollin Bank Academy"],
            ],
            [0.22, 0.18, 0.35, 0.25],
            header=True,
        ),
        Para("Others in the household", "h"),
        Table(
            [
                ["Name", "Relationship", "Date of birth"],
                ["HOLLIS, Tracey", "Mother", "11/08/1983"],
                ["TILLETT, Wayne", "Mother's partner", "02/06/1979"],
                ["Callum Hollis", "Half-brother", "14/05/2009"],
            ],
            [0.4, 0.3, 0.3],
            header=True,
        ),
        Para("Reason for contact", "h"),
        Para(
            "The caller lives two doors away and reported raised voices and a door being slammed late on "
            "Sunday night. Brenda said she saw Jordan sitting on the kerb outside the house after midnight, "
            "without a coat. Ms Sowerby has rung the duty desk before about this household and asked that the "
            "family are not told who called."
        ),
        Para(
            "BS added that Jordan's father, Dean Pryce, was seen at the address on Saturday although she "
            "understood he was not meant to have contact."
        ),
        Para(
            "Jordan told his class teacher, Miss Venkatesan, that he had not eaten breakfast. Mum's partner "
            "Wayne Tillett was described by the school as loud and intimidating at the gate."
        ),
        Para("MASH decision", "h"),
        Para(
            "Threshold for a strategy discussion under s.47 is not met at this point. Passed to the CIN team "
            "for a single assessment; allocated to Naomi Fairclough, social worker, 01632 960144."
        ),
    ]
    return Spec(
        "2014-06-03 MASH Contact.pdf",
        "mash_contact",
        dt.datetime(2014, 6, 3, 9, 40),
        "MASH Contact Record - Jordan Pryce",
        "Naomi Fairclough",
        "OFFICIAL-SENSITIVE",
        f"{COUNCIL} - Children's Services  |  Case ref {CASE_REF}  |  Page {{page}} of {{pages}}",
        blocks,
        redact={
            **R("contact", "brenda", "07700 900417", "25 Quarrymans Way"),
            **R("contact", "tracey", "27 Quarrymans Way", "VX3 5LD"),
            **R("identifier", "tracey", "11/08/1983"),
            **R("identifier", "wayne", "02/06/1979"),
            **R("identifier", "callum", "14/05/2009"),
        },
        keep=K("name", "jordan", "JORDAN PRYCE", "Jordan")
        + K("identifier", "jordan", "19/02/2005", CASE_REF)
        + K("contact", "jordan", "Hollin Bank Academy")
        + K("name", "tracey", "HOLLIS, Tracey", "Mum")
        + K("name", "wayne", "TILLETT, Wayne", "Wayne Tillett")
        + K("name", "callum", "Callum Hollis")
        + K("name", "naomi", "Naomi Fairclough")
        + K("contact", "naomi", "01632 960144")
        + K("name", "priya", "Miss Venkatesan"),
    )


def _conference() -> Spec:
    blocks = [
        Para("Initial Child Protection Conference - Minutes", "title"),
        Para("Date of conference: 15/07/2014. Venue: Wenbury Civic Offices, meeting room 3."),
        Para("Attendance", "h"),
        Table(
            [
                ["Name", "Role", "Agency"],
                ["Owen Mercer", "Chair / IRO", COUNCIL],
                ["Naomi Fairclough", "Social worker", COUNCIL],
                ["Tracey Hollis", "Mother", "-"],
                ["Dr Helen Ashdown", "GP", "Wenbury Medical Practice"],
                ["PC Marcus Hale", "Police officer", "Fernwick Police Public Protection Unit"],
                ["Gemma Redfern", "Health visitor", "Wenbury Community Health"],
                ["Priya Venkatesan", "Class teacher", "Hollin Bank Academy"],
            ],
            [0.3, 0.25, 0.45],
            header=True,
        ),
        Para("Apologies: Dean Pryce (father) was invited by letter but did not attend."),
        Para("Child", "h"),
        Para(f"Jordan Pryce, date of birth 19/02/2005, NHS number {NHS}."),
        Para("Summary of concerns", "h"),
        Para(
            "The conference was convened after a s.47 enquiry carried out jointly by Naomi Fairclough and "
            "PC Hale. Police attended the family home twice in May. On the second occasion Mr Tillett was "
            "arrested; he has a previous conviction for actual bodily harm."
        ),
        Para(
            "Ms Hollis told the conference that she has been diagnosed with bipolar affective disorder and has "
            "not taken her medication since March."
        ),
        Para(
            "Dr Ashdown confirmed that Jordan is up to date with his immunisations and has mild asthma, which is "
            "managed with an inhaler."
        ),
        Para(
            "Gemma Redfern visited Callum at home and found the flat cold and short of food. Tracey\nHollis "
            "accepted a referral to the Wenbury food bank the same day."
        ),
        Para(
            "The department understands that the father served a custodial sentence for supplying cannabis and "
            "was released in April. Mr Pryce has asked, through a solicitor, to see Jordan."
        ),
        Para(
            "A relative, Colette Draper, offered to have Jordan to stay at weekends. Mrs Draper can be reached "
            "on 07700 900689."
        ),
        PageBreak(),
        Para("Views of the child", "h"),
        Para(
            'Jordan said: "I like it when Nan picks me up from school." He told Naomi Fairclough that he gets '
            "scared when there is shouting and that he hides under the stairs with Callum."
        ),
        Para("Decision", "h"),
        Para(
            "Jordan is to be the subject of a child protection plan under the category of neglect. The core "
            "group will meet within ten working days and the review conference is set for 14/10/2014."
        ),
        Para("Plan", "h"),
        Para("NF to complete the single assessment and share it with the core group.", "bullet"),
        Para("GR to visit weekly and support Ms Hollis with routines and meals.", "bullet"),
        Para("PC Hale to pass any domestic abuse notification for the address to MASH within 24 hours.", "bullet"),
        Para("Miss Venkatesan to report attendance to the social worker every Friday.", "bullet"),
        Para("OM to chair the review conference.", "bullet"),
    ]
    return Spec(
        "2014-07-15 Child Protection Conference.pdf",
        "cp_minutes",
        dt.datetime(2014, 7, 15, 14, 0),
        "ICPC Minutes - Jordan Pryce",
        "Owen Mercer",
        f"{COUNCIL} - Child Protection Conference",
        f"OFFICIAL-SENSITIVE  |  Case ref {CASE_REF}  |  Page {{page}} of {{pages}}",
        blocks,
        redact={
            **R("sensitive", "wayne", "previous conviction for actual bodily harm"),
            **R("sensitive", "tracey", "diagnosed with bipolar affective disorder"),
            **R("sensitive", "dean", "custodial sentence for supplying cannabis"),
            **R("contact", "colette", "07700 900689"),
        },
        keep=K("name", "jordan", "Jordan Pryce", "Jordan")
        + K("identifier", "jordan", "19/02/2005", NHS, CASE_REF)
        + K("sensitive", "jordan", "mild asthma")
        + K("name", "tracey", "Tracey Hollis", "Ms Hollis")
        + K("name", "callum", "Callum")
        + K("name", "owen", "Owen Mercer", "OM")
        + K("name", "naomi", "Naomi Fairclough", "NF")
        + K("name", "helen", "Dr Helen Ashdown", "Dr Ashdown")
        + K("name", "marcus", "PC Marcus Hale", "PC Hale")
        + K("name", "gemma", "Gemma Redfern", "GR")
        + K("name", "priya", "Priya Venkatesan", "Miss Venkatesan")
        + K("contact", "priya", "Hollin Bank Academy"),
    )


def _pathway() -> Spec:
    blocks = [
        Para("Pathway Plan", "title"),
        Table(
            [
                ["Young person", "Jordan Pryce"],
                ["Date of birth", "19/02/2005"],
                ["Address", "Flat 2, 8 Kiln Court, Wenbury, VX9 4NP"],
                ["Mobile", "07700 900905"],
                ["Email", "jordan.pryce05@example.com"],
                ["NI number", NI],
                ["Personal adviser", "Tomasz Nowak (01632 960322)"],
            ],
            [0.35, 0.65],
        ),
        Para("Accommodation", "h"),
        Para(
            "Jordan has held the tenancy at Kiln Court since January and keeps the flat clean. He would like a "
            "bigger kitchen and has asked about a transfer next year."
        ),
        Para("Family and relationships", "h"),
        Para(
            "Jordan sees Mum most Saturdays and keeps in touch with Callum and Ellie by phone. Ellie's adoptive "
            "parents, Graham and Ruth Farrant, send photographs twice a year through the letterbox scheme, and "
            "Ellie now uses the name Lily Farrant at school."
        ),
        Para(
            "Imran Chaudhry, a family friend who has known Jordan since primary school, is happy for his number "
            "(07700 900752) to be shared so that Jordan can call him."
        ),
        Para(
            "Wayne Tillett has moved to Flat 4, 19 Tanner Street, Wenbury, VX9 1HB. Jordan has been advised not "
            "to visit him there."
        ),
        Para("Education, training and employment", "h"),
        Para(
            "Jordan started a Level 2 electrical installation course at Wenbury College in September and his "
            "attendance is 91%. The college tutor says he is one of the most reliable learners in the group."
        ),
        Para("Health", "h"),
        Para(
            "Jordan still carries a blue inhaler for his asthma. He has registered with Dr Ashdown at the Wenbury "
            "Medical Practice."
        ),
        Para("Contacts", "h"),
        Para(f"Naomi Fair-\nclough, allocated social worker until March: naomi.fairclough@{MAIL}"),
        Para(f"Tomasz Nowak, personal adviser: tomasz.nowak@{MAIL}, 01632 960322"),
        Para("My views", "h"),
        Para('"I want to pass my course and get my own van one day," Jordan said.'),
    ]
    return Spec(
        "2022-03-09 Pathway Plan.pdf",
        "pathway_plan",
        dt.datetime(2022, 3, 9, 11, 30),
        "Pathway Plan - Jordan Pryce",
        "Tomasz Nowak",
        "OFFICIAL-SENSITIVE: PERSONAL",
        f"{COUNCIL} - Leaving Care Service  |  Case ref {CASE_REF}  |  Page {{page}} of {{pages}}",
        blocks,
        redact={**R("contact", "wayne", "Flat 4, 19 Tanner Street", "VX9 1HB")},
        keep=K("name", "jordan", "Jordan Pryce", "Jordan")
        + K("identifier", "jordan", "19/02/2005", NI, CASE_REF)
        + K(
            "contact",
            "jordan",
            "Flat 2, 8 Kiln Court",
            "VX9 4NP",
            "07700 900905",
            "jordan.pryce05@example.com",
            "Wenbury College",
        )
        + K("sensitive", "jordan", "get my own van one day")
        + K("name", "tracey", "Mum")
        + K("name", "callum", "Callum")
        + K("name", "ellie", "Ellie")
        + K("name", "wayne", "Wayne Tillett")
        + K("name", "imran", "Imran Chaudhry")
        + K("contact", "imran", "07700 900752")
        + K("name", "tomasz", "Tomasz Nowak")
        + K("contact", "tomasz", "01632 960322", f"tomasz.nowak@{MAIL}")
        + K("name", "naomi", "Naomi Fairclough")
        + K("contact", "naomi", f"naomi.fairclough@{MAIL}")
        + K("name", "helen", "Dr Ashdown"),
    )


def _cla_review() -> Spec:
    blocks = [
        Para("Looked After Child Review", "title"),
        Table(
            [
                ["Child", "Jordan Pryce"],
                ["Date of birth", "19/02/2005"],
                ["Placement", "Angela and Peter Okafor (foster carers), 14 Larch Rise, Wenbury, VX7 2QT"],
                ["Chair (IRO)", "Owen Mercer"],
                ["Social worker", "Naomi Fairclough"],
            ],
            [0.3, 0.7],
        ),
        Para("Present", "h"),
        Para(
            "Jordan, Angela Okafor, Peter Okafor, Naomi Fairclough (social worker), Priya Venkatesan (designated "
            "teacher) and Owen Mercer (IRO). Ms Hollis sent her apologies."
        ),
        Para("Placement", "h"),
        Para(
            "Jordan has lived with Mr and Mrs Okafor since November. Mrs Okafor says he is sleeping better and "
            "has joined a Sunday football club."
        ),
        Para(
            "Harvey Quinn, another child in the placement, was excluded for carrying a knife and the carers have "
            "asked for extra support.",
            comment=(
                "Naomi to check that the risk assessment for Harvey has been shared with the carers.",
                "Owen Mercer",
                "OM",
            ),
        ),
        Para("Contact with family", "h"),
        Para(
            "Contact with Mum is fortnightly at the family centre and is going well. Jordan sees his sister Ellie "
            "four times a year; her adopters, Mr and Mrs Farrant, bring her to a contact centre outside the "
            "county.",
            ins=" Callum now joins the sessions too.",
        ),
        Para("Health", "h"),
        Para("The annual health assessment is up to date. Ms Redfern noted that the asthma is well controlled."),
        Para("Education (PEP)", "h"),
        Para(
            "The PEP meeting was held at Hollin Bank Academy. Priya Venkatesan said Jordan is reading at the "
            "expected level and enjoys design technology."
        ),
        Para("Decisions", "h"),
        Para("OM to write to Jordan with the outcome of the review within 20 working days.", "bullet"),
        Para("NF to arrange a life story session before the next review.", "bullet"),
    ]
    return Spec(
        "2016-04-12 CLA Review.docx",
        "lac_review",
        dt.datetime(2016, 4, 12, 15, 0),
        "CLA Review - Jordan Pryce",
        "Owen Mercer",
        "OFFICIAL-SENSITIVE",
        f"{COUNCIL} - Children in Care Team - Case ref {CASE_REF}",
        blocks,
        redact={
            **R("contact", "angela", "14 Larch Rise", "VX7 2QT"),
            **R("sensitive", "harvey", "excluded for carrying a knife"),
        },
        keep=K("name", "jordan", "Jordan Pryce", "Jordan")
        + K("identifier", "jordan", "19/02/2005", CASE_REF)
        + K("name", "angela", "Angela Okafor", "Mrs Okafor")
        + K("name", "peter", "Peter Okafor")
        + K("name", "owen", "Owen Mercer", "OM")
        + K("name", "naomi", "Naomi Fairclough", "NF")
        + K("name", "priya", "Priya Venkatesan")
        + K("name", "tracey", "Ms Hollis", "Mum")
        + K("name", "ellie", "Ellie")
        + K("name", "callum", "Callum")
        + K("name", "gemma", "Ms Redfern")
        + K("contact", "jordan", "Hollin Bank Academy"),
    )


def _case_note() -> Spec:
    blocks = [
        Para("Case Note: Home Visit", "title"),
        Table(
            [
                ["Date", "05/09/2018"],
                ["Visit type", "Unannounced home visit (CIN)"],
                ["Child seen alone", "Yes"],
                ["Present", "Jordan, Tracey Hollis, Callum Hollis"],
            ],
            [0.3, 0.7],
        ),
        Para("Visit", "h"),
        Para("I visited 27 Quarrymans Way after the school raised a concern about Jordan's attendance."),
        Para(
            "Mum said the house had been calm since Wayne moved out.",
            dele=" Mrs Sowerby from next door rang the duty line again on 02/09/2018 about the noise.",
            comment=("Neighbour Brenda Sowerby called again - see the MASH log.", "Naomi Fairclough", "NF"),
        ),
        Para(
            "Jordan showed me his room and his new football kit.", ins=" He said he would like to stay living with Mum."
        ),
        Para(
            "Colette Draper was at the house when I arrived. She asked that her details are not shared with the "
            "family; her number is 07700 900689."
        ),
        Para(
            "Imran Chaudhry, a family friend, called in while I was there. Mr Chaudhry said he is happy for "
            "Jordan to know that he helps out, and he can be contacted on 07700 900752."
        ),
        Para("Tracey said that Dean had sent Jordan a birthday card. Jordan did not want to talk about it."),
        Para("Next steps", "h"),
        Para("NF to visit again within four weeks; TH to attend the CIN meeting on 19/09/2018."),
    ]
    deleted = "Mrs Sowerby from next door rang the duty line again on 02/09/2018 about the noise."
    return Spec(
        "2018-09-05 Case Note.docx",
        "case_note",
        dt.datetime(2018, 9, 5, 16, 20),
        "Case Note - Jordan Pryce",
        "Naomi Fairclough",
        "OFFICIAL-SENSITIVE - CASE NOTE",
        f"Recorded by Naomi Fairclough  |  Case ref {CASE_REF}",
        blocks,
        redact={
            **R("contact", "tracey", "27 Quarrymans Way"),
            **R("deleted", "brenda", deleted),
            **R("contact", "colette", "07700 900689"),
        },
        keep=K("name", "jordan", "Jordan")
        + K("identifier", "jordan", CASE_REF)
        + K("name", "tracey", "Tracey Hollis", "Tracey", "Mum", "TH")
        + K("name", "callum", "Callum Hollis")
        + K("name", "wayne", "Wayne")
        + K("name", "imran", "Imran Chaudhry", "Mr Chaudhry")
        + K("contact", "imran", "07700 900752")
        + K("name", "naomi", "Naomi Fairclough", "NF")
        + K("sensitive", "jordan", "stay living with Mum"),
        keywords="home visit; Sowerby",
    )


def _email() -> Spec:
    blocks = [
        Para(f"From: Tomasz Nowak <tomasz.nowak@{MAIL}>"),
        Para(f"To: Naomi Fairclough <naomi.fairclough@{MAIL}>"),
        Para(f"Cc: owen.mercer@{MAIL}"),
        Para("Sent: 29 January 2021 14:22"),
        Para("Subject: Jordan - pathway planning and contact"),
        Para("Hi Naomi,"),
        Para(
            "I met Jordan at the Wenbury office today to make a start on his pathway plan. He turns 16 next month "
            "and asked to get going early."
        ),
        Para(
            "Jordan asked about his half-brother. Callum is still living with Mum, and Jordan would like to see "
            "him more often. He also asked whether he could have Ellie's new address; I explained that we cannot "
            "share where Ellie lives or the name of her school (Brookvale Primary School)."
        ),
        Para(
            "Wayne Tillett rang the office asking for Jordan's mobile number. Given the history I have not given "
            "it out. His date of birth on the system is wrong and should read 02/06/1979."
        ),
        Para(
            "Jordan has agreed to a referral to the young carers group.",
            ins=" Imran Chaudhry will drive him to the first session.",
        ),
        Para(
            "Lorraine Bickerstaff, who said she was a friend of Tracey's, called to ask whether Jordan could stay "
            "with her over half term. I said I would check with you first.",
            comment=("Is Ms Bickerstaff known to us?", "Naomi Fairclough", "NF"),
        ),
        Para("Thanks,"),
        Para("Tomasz"),
        Para("Tomasz Nowak | Personal Adviser | Leaving Care Team | 01632 960322"),
    ]
    return Spec(
        "2021-01-29 Email.docx",
        "email",
        dt.datetime(2021, 1, 29, 14, 22),
        "RE: Jordan - pathway planning",
        "Tomasz Nowak",
        "OFFICIAL-SENSITIVE",
        f"This e-mail is confidential and intended for the addressee only. {COUNCIL}.",
        blocks,
        redact={**R("contact", "ellie", "Brookvale Primary School"), **R("identifier", "wayne", "02/06/1979")},
        keep=K("name", "jordan", "Jordan")
        + K("name", "tomasz", "Tomasz Nowak", "Tomasz")
        + K("contact", "tomasz", f"tomasz.nowak@{MAIL}", "01632 960322")
        + K("name", "naomi", "Naomi Fairclough", "Naomi")
        + K("contact", "naomi", f"naomi.fairclough@{MAIL}")
        + K("contact", "owen", f"owen.mercer@{MAIL}")
        + K("name", "callum", "Callum")
        + K("name", "tracey", "Mum")
        + K("name", "tracey", "Tracey")
        + K("name", "ellie", "Ellie")
        + K("name", "wayne", "Wayne Tillett")
        + K("name", "imran", "Imran Chaudhry"),
    )


def document_specs() -> list[Spec]:
    return [_mash(), _conference(), _pathway(), _cla_review(), _case_note(), _email()]


# ------------------------------------------------------------------ matching (mirrors the benchmark's rules)

_WS = re.compile(r"\s+")
_HYPHEN_BREAK = re.compile(r"(?<=\w)-[ ]*\n\s*(?=\w)")


def _readings(raw: str) -> list[str]:
    """Lines joined and spaces collapsed; and the same with words hyphenated at a line end joined."""
    return [_WS.sub(" ", raw).strip(), _WS.sub(" ", _HYPHEN_BREAK.sub("", raw)).strip()]


def _count(item: str, text: str) -> int:
    body = r"\s+".join(re.escape(p) for p in item.split())
    return len(re.findall(r"(?<!\w)" + body + r"(?!\w)", text))


def _sentences_without(text: str, items: list[str]) -> str:
    """Text with every sentence that holds one of items removed (a redactor may remove such a clause whole)."""
    parts = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(p for p in parts if not any(_count(i, p) for i in items))


# ------------------------------------------------------------------ PDF writer (PyMuPDF)

_MARGIN = 56.0
_TOP = 84.0
_BOTTOM = 772.0
_PDF_DATE = "D:%Y%m%d%H%M%SZ"


def _render_pdf(spec: Spec) -> bytes:
    w = PdfWriter(_MARGIN, _TOP, _BOTTOM)
    for b in spec.blocks:
        if isinstance(b, PageBreak):
            w.new_page()
        elif isinstance(b, Table):
            two = len(b.widths) == 2

            def font_of(r: int, i: int, t: Table = b, two: bool = two) -> str:
                return "hebo" if (t.header and r == 0) or (two and i == 0) else "helv"

            w.grid(b.rows, b.widths, font_of, size=9.0, lead=12.0, colour=(0.3, 0.3, 0.3))
        elif b.style == "title":
            w.lines(b.text, x=_MARGIN, width=w.width, font="hebo", size=15, gap=8)
        elif b.style == "h":
            w.y += 4
            w.lines(b.text, x=_MARGIN, width=w.width, font="hebo", size=11.5, gap=3)
        elif b.style == "bullet":
            w.lines("- " + b.text, x=_MARGIN + 10, width=w.width - 10, font="helv", size=10, gap=3)
        else:
            w.lines(b.text, x=_MARGIN, width=w.width, font="helv", size=10, gap=6)
    stamp = spec.date.strftime(_PDF_DATE)
    metadata = {
        "title": spec.title,
        "author": spec.author,
        "subject": "",
        "keywords": "",
        "creator": "Fernwick case records export",
        "producer": "Fernwick case records export",
        "creationDate": stamp,
        "modDate": stamp,
    }
    return w.finish(spec.header, spec.footer, metadata, header_colour=(0.6, 0, 0), footer_y=A4[1] - 36, footer_size=8)


def _pdf_texts(data: bytes) -> tuple[str, str, int]:
    """(visible text, metadata text, page count) of a PDF."""
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        visible = "\n".join(page.get_text() for page in doc)
        meta = "\n".join(v for v in (doc.metadata or {}).values() if isinstance(v, str))
        return visible, meta, len(doc)


# ------------------------------------------------------------------ DOCX writer (python-docx)


def _render_docx(spec: Spec) -> tuple[bytes, str, str, int]:
    """(bytes, visible text, hidden text, pages) of the DOCX for spec."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    stamp = spec.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    cp = d.core_properties
    cp.author = spec.author
    cp.last_modified_by = spec.author
    cp.title = spec.title
    cp.subject = spec.subject_prop
    cp.keywords = spec.keywords
    cp.category = "Children's Social Care"
    cp.comments = ""
    cp.revision = 2
    cp.created = spec.date
    cp.modified = spec.date
    cp.last_printed = spec.date
    section = d.sections[0]
    section.header.paragraphs[0].text = spec.header
    section.footer.paragraphs[0].text = spec.footer
    visible = [spec.header]
    hidden = [spec.title, spec.author, spec.subject_prop, spec.keywords]
    rid = 900
    for b in spec.blocks:
        if isinstance(b, PageBreak):
            d.add_page_break()
        elif isinstance(b, Table):
            table = d.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    run = cell.paragraphs[0].add_run(value)
                    run.bold = (b.header and r == 0) or (len(row) == 2 and c == 0)
                    visible.append(value)
        else:
            if b.style == "title":
                p = d.add_heading(b.text, 0)
            elif b.style == "h":
                p = d.add_heading(b.text, 1)
            elif b.style == "bullet":
                p = d.add_paragraph(b.text, style="List Bullet")
            else:
                p = d.add_paragraph(b.text)
            visible.append(b.text + b.ins)
            if b.ins:
                rid += 1
                p._p.append(tracked("ins", b.ins, b.change_by, stamp, rid))
            if b.dele:
                rid += 1
                p._p.append(tracked("del", b.dele, b.change_by, stamp, rid))
                hidden.append(b.dele)
            if b.comment:
                text, author, initials = b.comment
                comment = d.add_comment(p.runs, text=text, author=author, initials=initials)
                comment._comment_elm.set(qn("w:date"), stamp)
                hidden.append(text)
    visible.append(spec.footer)
    buf = io.BytesIO()
    d.save(buf)
    pages = 1 + sum(isinstance(b, PageBreak) for b in spec.blocks)
    return fixed_zip(buf.getvalue()), "\n".join(visible), "\n".join(hidden), pages


# ------------------------------------------------------------------ truth


def _person(pid: str) -> dict:
    if pid == "unregistered":
        return UNREGISTERED
    return next(p for p in PEOPLE if p["id"] == pid)


def _name_forms(pid: str) -> list[str]:
    """Every way a document may show a redacted person's name."""
    p = _person(pid)
    first, last = p["name"].split()[0], p["name"].split()[-1]
    forms = [p["name"], first, p["name"].upper(), f"{last.upper()}, {first}", *p.get("aliases", ())]
    if last not in KEPT_SURNAMES:
        forms += [last, last.upper()]
    if pid == "unregistered":
        forms += [f"{t} {last}" for t in ("Mr", "Mrs", "Ms", "Miss")]
    return forms


def _withheld_forms() -> dict[str, str]:
    out: dict[str, str] = {}
    for p in PEOPLE:
        for name in p.get("withheld", ()):
            first, last = name.split()[0], name.split()[-1]
            for f in (name, first, name.upper(), f"{last.upper()}, {first}", f"Mr {last}", f"Mrs {last}"):
                out[f] = p["id"]
            if last not in KEPT_SURNAMES:
                out[last] = p["id"]
    return out


def _doc_truth(spec: Spec, visible_raw: str, hidden_raw: str, pages: int, fmt: str) -> dict:
    everything = _readings(visible_raw + "\n" + hidden_raw)
    tags: dict[str, dict[str, str]] = {t: {"kind": k, "person": p} for t, (k, p) in spec.redact.items()}
    keep_texts = [k[0] for k in spec.keep]
    auto: list[tuple[str, str]] = [(f, pid) for pid in REDACTED_NAMES for f in _name_forms(pid)]
    auto += [(f, pid) for f, pid in _withheld_forms().items()]
    for form, pid in auto:
        if form in tags or any(form in k or k in form for k in keep_texts):
            continue
        if any(_count(form, r) for r in everything):
            tags[form] = {"kind": "name", "person": pid}
    for item in tags:
        if not any(_count(item, r) for r in everything):
            raise AssertionError(f"{spec.name}: redact item not in the document: {item!r}")
        for k in keep_texts:
            if item in k or k in item:
                raise AssertionError(f"{spec.name}: redact {item!r} overlaps keep {k!r}")
    whole = [t for t, v in tags.items() if v["kind"] in ("sensitive", "deleted")]
    countable = [_sentences_without(r, whole) for r in _readings(visible_raw)]
    keep = []
    for text, kind, person in spec.keep:
        n = max(_count(text, r) for r in countable)
        if n:
            keep.append({"text": text, "count": n, "kind": kind, "person": person})
    return {"redact": list(tags), "keep": keep, "redact_tags": tags, "pages": pages, "format": fmt, "type": spec.type}


def _manifest_yaml() -> str:
    people = []
    for p in PEOPLE:
        q = dict(p)
        q["aliases"] = list(q.get("aliases", ()))
        people.append(q)
    head = {"sarkit": 1, "reference": "SAR-2026-0917", "received": dt.date(2026, 3, 2), "rules": "uk-dpa2018"}
    body = yaml.safe_dump(head, sort_keys=False) + yaml.safe_dump(
        {"people": people}, sort_keys=False, default_flow_style=None, width=120
    )
    return "# Fictional example case for sarkit. Every person, place and number in it is invented.\n" + body


def build_demo_case(dest: Path, *, seed: int = 7) -> dict:
    """Write a complete fictional case folder at dest (case.yaml + documents/) and return its truth.

    The truth has the format of shared/corpus/*/truth.json. `seed` is recorded in the truth; the content is fixed,
    so the same call always writes the same bytes.
    """
    dest = Path(dest)
    docs_dir = dest / "documents"
    docs_dir.mkdir(parents=True, exist_ok=True)
    (dest / "case.yaml").write_text(_manifest_yaml(), encoding="utf-8")
    documents: dict[str, dict] = {}
    for spec in document_specs():
        if spec.name.endswith(".pdf"):
            data = _render_pdf(spec)
            visible, hidden, pages = _pdf_texts(data)
            fmt = "pdf"
        else:
            data, visible, hidden, pages = _render_docx(spec)
            fmt = "docx"
        (docs_dir / spec.name).write_bytes(data)
        documents[spec.name] = _doc_truth(spec, visible, hidden, pages, fmt)
    all_keep = {k["text"] for d in documents.values() for k in d["keep"]}
    anywhere: dict[str, dict[str, str]] = {}
    for d in documents.values():
        for text, tag in d["redact_tags"].items():
            if tag["kind"] in ("name", "contact", "identifier") and not any(text in k or k in text for k in all_keep):
                anywhere.setdefault(text, tag)
    people = {p["id"]: {"name": p["name"], "role": p["role"], "ref": REFS[p["id"]]} for p in PEOPLE}
    people["unregistered"] = {"name": UNREGISTERED["name"], "role": "other", "ref": REFS["unregistered"]}
    return {
        "case": "example-fernwick",
        "set": "example",
        "seed": seed,
        "documents": documents,
        "anywhere_redact": list(anywhere),
        "anywhere_tags": anywhere,
        "people": people,
    }
