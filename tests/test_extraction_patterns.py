"""Reported-speech patterns of English news (issue 15), on fictional sentences."""

from __future__ import annotations

import pytest

from factcheck.extraction import Candidate, extract_candidates, read_article
from factcheck.extraction.candidates import merge_repeats
from factcheck.extraction.page_metadata import date_in_text, strip_title_suffix
from factcheck.extraction.scoring import WORTH_CHECKING
from factcheck.extraction.sentences import FAST_SPLIT_CHARS, split_sentences


def _candidates(body: str) -> list[Candidate]:
    return extract_candidates(read_article("Fictional report\n\n" + body))


def _only(body: str) -> Candidate:
    found = _candidates(body)
    assert len(found) == 1, [(c.text, c.speaker) for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("body", "text", "speaker", "kind", "frame"),
    [
        (
            '"Emissions were well above average through August," said Mara Lind, a senior '
            "scientist at the Northern Climate Institute who has studied fire emissions for a decade.",
            "Emissions were well above average through August.",
            "Mara Lind",
            "person",
            "quote-first",
        ),
        (
            "Experts from the Regional Water Authority estimated that 60% of the pipes in "
            "Dunmore are older than 50 years.",
            "60% of the pipes in Dunmore are older than 50 years.",
            "Regional Water Authority",
            "organisation",
            "leading",
        ),
        (
            "A preliminary report from the park service said the tower remains sound.",
            "The tower remains sound.",
            "preliminary report from the park service",
            "document",
            "leading",
        ),
        (
            "Home sales fell 3 percent in March, according to the Harrow Group, a research firm "
            "that tracks regional property prices.",
            "Home sales fell 3 percent in March.",
            "Harrow Group",
            "organisation",
            "according",
        ),
        (
            "Mayor Edda Marin told the city council that the merger saved 12 million euros a year.",
            "The merger saved 12 million euros a year.",
            "Edda Marin",
            "person",
            "told",
        ),
        (
            "The first bank to fail had lent 12 times its capital, economist Tarja Ilves notes.",
            "The first bank to fail had lent 12 times its capital.",
            "Tarja Ilves",
            "person",
            "trailing",
        ),
    ],
)
def test_frames_find_the_statement_its_speaker_and_kind(
    body: str, text: str, speaker: str, kind: str, frame: str
) -> None:
    found = _only(body)
    assert (found.text, found.speaker, found.speaker_kind, found.frame) == (
        text,
        speaker,
        kind,
        frame,
    )
    assert found.source_sentence == body


def test_coordinated_that_clauses_are_two_claims_by_one_speaker() -> None:
    found = _candidates(
        "Transport director Oren Okafor said that tram fares were cut by 20% in 2024 and that "
        "ridership rose by half over the same period."
    )
    assert sorted(c.text for c in found) == [
        "Ridership rose by half over the same period.",
        "Tram fares were cut by 20% in 2024.",
    ]
    assert {c.speaker for c in found} == {"Oren Okafor"}
    assert {c.frame for c in found} == {"leading", "coordinated"}


def test_a_quote_running_over_sentences_keeps_its_speaker() -> None:
    found = _candidates(
        "“We counted 40 large fires,” said Mara Lind. “The season started in May.\n\n"
        "“It ended in October, two months later than in 2020.”\n\nThe council meets on Monday."
    )
    assert {c.speaker for c in found} == {"Mara Lind"}
    assert any("It ended in October" in c.text for c in found)
    assert not any("council" in c.text for c in found)


def test_it_after_an_organisation_is_that_organisation() -> None:
    found = _only(
        "The Saltmere Ferry Company cut its timetable in May. It said that 14 crossings a week "
        "were cancelled because of fuel costs."
    )
    assert (found.speaker, found.speaker_kind) == ("Saltmere Ferry Company", "organisation")


def test_a_surname_later_is_the_full_name_printed_earlier() -> None:
    found = _candidates(
        "Whale expert Hori Pataki has attended 500 strandings.\n\n"
        "“The strandings doubled in ten years,” says Pataki."
    )
    assert [c.speaker for c in found] == ["Hori Pataki"]


