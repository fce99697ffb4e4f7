# ruff: noqa: E501  (the documents are prose: long string lines are their content)
"""The content of the fresh cases (see make_fresh.py). All people, places and numbers are fictional."""

from __future__ import annotations

import datetime as dt

from make_cases import Case, Form, K, P, R, Tbl, nhs, person
from make_fresh import FDoc

NONE = "-"  # ordinary words that look like names: no person


def L(text: str) -> P:
    return P(text, style="line")


# ------------------------------------------------------------------ fr-01: Tayla Brennan, Wrexford (ZV)


def case_wrexford() -> Case:
    nhs_t, nhs_l = nhs("999284613"), nhs("999517308")
    people = [
        person("tayla", "Tayla Brennan", "subject", "Tayla", "Tay", "TB", born="2008-09-14", pronouns="she"),
        person("shelley", "Shelley Brennan", "mother", "Mum", "Shelley", "Ms Brennan", known=True,
               born="1989-05-02", pronouns="she"),
        person("dean", "Dean Cosgrove", "father", "Dean", "Mr Cosgrove", known=False, born="1986-11-20",
               pronouns="he"),
        person("wayne", "Wayne Tibbs", "partner-of-parent", "Wayne", "Mr Tibbs", known=True, risk=True,
               born="1985-07-03", pronouns="he"),
        person("laceymae", "Lacey-Mae Tibbs", "half-sibling", "Lacey-Mae", "Lacey", known=True, born="2022-02-17",
               pronouns="she"),
        person("pauline", "Pauline Brennan", "grandparent", "Nan", "Nanna", "Pauline", known=True, pronouns="she"),
        person("kezia", "Kezia Holt", "other-child", "Kezia", pronouns="she"),
        person("denise", "Denise Kirkup", "neighbour", "Mrs Kirkup", referrer=True, pronouns="she"),
        person("danielle", "Danielle Okafor", "residential-worker", "Danielle", "Dani", known=True, pronouns="she"),
        person("ross", "Ross McAllister", "residential-worker", "Ross", known=True, pronouns="he"),
        person("amrit", "Amrit Sandhu", "social-worker", "Amrit", "Mr Sandhu", pronouns="he"),
        person("gareth", "Gareth Lomas", "iro", "Gareth", "Mr Lomas", pronouns="he"),
        person("jo", "Joanne Ellery", "teacher", "Jo", "Ms Ellery", pronouns="she"),
        person("hollis", "Steph Hollis", "police-officer", "PC Hollis", pronouns="she"),
        person("priti", "Priti Varma", "health-visitor", "Priti", pronouns="she"),
        person("bryony", "Bryony Tait", "professional", "Bryony", pronouns="she"),
    ]  # fmt: skip
    unregistered = [
        {"id": "u-mani", "name": "Mani", "forms": ["Mani", "mani"]},
        {"id": "u-smudge", "name": "Smudge", "forms": ["Smudge", "SMUDGE"]},
        {"id": "u-leanne", "name": "Leanne", "forms": ["Leanne"]},
        {"id": "u-ronnie", "name": "Ronnie", "forms": ["Ronnie"]},
        {"id": "u-brooke", "name": "Brooke Sayers", "forms": ["Brooke Sayers", "Brooke S", "Sayers"]},
        {"id": "u-tiarna", "name": "Tiarna", "forms": ["Tiarna"]},
    ]
    docs = []

    # 1. front-door contact log (text PDF)
    docs.append(
        FDoc(
            name="Front door contact FD-23-40917.pdf",
            date="2023-11-03",
            kind="pdf",
            type="contact_log",
            title="Front door contact record",
            author="Bryony Tait",
            header="WREXFORD BOROUGH COUNCIL - CHILDREN'S FRONT DOOR - OFFICIAL SENSITIVE",
            footer="FD-23-40917   page {page} of {pages}",
            blocks=[
                P("Contact record", style="title"),
                Form(
                    [
                        ("Contact ID", "FD-23-40917"),
                        ("Received", "03/11/2023 16:52 by phone"),
                        ("Taken by", "Bryony Tait, contact officer"),
                        ("Caller", "Denise Kirkup (neighbour) - asked not to be named to the family"),
                        ("Caller tel", "07700 900614"),
                        ("Caller address", "12 Larkspur Walk, Wrexford ZV3 8PL"),
                        (
                            "Child(ren)",
                            "Tayla BRENNAN, d.o.b. fourteenth of September 2008; Lacey-Mae (approx 18 months)",
                        ),
                        ("Parent", "Shelley Brennan, d.o.b. given as the second of May 1989"),
                    ]
                ),
                P("What the caller said", style="h"),
                P(
                    "Caller lives in the flat below the family. She has heard shouting most nights this week and at "
                    "about 1am today she heard a bang and Shelley screaming at someone to get off her. She saw Wayne's "
                    "white van (reg XK68 BNR) parked outside until gone 2."
                ),
                P(
                    "Caller says Tayla has been stopping at her nan's in Cotterby most nights because she can't stand "
                    "it at home. She describes Tayla as polite and a lovely girl. She is more worried about the little "
                    "one, who she says is often crying late at night."
                ),
                P("Caller does not want Shelley to know she rang. She would not give any more details."),
                P("Checks", style="h"),
                P(
                    "Tayla known to CSC (previous CIN 2019-20, closed). Wayne Tibbs known to police for DA in a previous "
                    "relationship. Father Dean Cosgrove is not on the birth certificate per previous assessment."
                ),
                P("Outcome", style="h"),
                P(
                    "RAG: amber. Passed to Amrit Sandhu (duty SW) at 17:20 for strategy discussion. Police check "
                    "requested via MASH, PC Hollis to confirm any call-outs. Will update referrer? No - caller asked "
                    "for no contact back. Mark as confidential source."
                ),
            ],
            redact={
                **R("name", "denise", "Denise Kirkup"),
                **R("contact", "denise", "07700 900614", "12 Larkspur Walk", "ZV3 8PL", "the flat below the family"),
                **R("identifier", "shelley", "the second of May 1989"),
                **R("sensitive", "shelley", "screaming at someone to get off her"),
                **R(
                    "sensitive",
                    "wayne",
                    "heard shouting most nights this week",
                    "known to police for DA in a previous relationship",
                ),
                **R("identifier", "wayne", "XK68 BNR"),
                **R("contact", "pauline", "Cotterby"),
            },
            keep=[
                *K("name", "tayla", "Tayla BRENNAN"),
                *K("identifier", "tayla", "fourteenth of September 2008"),
                *K("name", NONE, "Mark"),
            ],
        )
    )

    # 2. children's home daily log, shift handovers (text PDF)
    docs.append(
        FDoc(
            name="Rowan Lodge daily log 12-18 Feb 2024.pdf",
            date="2024-02-18",
            kind="pdf",
            type="daily_log",
            title="Rowan Lodge daily log",
            author="Rowan Lodge",
            header="Rowan Lodge - daily log and handover book (Tay's entries + house)",
            footer="Wrexford BC residential - page {page}",
            blocks=[
                P("Daily log / handover - w/c 12 February 2024", style="title"),
                Tbl(
                    [
                        ["When", "Entry", "Staff"],
                        [
                            "Mon 12/02 late",
                            "Tay back from school 15:40, good mood. Did her hair with kez in the lounge. Tea pasta bake. "
                            "Mani arrived 18:30 as an emergency placement from out of area - Tay showed her round which was "
                            "lovely to see.",
                            "Dani O",
                        ],
                        [
                            "Mon 12/02 handover to nights",
                            "All 3 girls in rooms by 22:30. Kez is on 15 minute checks after Saturday's ligature incident - "
                            "please keep these up. Tay asked if she can ring nan before school.",
                            "Dani O / Ross M",
                        ],
                        [
                            "Tue 13/02 day",
                            "Tay refused school, said stomach ache but later admitted she did not want to see Brooke Sayers "
                            "who has been posting about her mum on snap. Rang Jo Ellery at Holmwood who will speak to the "
                            "Sayers girls. tay spent the afternoon drawing and was chatty by tea.",
                            "Danielle Okafor",
                        ],
                        [
                            "Wed 14/02 late",
                            "Shelley rang 19:10 asking for Tay. She was slurring and called Tay by her sister's name twice. "
                            "Call ended by staff and Tay told. Tay said she is always like that midweek. Will ask Amrit "
                            "about more family time.",
                            "Ross M",
                        ],
                        [
                            "Thu 15/02 night",
                            "kez and mani out past curfew, back 01:20 with a lad they call Smudge who was asked to leave the "
                            "drive. He was in a blue Corsa. Tay asleep throughout, not involved.",
                            "Ross McAllister",
                        ],
                        [
                            "Fri 16/02 day",
                            "Amrit visited 16:00 and saw Tay on her own in her room. She said she misses Lacey-Mae and wants "
                            "to see her at Nanna's. Hope to set this up for half term. Grace period on the phone contract "
                            "ends Monday, Tay to top up from her allowance.",
                            "Dani O",
                        ],
                        [
                            "Sat 17/02 late",
                            "Kezia's social worker phoned re her move next week, not to be discussed with the other girls. "
                            "Tay had a bath and an early night. She said she felt proper low and has been scratching her arm "
                            "again; checked, superficial. TB agreed to keep her feelings diary.",
                            "Ross M",
                        ],
                    ],
                    widths=[0.17, 0.66, 0.17],
                ),
                P(
                    "Handover read and signed: D Okafor, R McAllister. Manager review: no further action for Tay; Kez "
                    "incident reviewed separately.",
                    style="small",
                ),
            ],
            redact={
                **R("name", "kezia", "kez", "Kez", "Kezia"),
                **R("sensitive", "kezia", "on 15 minute checks after Saturday's ligature incident"),
                **R("sensitive", "shelley", "She was slurring"),
            },
            keep=[
                *K("contact", "tayla", "Rowan Lodge", "Holmwood"),
                *K("name", "tayla", "tay"),
                *K("name", "pauline", "nan"),
                *K("name", "danielle", "Dani O", "D Okafor"),
                *K("name", "ross", "Ross M", "R McAllister"),
                *K("sensitive", "tayla", "scratching her arm"),
                *K("name", NONE, "Will", "Hope", "Grace"),
            ],
        )
    )

    # 3. e-mails with the school (DOCX)
    docs.append(
        FDoc(
            name="Emails Holmwood Academy March 2024.docx",
            date="2024-03-08",
            kind="docx",
            type="email_chain",
            title="RE: Tayla B - pick up today",
            author="Amrit Sandhu",
            header="Printed from Outlook by Amrit Sandhu",
            footer="OFFICIAL-SENSITIVE",
            blocks=[
                L("From: Ellery, Joanne <jellery@holmwood.example.org>"),
                L("Sent: 08 March 2024 13:02"),
                L("To: Sandhu, Amrit"),
                L("Subject: RE: Tayla B - pick up today"),
                P("Hi Amrit,"),
                P(
                    "Just to let you know the man Tay calls Wayne was at the front gate at 12.30 again in the white van "
                    "(XK68 BNR). He asked the office whether Lacey-Mae's big sister was in today. We did not confirm "
                    "anything and Tay did not see him. Our site manager took a photo which I can send over."
                ),
                P(
                    "Also Brooke S and her cousin Tiarna have both been spoken to and their parents informed about the "
                    "snapchat posts. Tay knows."
                ),
                P("Thanks, Jo"),
                P("Joanne Ellery | Head of Year 10 | Holmwood Academy | 01632 960517 | jellery@holmwood.example.org"),
                L("From: Sandhu, Amrit"),
                L("Sent: 07 March 2024 17:45"),
                L("To: Ellery, Joanne"),
                L("Subject: Tayla B - pick up today"),
                P("Hi Jo,"),
                P(
                    "thanks for ringing earlier. To confirm, Tayla is only to be collected by Rowan Lodge staff (Dani, "
                    "Ross or the manager). Wayne Tibbs is not allowed to collect her."
                ),
                P(
                    "He was charged last week with assaulting Shelley and he is on bail not to go to Mill Road. If he "
                    "turns up please ring 999 and then me.",
                    dele=" Mum's new mobile is 07700 900733 if you need it.",
                ),
                P(
                    "Mum is staying with a friend at the moment (Leanne, one of the maisonettes on Gorse Rise) with the "
                    "baby. Please don't share that with anyone, including Tay."
                ),
                P(
                    "Dad (Dean) is not involved. If anyone rings saying they are him please don't give out any info.",
                    comment=("Check with Lynne whether school can be told the bail conditions", "Amrit Sandhu"),
                ),
                P("Many thanks, Amrit"),
                P(
                    "Amrit Sandhu | Social Worker, Children in Care | Wrexford Borough Council | 01632 960442 | "
                    "07700 900251 (work mobile) | amrit.sandhu@wrexford.gov.uk"
                ),
                L("From: Okafor, Danielle"),
                L("Sent: 07 March 2024 08:05"),
                L("To: Ellery, Joanne"),
                P(
                    "hi jo, dani from rowan lodge. tay forgot her pe kit, ross will drop it at reception about 10. "
                    "thanks dani"
                ),
            ],
            redact={
                **R("identifier", "wayne", "XK68 BNR"),
                **R("sensitive", "wayne", "charged last week with assaulting", "on bail not to go to Mill Road"),
                **R("deleted", "shelley", "07700 900733"),
                **R("contact", "shelley", "Gorse Rise"),
            },
            keep=[
                *K("name", "jo", "Ellery, Joanne", "jo"),
                *K("name", "amrit", "Sandhu, Amrit"),
                *K("name", "danielle", "Okafor, Danielle", "dani"),
                *K("name", "ross", "ross"),
                *K("name", "tayla", "tay", "Tayla B"),
                *K("contact", "jo", "jellery@holmwood.example.org", "01632 960517"),
                *K("contact", "amrit", "01632 960442", "07700 900251", "amrit.sandhu@wrexford.gov.uk"),
                *K("contact", "tayla", "Holmwood Academy", "Rowan Lodge", "rowan lodge"),
            ],
        )
    )

    # 4. police command-and-control log, upper case (scanned PNG)
    docs.append(
        FDoc(
            name="Police log 06-04-2024.png",
            date="2024-04-06",
            kind="png",
            type="police_log",
            title="",
            author="",
            header="",
            footer="",
            blocks=[
                P("WREXSHIRE CONSTABULARY - COMMAND AND CONTROL - PRINT", style="mono"),
                P("INCIDENT: 0406-0217    OPENED: 06/04/2024 00:41    GRADE: 2", style="mono"),
                P("CALLER: ROWAN LODGE CHILDRENS HOME (STAFF R MCALLISTER) TEL 01632 960583", style="mono"),
                P("LOCATION: ROWAN LODGE, 3 BEACON LANE, WREXFORD", style="mono"),
                P(
                    "00:41 MISSING FROM CARE - TAYLA BRENNAN 15YRS DOB 14/09/2008. LAST SEEN 22:40 GETTING INTO BLUE "
                    "VAUXHALL CORSA VRM XK19 PFD DRIVEN BY MALE KNOWN AS SMUDGE. ALSO IN VEH KEZIA HOLT 16YRS - SEPARATE "
                    "MFH REPORT 0406-0219.",
                    style="mono",
                ),
                P(
                    "01:55 UPDATE: BOTH LOCATED BY PC 4471 HOLLIS AT FLAT ABOVE THE CHIPPY ON KILN STREET (HOME ADDRESS OF "
                    "SHELLEY BRENNAN - MOTHER OF TAYLA). MOTHER HEAVILY INTOX. MALE WAYNE TIBBS PRESENT IN BREACH OF "
                    "BAIL - ARRESTED 02:05.",
                    style="mono",
                ),
                P("NOMINAL: TIBBS, WAYNE  DOB 03/07/1985  PNC 19/447281K  CRIME REF WX/24/118832", style="mono"),
                P(
                    "03:10 TAYLA RETURNED TO ROWAN LODGE BY PC HOLLIS. NO INJURIES. STATES SHE WENT TO CHECK ON HER "
                    "LITTLE SISTER. RETURN HOME INTERVIEW TO BE ARRANGED BY CSC.",
                    style="mono",
                ),
                P("03:20 CLOSED. OIC PC 4471 HOLLIS.", style="mono"),
            ],
            redact={
                **R("identifier", "unregistered", "XK19 PFD"),
                **R("name", "kezia", "KEZIA HOLT"),
                **R("identifier", "kezia", "0406-0219"),
                **R("identifier", "hollis", "4471"),
                **R("contact", "shelley", "KILN STREET"),
                **R("sensitive", "shelley", "MOTHER HEAVILY INTOX"),
                **R("sensitive", "wayne", "PRESENT IN BREACH OF BAIL - ARRESTED"),
                **R("identifier", "wayne", "03/07/1985", "19/447281K", "WX/24/118832"),
            },
            keep=[
                *K("name", "tayla", "TAYLA BRENNAN", "TAYLA"),
                *K("identifier", "tayla", "14/09/2008"),
                *K("contact", "tayla", "ROWAN LODGE", "3 BEACON LANE", "01632 960583"),
                *K("name", "ross", "R MCALLISTER"),
                *K("name", "hollis", "HOLLIS"),
                *K("name", "shelley", "SHELLEY BRENNAN"),
                *K("name", "wayne", "WAYNE TIBBS", "TIBBS, WAYNE"),
            ],
        )
    )

    # 5. LAC review minutes (text PDF)
    docs.append(
        FDoc(
            name="LAC review 14 May 2024 - Tayla.pdf",
            date="2024-05-14",
            kind="pdf",
            type="lac_review",
            title="Looked after review",
            author="Gareth Lomas",
            header="Wrexford BC - Independent Reviewing Service",
            footer="Review of Tayla Brennan - page {page}",
            blocks=[
                P("Looked After Child Review - record of meeting", style="title"),
                Form(
                    [
                        ("Young person", "Tayla Brennan"),
                        ("Date of birth", "14/09/2008"),
                        ("NHS number", nhs_t),
                        ("Placement", "Rowan Lodge, since 22/01/2024"),
                        ("Review", "second review, held at Rowan Lodge 14/05/2024 10:00"),
                    ]
                ),
                Tbl(
                    [
                        ["Attendee", "Role", "Present"],
                        ["Gareth Lomas", "IRO (chair)", "yes"],
                        ["Tayla Brennan", "young person", "first half"],
                        ["Amrit Sandhu", "social worker", "yes"],
                        ["Danielle Okafor", "key worker, Rowan Lodge", "yes"],
                        ["Shelley Brennan", "mother", "views sent via Amrit"],
                        ["Joanne Ellery", "Holmwood Academy", "report sent"],
                    ],
                    widths=[0.35, 0.4, 0.25],
                ),
                Tbl(
                    [
                        ["Sibling", "Date of birth", "NHS number", "Lives with"],
                        ["Lacey-Mae Tibbs", "17/02/2022", nhs_l, "mother"],
                    ],
                    widths=[0.3, 0.2, 0.25, 0.25],
                ),
                P("Health", style="h"),
                P(
                    "Tay is registered at Beacon Lane Surgery. Her health assessment noted low mood and a history of "
                    "self-harm by scratching. She now sees CAMHS fortnightly and says it helps. Dental and optician up "
                    "to date."
                ),
                P("Education", style="h"),
                P(
                    "Attendance 88 per cent. Some absence was linked to bullying by another pupil, now addressed by the "
                    "school. Jo Ellery reports Tay is on track for her GCSEs and wants to do hair and beauty at college."
                ),
                P("Family", style="h"),
                P(
                    "Tay sees her mum on Saturdays at the family centre. Mum has been prescribed sertraline by her GP. "
                    "She has started with Turning Point for her drinking. Lacey-Mae lives with mum and goes to Little "
                    "Acorns Nursery on Dale Street three days a week. Tay would like to see her sister more."
                ),
                P(
                    "Wayne Tibbs was remanded in custody on 08/04/2024 and is at HMP Kelsborough. Tay was told this by "
                    "Amrit and said she feels safer."
                ),
                P(
                    "Nan has asked to be assessed as a connected carer. Pauline lives at 7 Thrush Gardens, Cotterby, "
                    "ZV9 2HE and Tay stays there alternate weekends. Pauline has COPD and uses oxygen at night."
                ),
                P("Tayla's views", style="h"),
                P(
                    '"I like it at Rowan Lodge, the staff are sound. I want to stay at Holmwood and go to college. I '
                    'want to see Lacey-Mae more and I want Nan to be OK."'
                ),
                Tbl(
                    [
                        ["Action", "Who", "By"],
                        ["Connected carer assessment of Nan", "Amrit Sandhu", "30/06/2024"],
                        ["Bullying support plan", "Joanne Ellery", "01/06/2024"],
                        ["Next review", "Gareth Lomas", "12/11/2024"],
                    ],
                    widths=[0.5, 0.3, 0.2],
                ),
            ],
            redact={
                **R("identifier", "laceymae", "17/02/2022", nhs_l),
                **R("contact", "laceymae", "Little Acorns Nursery", "Dale Street"),
                **R(
                    "sensitive",
                    "shelley",
                    "prescribed sertraline by her GP",
                    "started with Turning Point for her drinking",
                ),
                **R("sensitive", "wayne", "remanded in custody on 08/04/2024"),
                **R("contact", "wayne", "HMP Kelsborough"),
                **R("contact", "pauline", "7 Thrush Gardens", "Cotterby", "ZV9 2HE"),
                **R("sensitive", "pauline", "has COPD and uses oxygen at night"),
            },
            keep=[
                *K("identifier", "tayla", "14/09/2008", nhs_t),
                *K("contact", "tayla", "Rowan Lodge", "Holmwood", "Beacon Lane Surgery"),
                *K("sensitive", "tayla", "low mood", "a history of self-harm by scratching"),
                *K("name", "jo", "Joanne Ellery", "Jo Ellery"),
            ],
        )
    )

    # 6. health visitor record (image-only PDF scan)
    docs.append(
        FDoc(
            name="HV record Lacey-Mae Jan 2023.pdf",
            date="2023-01-19",
            kind="scanpdf",
            type="hv_record",
            title="",
            author="",
            header="Wrexford Community Health - Health Visiting",
            footer="",
            blocks=[
                P("Health visitor contact record", style="h"),
                Form(
                    [
                        ("Child", "Lacey-Mae Tibbs (11 months)"),
                        ("Visit", "19/01/2023 home visit"),
                        ("HV", "Priti Varma, 01632 960128"),
                    ]
                ),
                P(
                    "Seen at home with Shelley. Also present Tayla (14), home early from school, and mum's friend "
                    "Leanne with her baby (Ronnie, 4 months)."
                ),
                P("Lacey-Mae weight 8.9kg, 25th centile. Eczema on both arms, emollient advised and GP appt made."),
                P(
                    "Shelley's EPDS score today was 16. She disclosed that Wayne gets handy when he has had a drink and "
                    "declined a referral to the DA service. Safety plan discussed."
                ),
                P(
                    "Mum's mobile 07700 900733. Tayla said she helps with the night bottles and is tired at school; "
                    "Tay was chatty and clearly loves her sister. Discussed with Amrit, who will visit."
                ),
                P("Next contact 6 weeks. Priti Varma, Health Visitor."),
            ],
            redact={
                **R("sensitive", "laceymae", "Eczema on both arms"),
                **R("sensitive", "shelley", "EPDS score today was 16"),
                **R("sensitive", "wayne", "gets handy when he has had a drink"),
                **R("contact", "shelley", "07700 900733"),
            },
            keep=[
                *K("contact", "priti", "01632 960128"),
                *K("name", "laceymae", "Lacey-Mae Tibbs"),
            ],
        )
    )
    return Case("fr-01-wrexford", "SAR-2026-2031", dt.date(2026, 9, 14), "Wrexford Borough Council", people,
                unregistered, docs, "Wrexford Children's Services")  # fmt: skip


