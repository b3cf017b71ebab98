"""Words that mark reported speech and speakers, per language.

Attribution is rule-based, so these lists are the knobs: a verb missing here
is a statement the importer will not see. Ukrainian and Russian lists are
short and only cover the commonest news phrasing. Lists are written as
space-separated strings so that they stay readable after formatting.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    # Regex alternatives for the verb of a speech frame, multiword ones first.
    speech_verbs: tuple[str, ...]
    # Verbs that may close a sentence: '"X," Vole said.' / 'X, said Vole.'
    trailing_verbs: tuple[str, ...]
    # Frame verbs whose content is the speaker's opinion or prediction.
    opinion_verbs: frozenset[str]
    prediction_verbs: frozenset[str]
    # Frames whose content is denied, so the claim must keep the frame.
    denial_verbs: frozenset[str]
    complementizers: tuple[str, ...]
    according_to: tuple[str, ...]
    pronouns: dict[str, str]  # pronoun -> "m" / "f" / "org"
    possessives: dict[str, str]  # possessive -> the same marks
    generic_subjects: frozenset[str]
    role_words: frozenset[str]
    organisation_words: frozenset[str]
    honorifics: dict[str, str | None]
    # Capitalised words that start sentences but never start a name.
    non_name_words: frozenset[str]
    frame_adverbs: tuple[str, ...]
    # Words that open an adverbial between the verb and "that":
    # "said on Thursday in Brussels that".
    frame_prepositions: tuple[str, ...]
    # Clause joiners for a second frame: "..., but he clarified that ...".
    conjunctions: tuple[str, ...]
    # "..., adding that Y": a participle that opens a second statement.
    participle_frames: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_EN_OBJECT = r"(?:reporters|journalists|the\s+press|(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)"
_EN_MULTIWORD_VERBS = (
    r"expressed\s+(?:the|his|her|their)\s+(?:belief|hope|confidence|view|opinion|conviction)",
    r"expresse[sd]\s+(?:hope|confidence|concern)",
    # "told the city council that": a lower-case audience, only before "that".
    r"(?:told|tells|assured|informed|reminded)\s+the\s+(?:[\w-]+\s+){0,3}?[\w-]+(?=\s+that\b)",
    rf"(?:told|tells|assured|informed|reminded)\s+(?:{_EN_OBJECT}|him|her|them|us)",
    r"pointed\s+out",
    r"points\s+out",
    r"(?:rejects|rejected|denies|denied|dismisses|dismissed|refutes|refuted)"
    r"(?:\s+(?:the\s+)?(?:accusations?|claims?|allegations?|suggestions?|reports?|charges?))?",
    r"emphasi[sz]e[sd]",
    # Studies, reports and surveys "find" and "show": only with "that".
    r"(?:found|finds|find|showed|shows|show|suggested|suggests|suggest|concluded|concludes"
    r"|reported)(?=\s+that\b)",
    # "The IMF forecast on Tuesday that…": forecasts and projections, only with "that".
    r"(?:forecast|forecasts|projected|projects)(?=\s+(?:[\w,]+\s+){0,3}?that\b)",
    # "The council is concerned the laws would…": a stated worry.
    r"(?:is|was|are|were)\s+concerned(?=\s+(?:that\s+)?(?:the|a|an|it|this|these|they)\b)",
)
_EN_VERBS = _words(
    """said says noted notes stated states added adds explained explains believes believed
    recalled recalls clarified clarifies mentioned mentions stressed stresses claimed claims
    argued argues insisted insists warned warns cautioned announced announces admitted admits
    acknowledged acknowledges confirmed confirms asserted asserts highlighted highlights
    underlined underscored reiterated reiterates remarked wrote writes replied answered
    responded estimated estimates predicted predicts expects hopes thinks considers feels
    conceded revealed boasted expressed vowed vows pledged promised declared declares say
    indicated indicates alleged alleges affirmed affirms concluded concludes contended contends
    maintained maintains"""
)
_EN_TRAILING = (
    rf"(?:told|tells)\s+{_EN_OBJECT}",
    r"emphasi[sz]ed",
    *_words(
        "said says added adds noted notes stated explained explains stressed insisted insists "
        "argued argues claimed warned warns wrote writes estimated estimates say declared "
        "announced acknowledged admitted conceded replied continued observed reported reports "
        "concluded concludes states alleged alleges found finds reads recalled"
    ),
)

ENGLISH = Lexicon(
    speech_verbs=(*_EN_MULTIWORD_VERBS, *_EN_VERBS),
    trailing_verbs=_EN_TRAILING,
    opinion_verbs=frozenset(
        {
            *_words("believes believed thinks considers feels expressed"),
            *(f"expressed {d} {n}" for d in ("the", "his", "her") for n in ("belief", "view")),
            "expressed the opinion",
            "expressed the conviction",
        }
    ),
    prediction_verbs=frozenset(
        {
            *_words("predicted predicts expects hopes vowed vows pledged promised"),
            "expressed hope",
            "expressed the hope",
            "expressed his hope",
            "expressed her hope",
            "expressed confidence",
            "expressed the confidence",
        }
    ),
    denial_verbs=frozenset(
        _words("rejects rejected denies denied dismisses dismissed refutes refuted")
    ),
    complementizers=("that",),
    according_to=("according to",),
    # Object forms resolve too: "according to him".
    pronouns={"he": "m", "him": "m", "she": "f", "her": "f", "it": "org"},
    possessives={"his": "m", "her": "f", "its": "org"},
    generic_subjects=frozenset(
        {
            *_words(
                """they we i you officials experts analysts critics residents sources observers
                authorities witnesses researchers scientists economists lawmakers activists
                people many some others locals police doctors politicians engineers workers
                investors traders farmers teachers parents voters diplomats prosecutors"""
            ),
            "the officials",
            "the experts",
            "the authorities",
            "the police",
        }
    ),
    role_words=frozenset(
        _words(
            """secretary minister chief president spokesperson spokesman spokeswoman head
            director governor mayor ceo cfo chairman chairwoman chair chairperson commander
            general ambassador premier senator congressman congresswoman deputy leader
            chancellor manager executive officer founder professor economist adviser advisor
            lawmaker mp prosecutor judge councillor councilor coach captain editor
            representative envoy diplomat official treasurer commissioner inspector sheriff
            admiral marshal rector dean analyst researcher principal superintendent ombudsman
            auditor comptroller vice-president vice-chair source aide rep sen gov atty
            president-elect associate staffer supt capt lt sgt col gen det asst cmdr insp maj"""
        )
    ),
    organisation_words=frozenset(
        _words(
            """ministry office agency bank council committee bureau service department institute
            university company group party union court army government parliament commission
            fund authority association board inc ltd corporation administration cabinet
            federation foundation directorate inspectorate observatory operator ferries
            airlines airways railways industries holdings systems motors police team campaign
            report study survey memo audit"""
        )
    ),
    honorifics={
        "mr": "m",
        "ms": "f",
        "mrs": "f",
        "dr": None,
        "prof": None,
        "sir": "m",
        "dame": "f",
    },
    non_name_words=frozenset(
        _words(
            """the a an this that these those it there here in at on but and or however
            meanwhile he she they we i according as after before when while earlier later also
            both all some many most such if although since because his her their its our my
            your for with from by to of what which who why how where speaking asked then yet
            still last next every each no not one two monday tuesday wednesday thursday friday
            saturday sunday"""
        )
    ),
    frame_adverbs=(
        *_words("also further then later again previously repeatedly separately additionally"),
        *_words("earlier publicly firmly personally recently"),
        r"once\s+again",
    ),
    frame_prepositions=_words(
        """on in at during after before while via through last this earlier later again also
        publicly repeatedly yesterday today recently once monday tuesday wednesday thursday friday
        saturday sunday"""
    ),
    conjunctions=("and", "but"),
    participle_frames=(
        *_words(
            """adding saying noting explaining stressing highlighting acknowledging insisting
            arguing warning claiming recalling stating"""
        ),
        r"emphasi[sz]ing",
        r"pointing\s+out",
    ),
)

_UK_VERBS = (
    r"висловила?\s+(?:переконання|сподівання|думку)",
    *_words(
        """сказав сказала сказали заявив заявила заявили заявляє зазначив зазначила зазначає
        наголосив наголосила наголошує додав додала пояснив пояснила підкреслив підкреслила
        повідомив повідомила нагадав нагадала уточнив уточнила вважає запевнив запевнила визнав
        визнала стверджує каже розповів розповіла переконаний переконана прогнозує"""
    ),
)

UKRAINIAN = Lexicon(
    speech_verbs=_UK_VERBS,
    trailing_verbs=_UK_VERBS,
    opinion_verbs=frozenset(
        {
            *_words("вважає переконаний переконана"),
            *(f"{v} {n}" for v in ("висловив", "висловила") for n in ("переконання", "думку")),
        }
    ),
    prediction_verbs=frozenset({"прогнозує", "висловив сподівання", "висловила сподівання"}),
    denial_verbs=frozenset(),
    complementizers=("що",),
    according_to=("за словами", "як повідомив", "як повідомила"),
    pronouns={"він": "m", "вона": "f"},
    possessives={"його": "m", "її": "f"},
    generic_subjects=frozenset(_words("вони ми я експерти аналітики мешканці посадовці джерела")),
    role_words=frozenset(
        _words(
            """міністр міністерка президент президентка прем'єр голова очільник очільниця мер
            мерка речник речниця директор директорка губернатор керівник керівниця посол
            генерал депутат депутатка секретар спікер економіст економістка аналітик заступник
            заступниця командувач професор"""
        )
    ),
    organisation_words=frozenset(
        _words("міністерство служба агентство банк рада комітет уряд компанія управління фонд")
    ),
    honorifics={"пан": "m", "пані": "f"},
    non_name_words=frozenset(
        _words("він вона вони це у в на за як але і та що при після до також водночас")
    ),
    frame_adverbs=("також", "вже", "знову"),
    frame_prepositions=("у", "в", "на", "під", "після", "до", r"під\s+час"),
    conjunctions=("і", "та", "але"),
    participle_frames=_words("додавши зазначивши наголосивши підкресливши пояснивши"),
)

_RU_VERBS = (
    r"выразила?\s+(?:уверенность|надежду|мнение)",
    *_words(
        """сказал сказала сказали заявил заявила заявили заявляет отметил отметила отмечает
        подчеркнул подчеркнула добавил добавила пояснил пояснила сообщил сообщила напомнил
        напомнила уточнил уточнила считает заверил заверила признал признала утверждает говорит
        рассказал рассказала уверен уверена прогнозирует"""
    ),
)

RUSSIAN = Lexicon(
    speech_verbs=_RU_VERBS,
    trailing_verbs=_RU_VERBS,
    opinion_verbs=frozenset(
        {
            *_words("считает уверен уверена"),
            *(f"{v} {n}" for v in ("выразил", "выразила") for n in ("уверенность", "мнение")),
        }
    ),
    prediction_verbs=frozenset({"прогнозирует", "выразил надежду", "выразила надежду"}),
    denial_verbs=frozenset(),
    complementizers=("что",),
    according_to=("по словам", "как сообщил", "как сообщила"),
    pronouns={"он": "m", "она": "f"},
    possessives={"его": "m", "её": "f", "ее": "f"},
    generic_subjects=frozenset(_words("они мы я эксперты аналитики жители чиновники источники")),
    role_words=frozenset(
        _words(
            """министр президент премьер глава мэр пресс-секретарь директор губернатор
            руководитель посол генерал депутат секретарь спикер экономист аналитик заместитель
            командующий профессор"""
        )
    ),
    organisation_words=frozenset(
        _words(
            "министерство служба агентство банк совет комитет правительство компания "
            "управление фонд"
        )
    ),
    honorifics={"господин": "m", "госпожа": "f"},
    non_name_words=frozenset(
        _words("он она они это в во на за как но и что при после до также вместе")
    ),
    frame_adverbs=("также", "уже", "снова"),
    frame_prepositions=("в", "во", "на", "после", "до", r"во\s+время"),
    conjunctions=("и", "но"),
    participle_frames=_words("добавив отметив подчеркнув пояснив заявив"),
)

_BY_LANGUAGE = {"en": ENGLISH, "uk": UKRAINIAN, "ru": RUSSIAN}


def lexicon_for(language: str) -> Lexicon:
    """The lexicon for an ISO language code; English when the language is unknown."""
    return _BY_LANGUAGE.get(language, ENGLISH)