def test_checkable_facts_rank_above_questions_feelings_and_praise() -> None:
    found = _candidates(
        'Councillor Ivo Brenn said: "Who will pay for all this?"\n\n'
        "Brenn said that the engineering work is done.\n\n"
        '"I feel very proud of our wonderful team," Brenn said.'
    )
    scores = {c.text: c.score for c in found}
    assert scores["The engineering work is done."] >= WORTH_CHECKING
    assert scores["Who will pay for all this?"] < WORTH_CHECKING
    assert scores["I feel very proud of our wonderful team."] < WORTH_CHECKING
    assert all(c.reasons for c in found)


def test_repeated_statements_are_one_candidate_with_a_count() -> None:
    body = "\n\n".join(
        ["Port director Lena Marsh said that fees rose by 12% in 2024."] * 3
        + ["Port director Lena Marsh said that fees rose by 12 % in 2024!"]
    )
    found = _candidates(body)
    assert len(found) == 1 and found[0].repeats == 4


def test_merging_is_by_speaker() -> None:
    one, two = _candidates(
        "Lena Marsh said that fees rose by 12% in 2024.\n\nIvo Brenn said that fees rose by 12% in 2024."
    )
    assert merge_repeats([one, two]) == [one, two]


def test_titles_lose_site_and_author_suffixes() -> None:
    assert strip_title_suffix("Budget vote delayed - Jane Roe and John Poe", None, []) == (
        "Budget vote delayed"
    )
    assert strip_title_suffix("How to build a shed | Garden Weekly", "Garden Weekly", []) == (
        "How to build a shed"
    )
    assert strip_title_suffix("Tram fares: what changes in May", None, []) == (
        "Tram fares: what changes in May"
    )


def test_metadata_date_comes_before_dates_in_the_text() -> None:
    page = """<html><head><title>Tram fares cut - Valley Post</title>
    <meta property="og:site_name" content="Valley Post">
    <meta property="article:published_time" content="2024-05-02T08:30:00+02:00"></head>
    <body><article><h1>Tram fares cut</h1><p>Founded on March 3, 1998, the tram company
    carries 40,000 people a day, director Oren Okafor said.</p>
    <p>Okafor said that fares were cut by 20% in 2024 and ridership rose by half.</p>
    </article></body></html>"""
    article = read_article(page, content_type="text/html")
    assert article.title == "Tram fares cut"
    assert article.published_at is not None and article.published_at.date().isoformat() == (
        "2024-05-02"
    )
    assert article.source == "Valley Post"


def test_a_dateline_is_read_when_the_page_has_no_metadata() -> None:
    assert date_in_text("Feb. 23, 2015 -- Peanut allergies rose.").date().isoformat() == (
        "2015-02-23"
    )
    assert date_in_text("The company was founded on February 28, 1998 in Dunmore.") is None