# ------------------------------------------------------------------ fr-02: Mason Threlfall, Pellington (XK)


def case_pellington() -> Case:
    nhs_m = nhs("999361524")
    people = [
        person("mason", "Mason Threlfall", "subject", "Mason", "MT", born="2006-01-27", pronouns="he"),
        person("kerry", "Kerry Threlfall", "mother", "Mum", "Kerry", "Ms Threlfall", known=True, born="1987-03-09",
               pronouns="she"),
        person("tony", "Anthony Gill", "father", "Tony", "Tony Gill", "Mr Gill", known=True, consent="refused",
               born="1983-10-30", pronouns="he"),
        person("reuben", "Reuben Threlfall", "sibling", "Reuben", "Reubs", known=True, born="2010-08-12",
               pronouns="he"),
        person("grace", "Grace Okonkwo", "foster-carer", "Mrs Okonkwo", of="reuben", pronouns="she"),
        person("bev", "Beverley Quayle", "foster-carer", "Bev", "Mrs Quayle", known=True, pronouns="she"),
        person("ray", "Raymond Quayle", "foster-carer", "Ray", "Mr Quayle", known=True, pronouns="he"),
        person("shay", "Shay Donnelly", "other-child", "Shay", pronouns="he"),
        person("tracey", "Tracey Bamber", "aunt", "Tracey", "Auntie Trace", known=True, consent="given",
               pronouns="she"),
        person("hilda", "Hilda Pask", "member-of-public", "Mrs Pask", referrer=True, pronouns="she"),
        person("fern", "Fern Adeyemi", "social-worker", "Fern", "Ms Adeyemi", pronouns="she"),
        person("graham", "Graham Tuck", "social-worker", "Graham", "Mr Tuck", pronouns="he"),
        person("dev", "Devinder Chauhan", "professional", "Dev", "Mr Chauhan", pronouns="he"),
        person("alison", "Alison Rudge", "school-nurse", "Mrs Rudge", pronouns="she"),
        person("becca", "Rebecca Lund", "personal-adviser", "Becca", pronouns="she"),
    ]  # fmt: skip
    unregistered = [
        {"id": "u-gaz", "name": "Gaz", "forms": ["gaz", "Gaz"]},
        {"id": "u-riley", "name": "Riley Stott", "forms": ["Riley Stott", "Riley"]},
        {"id": "u-tank", "name": "Tank", "forms": ["Tank"]},
        {"id": "u-sohal", "name": "Harjit Sohal", "forms": ["Mr Harjit Sohal", "Mr Sohal", "Sohal"]},
        {"id": "u-kacie", "name": "Kacie", "forms": ["Kacie"]},
        {"id": "u-ivy", "name": "Ivy", "forms": ["Ivy"]},
    ]
    docs = []

    # 1. foster carer's diary, lower case (DOCX)
    docs.append(
        FDoc(
            name="Carer recording Sept 2019 - Quayle.docx",
            date="2019-09-30",
            kind="docx",
            type="carer_diary",
            title="carer recording september",
            author="Bev Quayle",
            header="Pellington City Council Fostering - carer recording sheet",
            footer="Carers: Bev & Ray Quayle, 07700 900447",
            blocks=[
                P("Mason (and Shay) - September", style="h"),
                P(
                    "mon 2nd - mason started at Fairfield High today (yr 9). came home quiet. shay walked him to the "
                    "bus stop which was nice of him. tea was chilli, he had 2 plates lol"
                ),
                P(
                    "tues 3rd - mason wet the bed again, 3rd time this week. didnt make a fuss, sheets on a quick wash. "
                    "I have let Alison the school nurse know."
                ),
                P(
                    "weds 4th - his mum kerry rang 8.40pm. sounded ok at first then started crying, said gaz has kicked "
                    "her out again and shes at her mates on the Brookfield estate. asked me for 20 quid for the gas "
                    "meter. told her I cant. mason heard and went up to his room."
                ),
                P(
                    "thurs 5th - contact at the family centre. reubs was there with his carer (Mrs Okonkwo), boys "
                    "played footy in the yard for an hour, mason buzzing after. kerry didnt turn up, no call."
                ),
                P(
                    "sat 7th - tony turned up at our gate on Pipit Close about 11 shouting for mason. Ray went out and "
                    "he left. reported to EDT and Fern. mason said he only comes when hes had a drink."
                ),
                P(
                    "sun 8th - quiet day, took both boys to Ellerholt Country Park. will ring Fern mon about the gate. "
                    "Mason asked if Auntie Trace can come for tea next sunday, she says yes, shes only over in Marton "
                    "Vale.",
                    dele=" (Shay's nan is at 4 Quarry Row if we ever need her)",
                    comment=("Bev - please use full names and times in recordings. Graham", "Graham Tuck"),
                ),
                P("mon 9th - shays review, I went with him and Ray had Mason. mason and ray did the lawn. good day."),
            ],
            redact={
                **R("name", "shay", "shay", "shays"),
                **R("contact", "kerry", "Brookfield estate"),
                **R("sensitive", "kerry", "asked me for 20 quid for the gas meter"),
                **R("name", "tony", "tony"),
                **R("contact", "bev", "Pipit Close", "07700 900447"),
                **R("sensitive", "tony", "he only comes when hes had a drink"),
                **R("deleted", "shay", "4 Quarry Row"),
            },
            keep=[
                *K("name", "mason", "mason"),
                *K("name", "kerry", "kerry"),
                *K("name", "reuben", "reubs"),
                *K("name", "ray", "ray"),
                *K("name", "bev", "Bev & Ray Quayle"),
                *K("contact", "mason", "Fairfield High"),
                *K("contact", "tracey", "Marton Vale"),
                *K("sensitive", "mason", "wet the bed again"),
            ],
        )
    )

    # 2. school nurse letter (scanned PNG)
    docs.append(
        FDoc(
            name="School nurse letter Oct 2019.png",
            date="2019-10-14",
            kind="png",
            type="letter",
            title="",
            author="",
            header="Pellington Community NHS Trust - School Nursing Service",
            footer="",
            blocks=[
                P("School Nursing Service, Fairfield High School, Lowther Road, Pellington XK4 7DW"),
                P("14 October 2019"),
                P("Dear Fern,"),
                P("Re: Mason Threlfall, DOB 27/01/2006, NHS number " + nhs_m),
                P(
                    "I saw Mason in school on 10 October after a call from his foster carer, Mrs Quayle. Mason has "
                    "nocturnal enuresis which started after he came into care. He has agreed to try an alarm and I have "
                    "given advice on drinks in the evening. He asked me not to tell anyone at school."
                ),
                P(
                    "Mason told me that his brother Reuben has bad asthma and was in hospital in the summer, and he "
                    "worries about him. I understand Reuben goes to St Wilfrid's Juniors in Hetherby."
                ),
                P("I would be grateful if the carers could keep a simple chart. I will see Mason again in six weeks."),
                P("Yours sincerely,"),
                P("Alison Rudge RN SCPHN, School Nurse, 01632 960774, alison.rudge@pellingtonhealth.example.org"),
            ],
            redact={
                **R("sensitive", "reuben", "has bad asthma and was in hospital in the summer"),
                **R("contact", "reuben", "St Wilfrid's Juniors", "Hetherby"),
            },
            keep=[
                *K("contact", "mason", "Fairfield High School", "Lowther Road", "XK4 7DW"),
                *K("identifier", "mason", "27/01/2006", nhs_m),
                *K("sensitive", "mason", "nocturnal enuresis"),
                *K("contact", "alison", "01632 960774", "alison.rudge@pellingtonhealth.example.org"),
            ],
        )
    )

    # 3. e-mail chain (text PDF)
    docs.append(
        FDoc(
            name="Emails re boys contact Jan 2020.pdf",
            date="2020-01-22",
            kind="pdf",
            type="email_chain",
            title="Re: Mason and Reuben contact",
            author="Fern Adeyemi",
            header="",
            footer="",
            blocks=[
                L("From: Tracey Bamber <trace.bamber@example.com>"),
                L("Sent: 22 January 2020 19:33"),
                L("To: Adeyemi, Fern"),
                L("Subject: Re: Mason and Reuben contact"),
                P(
                    "Hiya Fern, yes I can do Saturdays. I'm at 9 Kestrel Court, Marton Vale, XK7 2RB or ring me on "
                    "07700 900318. I've had my knee done so I'm not driving till March but the boys can get the 42 bus "
                    "to mine."
                ),
                P(
                    "Kerry says she's back with gaz and she's using again. I'm not happy about her being at contact if "
                    "she is. Tony rang me last week from a withheld number wanting to know where the boys are, I didn't "
                    "tell him anything."
                ),
                P("Trace x"),
                L("From: Adeyemi, Fern"),
                L("Sent: 22 January 2020 10:15"),
                L("To: trace.bamber@example.com"),
                L("Cc: Tuck, Graham"),
                L("Subject: Mason and Reuben contact"),
                P(
                    "Hi Tracey, thank you for offering to host the boys' contact. Before I put it to my manager can you "
                    "confirm your address and a contact number. Graham (the supervising social worker for Mason's "
                    "carers) will pass on Bev and Ray's details. Kind regards, Fern"
                ),
                P(
                    "Fern Adeyemi | Social Worker | Children in Care Team | Pellington City Council | 01632 960905 | "
                    "fern.adeyemi@pellington.gov.uk"
                ),
                L("From: Tuck, Graham"),
                L("Sent: 21 January 2020 16:02"),
                L("To: Adeyemi, Fern"),
                L("Subject: FW: Reuben"),
                P(
                    "fern - grace okonkwo says reuben's contact can't be thursdays any more as she has started back at "
                    "work on Thursdays (Ward 12 at Pellington General). saturdays are fine. the okonkwos live out at "
                    "Hetherby so the 42 doesn't go there. g"
                ),
            ],
            redact={
                **R("name", "unregistered", "gaz"),
                **R("sensitive", "kerry", "she's using again"),
                **R("name", "tony", "Tony"),
                **R("name", "grace", "grace okonkwo", "okonkwos"),
                **R("contact", "grace", "Ward 12 at Pellington General", "Hetherby"),
            },
            keep=[
                *K(
                    "contact",
                    "tracey",
                    "9 Kestrel Court",
                    "Marton Vale",
                    "XK7 2RB",
                    "07700 900318",
                    "trace.bamber@example.com",
                ),
                *K("sensitive", "tracey", "I've had my knee done"),
                *K("name", "tracey", "Trace"),
                *K("name", "fern", "Adeyemi, Fern", "fern"),
                *K("name", "graham", "Tuck, Graham"),
                *K("name", "reuben", "reuben"),
                *K("contact", "fern", "01632 960905", "fern.adeyemi@pellington.gov.uk"),
            ],
        )
    )

    # 4. youth justice pre-sentence report (text PDF)
    docs.append(
        FDoc(
            name="PSR Mason Threlfall 30.06.21.pdf",
            date="2021-06-30",
            kind="pdf",
            type="psr",
            title="Pre-sentence report",
            author="Devinder Chauhan",
            header="Pellington Youth Justice Service - OFFICIAL SENSITIVE",
            footer="PSR - page {page} of {pages}",
            blocks=[
                P("Pre-sentence report", style="title"),
                Form(
                    [
                        ("Name", "Mason Threlfall"),
                        ("Date of birth", "27 January 2006"),
                        ("PNC", "21/0087734X"),
                        ("Court", "Pellington Youth Court, 02/07/2021"),
                        ("Offence", "Robbery, 14/03/2021"),
                        ("Co-defendant", "Riley Stott (dealt with separately)"),
                        ("Author", "Dev Chauhan, YJS officer"),
                    ]
                ),
                P("Offence analysis", style="h"),
                P(
                    "On 14 March 2021 Mason and Riley Stott went into Sohal's Convenience Store on Wren Parade. Riley "
                    "threatened the owner, Mr Harjit Sohal, with a screwdriver while Mason took cigarettes and 140 "
                    "pounds from the till. Mason admits he knew Riley had the screwdriver with him."
                ),
                P("Mr Sohal needed stitches to a cut on his hand and now closes the shop at 6pm because he is afraid."),
                P(
                    "Mason says an older lad known as Tank told them the shop was easy and that they owed him money for "
                    "cannabis. Mason describes owing Tank 300 pounds and being frightened of him. This indicates "
                    "criminal exploitation and Mason was referred to the NRM on 20/04/2021."
                ),
                P("Background", style="h"),
                P(
                    "Mason has been looked after since 2019 and lives with his foster carers Bev and Ray Quayle, who "
                    "came to court with him. His mother has struggled with heroin use for many years. He has had no "
                    "contact with his father since 2019."
                ),
                P(
                    "Mason was diagnosed with ADHD in 2020 and takes Elvanse. He is in Year 10 at Fairfield High, where "
                    "attendance has improved to 91 per cent."
                ),
                P("Mason's account", style="h"),
                P('"I knew it was wrong. I felt sick when I saw the blood. I want to say sorry to the man."'),
                P("Proposal", style="h"),
                P(
                    "A referral order of nine months. Mason has said he will take part in restorative work if the victim "
                    "wants it."
                ),
                P("D. Chauhan, YJS officer, 01632 960662, 30/06/2021"),
            ],
            redact={
                **R("contact", "unregistered", "Sohal's Convenience Store", "Wren Parade"),
                **R("sensitive", "unregistered", "needed stitches to a cut on his hand"),
                **R("sensitive", "kerry", "has struggled with heroin use for many years"),
            },
            keep=[
                *K("identifier", "mason", "27 January 2006", "21/0087734X"),
                *K("sensitive", "mason", "criminal exploitation", "diagnosed with ADHD in 2020", "Robbery"),
                *K("name", "bev", "Bev and Ray Quayle"),
                *K("name", "dev", "D. Chauhan"),
                *K("contact", "dev", "01632 960662"),
                *K("contact", "mason", "Fairfield High"),
            ],
        )
    )

    # 5. pathway plan in the care leaver's words (DOCX)
    docs.append(
        FDoc(
            name="Pathway plan Feb 2024 - Mason.docx",
            date="2024-02-20",
            kind="docx",
            type="pathway_plan",
            title="Pathway plan",
            author="Rebecca Lund",
            header="Pellington City Council - Leaving Care",
            footer="Pathway plan - Mason Threlfall",
            blocks=[
                P("Pathway plan review", style="title"),
                Form(
                    [
                        ("Name", "Mason Threlfall"),
                        ("Personal adviser", "Becca Lund, 01632 960811"),
                        ("Address", "Flat 3, 18 Sedge Street, Pellington XK2 5NL (supported lodgings)"),
                        ("NI number", "QQ 27 41 93 C"),
                    ]
                ),
                P("In my words", style="h"),
                P(
                    "I moved into my flat on Sedge Street in October. I'm doing a plumbing course at Pellington College "
                    "on Mondays and Wednesdays and I like it."
                ),
                P("My girlfriend Kacie is expecting and the baby (Ivy) is due in May. I want to be a good dad."),
                P(
                    "My ADHD is better since I changed to Elvanse. I still owe 200 pounds on my phone and 85 on council "
                    "tax but I am paying it off."
                ),
                P(
                    "I see Reubs every other Saturday at Auntie Trace's in Marton Vale. Mum is on a script now from the "
                    "Pellington Recovery Hub. She has moved to a flat in Kingsway House on the Brookfield. I don't see "
                    "my dad. Bev and Ray still have me round for Sunday dinner.",
                    dele=" Kacie's mum works on the tills at the Co-op in Hetherby.",
                ),
                P("Becca's comments", style="h"),
                P(
                    "Mason has made real progress. His referral order finished in April 2022 with no further offending. "
                    "Summer is going to be busy for him with the baby coming."
                ),
                Tbl(
                    [
                        ["Goal", "Who", "When"],
                        ["Finish level 1 plumbing", "Mason", "July 2024"],
                        ["Apply for Healthy Start vouchers", "Mason and Becca", "April 2024"],
                        ["Baby plans: midwife letter to PA", "Mason", "March 2024"],
                    ],
                    widths=[0.55, 0.25, 0.2],
                ),
            ],
            redact={
                **R("sensitive", "unregistered", "is expecting"),
                **R("sensitive", "kerry", "on a script now from the Pellington Recovery Hub"),
                **R("contact", "kerry", "Kingsway House", "Brookfield"),
                **R("deleted", "unregistered", "works on the tills at the Co-op"),
            },
            keep=[
                *K("contact", "mason", "Flat 3, 18 Sedge Street", "XK2 5NL", "Sedge Street", "Pellington College"),
                *K("identifier", "mason", "QQ 27 41 93 C"),
                *K("sensitive", "mason", "My ADHD is better since I changed to Elvanse"),
                *K("name", "becca", "Becca Lund"),
                *K("contact", "becca", "01632 960811"),
                *K("name", "reuben", "Reubs"),
                *K("contact", "tracey", "Marton Vale"),
                *K("name", NONE, "Summer"),
            ],
        )
    )

    # 6. placement planning meeting (image-only PDF scan)
    docs.append(
        FDoc(
            name="Placement planning meeting 03.09.19.pdf",
            date="2019-09-03",
            kind="scanpdf",
            type="minutes",
            title="",
            author="",
            header="Pellington City Council - Placement planning meeting",
            footer="",
            blocks=[
                P("Placement planning meeting, 03/09/2019", style="h"),
                P("Present: Fern Adeyemi (SW), Graham Tuck (SSW), Bev Quayle and Ray Quayle (carers), Mason (part)."),
                P("Placement: 22 Pipit Close, Pellington XK3 9QT. Carers' mobile 07700 900447."),
                P(
                    "Why Mason is looked after: accommodated on 30/08/2019 after Kerry was found unconscious at home "
                    "after using heroin. Mason had called 999 himself."
                ),
                P(
                    "Brother: Reuben (9) is placed with Mr and Mrs Okonkwo in Hetherby and goes to St Wilfrid's "
                    "Juniors."
                ),
                P(
                    "Family time: Mum twice a week, supervised. Dad (Tony Gill) none until assessed; he has a conviction "
                    "for ABH against Kerry in 2016."
                ),
                P("Also in placement: Shay Donnelly (15). The carers have a dog (Hope) - Mason loves dogs."),
                P(
                    "School: Fairfield High from Monday, year 9. GP: Larch Road Medical Centre. Mason keeps his phone, "
                    "handed in at 9pm."
                ),
            ],
            redact={
                **R("contact", "bev", "22 Pipit Close", "XK3 9QT", "07700 900447"),
                **R("sensitive", "kerry", "found unconscious at home after using heroin"),
                **R("name", "grace", "Mr and Mrs Okonkwo"),
                **R("contact", "grace", "Hetherby"),
                **R("contact", "reuben", "St Wilfrid's Juniors"),
                **R("sensitive", "tony", "he has a conviction for ABH"),
                **R("name", "shay", "Shay Donnelly"),
            },
            keep=[
                *K("name", "bev", "Bev Quayle"),
                *K("name", "ray", "Ray Quayle"),
                *K("contact", "mason", "Fairfield High", "Larch Road Medical Centre"),
                *K("name", NONE, "Hope"),
            ],
        )
    )
    return Case("fr-02-pellington", "SAR-2026-2188", dt.date(2026, 10, 5), "Pellington City Council", people,
                unregistered, docs, "Pellington Children's Services")  # fmt: skip


def all_cases() -> list[Case]:
    return [case_wrexford(), case_pellington()]