def test_long_texts_split_fast_and_like_pysbd_on_plain_news() -> None:
    paragraph = (
        'Mr. Vole said the U.S. office paid $4.5 million. "It is done," he said. '
        "J. Smith agreed! Then what? The end."
    )
    short = split_sentences(paragraph)
    long = split_sentences("\n\n".join([paragraph] * (FAST_SPLIT_CHARS // len(paragraph) + 2)))
    assert long[: len(short)] == short


# -- patterns added after the first real set (each sentence is made up) ------


@pytest.mark.parametrize(
    ("body", "text", "speaker", "frame"),
    [
        (
            # A long subordinate or participial opener before the frame.
            "After the third tram derailed in Dunmore in June, he admitted that the "
            "depot had skipped 14 inspections.",
            "The depot had skipped 14 inspections.",
            "Oren Okafor",
            "leading",
        ),
        (
            "Talking about how the depot was run during the strike, he said "
            '"every shift was short of four drivers".',
            "Every shift was short of four drivers.",
            "Oren Okafor",
            "leading",
        ),
        (
            # "called X 'Y'": the quoted judgement of a noun phrase.
            "In 2023, Senator Ivo Brenn of Dunmore called the tram debt "
            "“the largest bill the city has ever signed.”",
            "The tram debt is “the largest bill the city has ever signed.”",
            "Ivo Brenn",
            "called",
        ),
        (
            # An inverted parenthetical frame with an unnamed group.
            "The new timetable, say economists, adds 9 minutes to the average commute.",
            "The new timetable adds 9 minutes to the average commute.",
            "economists",
            "parenthetical",
        ),
        (
            # "that" as a demonstrative subject, not a complementizer.
            "But most engineers say that isn't possible because the rails were laid in 1931.",
            "That isn't possible because the rails were laid in 1931.",
            "most engineers",
            "leading",
        ),
    ],
)
def test_more_frames(body: str, text: str, speaker: str, frame: str) -> None:
    intro = "Transport director Oren Okafor opened the depot in 2019.\n\n"
    found = [c for c in _candidates(intro + body) if c.sentence == body]
    assert [(c.text, c.speaker, c.frame) for c in found] == [(text, speaker, frame)]


def test_a_second_subject_inside_the_content_gets_its_own_claim() -> None:
    found = _candidates(
        "Councillor Ivo Brenn claimed the fare cut would pay for itself even as the Budget "
        "Office estimated that it would cost 40 million euros a year."
    )
    assert [(c.text, c.speaker, c.frame) for c in sorted(found, key=lambda c: c.text)] == [
        ("It would cost 40 million euros a year.", "Budget Office", "second-subject"),
        ("The fare cut would pay for itself.", "Ivo Brenn", "leading"),
    ]


def test_who_added_after_a_closing_frame_is_the_same_speaker() -> None:
    found = _candidates(
        "The new rails are less prone to cracks, said the depot engineers, who added "
        "that they were replacing 100 miles of track each year."
    )
    assert sorted(c.text for c in found) == [
        "The new rails are less prone to cracks.",
        "They were replacing 100 miles of track each year.",
    ]
    assert {c.speaker for c in found} == {"the depot engineers"}


def test_a_frame_opening_the_last_clause_of_a_long_sentence() -> None:
    found = _candidates(
        "Nora Hale opened her studio in 2015.\n\n"
        "Photographer Nora Hale was flooded with requests for portraits after the fair in "
        "Dunmore last spring, and she said she gives 15 percent of the fees to the shelter."
    )
    assert [(c.text, c.speaker) for c in found] == [
        ("Nora Hale gives 15 percent of the fees to the shelter.", "Nora Hale")
    ]


def test_a_subordinate_clause_names_no_speaker() -> None:
    found = _candidates(
        "Although no group claimed responsibility, the fire raised fears of further attacks."
    )
    assert found == []


def test_said_of_and_other_verbs_close_a_quote() -> None:
    found = _candidates(
        "“It lent 12 times its capital,” Tarja Ilves said of the first bank to fail.\n\n"
        "“Our harbour is in danger,” Ilves declared on Monday.\n\n"
        "Rents rose by 9% in Dunmore, Ilves argues."
    )
    assert {c.speaker for c in found} == {"Tarja Ilves"}
    assert sorted(c.text for c in found) == [
        "It lent 12 times its capital.",
        "Our harbour is in danger.",
        "Rents rose by 9% in Dunmore.",
    ]


def test_a_heading_with_a_byline_is_the_title_and_dc_title_counts() -> None:
    page = """<html><head><title>Valley Post - City Desk</title></head><body>
    <h1>Tram fares cut by a fifth</h1><p class="byline">Written by Jane Roe</p>
    <p>Director Oren Okafor said that fares were cut by 20% in 2024.</p></body></html>"""
    assert read_article(page, content_type="text/html").title == "Tram fares cut by a fifth"
    draft = """<html><head><title>draft-roe-tram-fares-02 - Tram fares</title>
    <meta name="DC.Title" content="Tram fares"></head><body><h2>Abstract</h2>
    <p>Director Oren Okafor said that fares were cut by 20% in 2024 across Dunmore.</p>
    </body></html>"""
    assert read_article(draft, content_type="text/html").title == "Tram fares"


def test_a_reference_page_without_metadata_gets_no_guessed_date() -> None:
    page = """<html><head><title>Dunmore tramway - Valley Wiki</title></head><body>
    <h1>Dunmore tramway</h1><p>The Dunmore tramway opened on February 28, 1998 with
    12 trams. Director Oren Okafor said that fares were cut by 20% in 2024.</p>
    </body></html>"""
    assert read_article(page, content_type="text/html").published_at is None


def test_a_study_leading_a_sentence_is_what_it_refers_to() -> None:
    found = _candidates(
        "The study, published in May, followed 600 children in Dunmore.\n\n"
        "It found that children who walked to school were ill 20% less often."
    )
    assert [(c.text, c.speaker, c.speaker_kind) for c in found] == [
        ("Children who walked to school were ill 20% less often.", "study", "document")
    ]


@pytest.mark.parametrize(
    ("body", "text", "speaker", "kind", "frame"),
    [
        (
            "About 50 people were hurt, according to local radio reports.",
            "About 50 people were hurt.",
            "local radio reports",
            "document",
            "according",
        ),
        (
            "The leader of the Valley Party, Edda Marin, condemned the fare rise, saying in a "
            "statement that it will cost families 300 euros a year.",
            "It will cost families 300 euros a year.",
            "Edda Marin",
            "person",
            "saying",
        ),
        (
            "But, as the Dunmore Audit Office has pointed out, the depot was built for 40 "
            "trams, not 60.",
            "The depot was built for 40 trams, not 60.",
            "Dunmore Audit Office",
            "organisation",
            "according",
        ),
        (
            "The Valley Press Council is concerned the tram bylaw would fine 2,000 cyclists.",
            "The tram bylaw would fine 2,000 cyclists.",
            "Valley Press Council",
            "organisation",
            "leading",
        ),
        (
            "Dunmore budget reviews seen by the Valley Post suggest that the tram line "
            "will cost 90 million euros.",
            "The tram line will cost 90 million euros.",
            "Dunmore budget reviews",
            "document",
            "leading",
        ),
        (
            "The depot was closed for 3 days, the source, who said he had seen the "
            "cracks himself, told the Valley Post.",
            "The depot was closed for 3 days.",
            "the source",
            "person",
            "told",
        ),
    ],
)
def test_sources_organisations_and_documents(
    body: str, text: str, speaker: str, kind: str, frame: str
) -> None:
    found = _only(body)
    assert (found.text, found.speaker, found.speaker_kind, found.frame) == (
        text,
        speaker,
        kind,
        frame,
    )


def test_names_joined_by_and_are_two_people_and_abbreviated_titles_are_titles() -> None:
    found = _candidates(
        "Earl Hale and Naomi Vole-Berg rent a flat in Dunmore.\n\n"
        "“Rents rose by 300 euros in a year,” Vole-Berg said.\n\n"
        "“I am alarmed by the 40% rise,” said Rep. Ivo Brenn, the ranking member."
    )
    assert {c.speaker for c in found} == {"Naomi Vole-Berg", "Ivo Brenn"}


def test_a_leading_conjunction_is_not_part_of_the_speaker() -> None:
    found = _only("But the latest figures show that rents rose by 12% in Dunmore.")
    assert (found.speaker, found.speaker_kind) == ("latest figures", "document")


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("Ann Vole, MP for Harrow North, said that the ward lost 300 jobs in 2024.", "Ann Vole"),
        ("Later, Ann Vole recalled that the ward lost 300 jobs in 2024.", "Ann Vole"),
        (
            "The Saltmere Ferry Company cut its timetable in May. They said 14 crossings a week "
            "were cancelled because of fuel costs.",
            "Saltmere Ferry Company",
        ),
    ],
)
def test_constituencies_adverbs_and_they_do_not_make_wrong_speakers(
    body: str, speaker: str
) -> None:
    assert _only(body).speaker == speaker


def test_an_adverb_before_a_speech_verb_is_not_a_speaker() -> None:
    assert _candidates("Later recalled the ward lost 300 jobs in 2024.") == []


# -- third round: patterns measured on benchmarks/dev2_set (sentences are fictional) --


@pytest.mark.parametrize(
    ("body", "text", "speaker", "frame"),
    [
        (
            # A name, then a description of any length, then the verb.
            "Caro Lunde, a 26-year-old member of the Harrow rowing club and a volunteer at the "
            "Dunmore food bank in the old town, said the river was closed to boats for 40 days.",
            "The river was closed to boats for 40 days.",
            "Caro Lunde",
            "leading",
        ),
        (
            # An age and a description between the name and the verb.
            "Diego Arnell, 36, the owner of a bakery near where the flood began, said the "
            "water rose 80 centimetres in an hour.",
            "The water rose 80 centimetres in an hour.",
            "Diego Arnell",
            "leading",
        ),
        (
            # The same after the quote: the name is not the description's role word.
            "“The ferry lost 2 million euros in 2023,” Jim Vale, chief executive of Harrow "
            "Lines and a founding member of the Dunmore port board, told the Valley Post.",
            "The ferry lost 2 million euros in 2023.",
            "Jim Vale",
            "told",
        ),
        (
            # Quotes after the frame's first comma belong to a circumstance.
            "“Fares rose by 12% in a year,” Edda Marin said on Monday, when a reporter asked "
            "about the “fare freeze” promised in May.",
            "Fares rose by 12% in a year.",
            "Edda Marin",
            "quote-first",
        ),
        (
            # A frame inside a relative clause.
            "The bank expects two more rate rises, echoing Governor Tiff Alder, who said last "
            "week that more rate rises are needed to bring inflation below 3%.",
            "More rate rises are needed to bring inflation below 3%.",
            "Tiff Alder",
            "relative",
        ),
        (
            # A document speaks with "states", "concludes", "reads".
            "“The school police lacked an adequate response plan,” the audit states.",
            "The school police lacked an adequate response plan.",
            "audit",
            "quote-first",
        ),
        (
            # An aside after the closing frame.
            "Harrow's economy is running above capacity, the central bank report says — in "
            "line with the finance ministry's view.",
            "Harrow's economy is running above capacity.",
            "central bank report",
            "trailing",
        ),
        (
            # A manner adverb between subject and verb is not part of the speaker.
            "A council spokeswoman initially told the Valley Post that the bridge was closed "
            "for 30 days of repairs.",
            "The bridge was closed for 30 days of repairs.",
            "A council spokeswoman",
            "told",
        ),
        (
            # Somebody's spokesman is not that somebody.
            "Edda Marin's spokesman said the budget gap was 4 million euros.",
            "The budget gap was 4 million euros.",
            "Edda Marin's spokesman",
            "leading",
        ),
        (
            # "saying that" after an introduction.
            "On Tuesday, Marin opened a new row on the radio, saying that the port had lost 300 "
            "jobs since 2022.",
            "The port had lost 300 jobs since 2022.",
            "Edda Marin",
            "saying",
        ),
        (
            # Forecasts are frames when a "that" clause follows.
            "The Harrow Monetary Fund forecast on Tuesday that the region would grow by 2.7% "
            "next year.",
            "The region would grow by 2.7% next year.",
            "Harrow Monetary Fund",
            "leading",
        ),
    ],
)
def test_third_round_frames(body: str, text: str, speaker: str, frame: str) -> None:
    intro = "Mayor Edda Marin opened the new ferry terminal in 2019.\n\n"
    found = [c for c in _candidates(intro + body) if c.sentence == body]
    assert [(c.text, c.speaker, c.frame) for c in found] == [(text, speaker, frame)]


def test_a_quote_of_several_sentences_gets_the_speaker_of_its_closing_frame() -> None:
    found = _candidates(
        "“I spoke to the minister on Sunday. For many years the port has lost money on "
        "every ferry.\n\n“We asked for 5 million euros and got nothing,” the mayor of "
        "Dunmore, Oskar Brandt, said."
    )
    texts = {c.text: (c.speaker, c.frame) for c in found}
    assert texts["For many years the port has lost money on every ferry."] == (
        "Oskar Brandt",
        "multi-sentence quote",
    )
    assert texts["We asked for 5 million euros and got nothing."][0] == "Oskar Brandt"


def test_they_after_a_group_is_that_group() -> None:
    found = _candidates(
        "“Most of the devices used old phones as timers,” the officials said. They said the "
        "charge was made from fertiliser bought in Dunmore in May."
    )
    assert {c.speaker for c in found} == {"the officials"}
    assert "The charge was made from fertiliser bought in Dunmore in May." in [
        c.text for c in found
    ]


def test_the_associate_is_the_unnamed_associate_introduced_before() -> None:
    found = _candidates(
        "Councillor Ivo Brenn was re-elected in 2021.\n\n"
        "One close associate said Brenn changed his vote on the tram twice in 2022. During "
        "the campaign, the associate added, Brenn met the developers four times."
    )
    assert len(found) == 2
    assert {c.speaker for c in found} == {"One close associate"}


def test_a_third_person_pronoun_inside_a_quote_is_not_the_speaker() -> None:
    found = _only("“He has cut the bus budget by 20%,” said Sean Rudd, an adviser to the mayor.")
    assert (found.text, found.speaker) == ("He has cut the bus budget by 20%.", "Sean Rudd")


def test_he_after_an_affiliated_writer_is_that_writer() -> None:
    found = _candidates(
        "Kingsley Moor leads the Harrow study of office temperatures.\n\n"
        "“These findings could change the standard,” Joost Verhey of the Harrow Institute "
        "of Technology writes in an accompanying article. He says the savings will grow by "
        "10% a year."
    )
    assert {c.speaker for c in found} == {"Joost Verhey"}
    assert "The savings will grow by 10% a year." in [c.text for c in found]


def test_a_two_word_surname_is_the_full_name_printed_before() -> None:
    found = _candidates(
        "Clinic director Linda Grey Wolf runs the clinic in Dunmore.\n\n"
        "“We treated 300 people in November alone,” Grey Wolf said."
    )
    assert [c.speaker for c in found] == ["Linda Grey Wolf"]


def test_a_title_case_headline_teaches_no_full_names() -> None:
    article = read_article(
        "Marin Talks Tariffs With Port Owners\n\n"
        "“The port lost 300 jobs in 2024,” Mr Marin said at a briefing in Dunmore."
    )
    assert [c.speaker for c in extract_candidates(article)] == ["Marin"]


def test_the_department_after_a_document_is_not_the_document() -> None:
    found = _candidates(
        "The complaint alleges that a protester lost an eye on 20 November.\n\n"
        "The Dunmore police department said on Monday it had used water cannon twice. "
        "The department subsequently conceded that it had aimed the water at the crowd."
    )
    speakers = {c.sentence: c.speaker for c in found}
    assert speakers[
        "The department subsequently conceded that it had aimed the water at the crowd."
    ] == ("Dunmore police department")
    assert "Dunmore police department had used water cannon twice." in [c.text for c in found]


def test_a_possessive_before_estimated_is_no_frame() -> None:
    found = _candidates(
        "Harrow's estimated 35 million lamps account for 10% of all household electricity "
        "use, the energy commission staff reported."
    )
    assert [c.text for c in found] == [
        "Harrow's estimated 35 million lamps account for 10% of all household electricity use."
    ]
    assert found[0].speaker != "Harrow"


def test_an_organisation_never_named_speaks_as_printed() -> None:
    found = _only("The government said that the port would reopen on 4 May after 40 days.")
    assert (found.text, found.speaker) == (
        "The port would reopen on 4 May after 40 days.",
        "The government",
    )
