"""Article readers, sentence splitting, attribution, scoring and claim matching.

Every article here is fictional: invented outlets, people and figures.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from factcheck.extraction import (
    ArticleFormatError,
    Candidate,
    ParsedArticle,
    extract_candidates,
    normalize_name,
    rank,
    read_article,
    similarity,
)
from factcheck.extraction.readers import detect_language
from factcheck.extraction.scoring import score_statement
from factcheck.extraction.sentences import split_sentences

SAMPLE_FORMAT = """\
date 2024-06-11 Harbourside Chronicle
Transport
08:45 11.06.2024

Port chief: cargo volumes up

Port Director Ilka Berg said that the port handled 4.2 million tonnes of cargo in May.

She added that the new crane cost 12 million euros.
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Library hours extended | Millbrook Echo</title>
<meta property="og:site_name" content="Millbrook Echo">
<meta property="og:title" content="Library hours extended">
<meta property="article:published_time" content="2024-02-20T17:30:00+01:00">
<meta property="article:section" content="Culture">
</head><body>
<nav><a href="/">Home</a> <a href="/culture">Culture</a></nav>
<article>
<h1>Library hours extended</h1>
<p>Head librarian Petra Lunn said that the central library will open until 9 pm from March,
because visits rose by 14% last year.</p>
<p>She added that the library lent out 52,000 books in 2023, more than in any year before.</p>
</article>
<footer>Copyright Millbrook Echo</footer>
</body></html>
"""


def plain(body: str, title: str = "A fictional headline") -> ParsedArticle:
    return read_article(f"{title}\n\n{body}")


def by_sentence(candidates: list[Candidate], fragment: str) -> Candidate:
    found = [c for c in candidates if fragment in c.sentence]
    assert found, f"no candidate from a sentence containing {fragment!r}"
    return found[0]


def by_text(candidates: list[Candidate], fragment: str) -> Candidate:
    found = [c for c in candidates if fragment in c.text]
    assert found, f"no candidate whose text contains {fragment!r}: {[c.text for c in candidates]}"
    return found[0]


# -- readers ---------------------------------------------------------------


def test_sample_reader_reads_outlet_rubric_time_title_and_body() -> None:
    article = read_article(SAMPLE_FORMAT.encode("utf-8"))
    assert article.format == "sample"
    assert article.source == "Harbourside Chronicle"
    assert article.rubric == "Transport"
    assert article.published_at == datetime(2024, 6, 11, 8, 45)
    assert article.title == "Port chief: cargo volumes up"
    assert article.body.startswith("Port Director Ilka Berg said")
    assert article.body.split("\n\n")[1].startswith("She added")
    assert article.language == "en"


def test_sample_reader_without_time_line_keeps_the_date() -> None:
    text = "date 2023-01-05 Fjord Weekly\nLocal\n\nFerry timetable changes\n\nThe ferry leaves.\n"
    article = read_article(text)
    assert article.published_at == datetime(2023, 1, 5)
    assert article.rubric == "Local"
    assert article.title == "Ferry timetable changes"


def test_sample_reader_tolerates_leading_whitespace_and_bom() -> None:
    article = read_article(("\ufeff " + SAMPLE_FORMAT).encode("utf-8"))
    assert article.format == "sample"
    assert article.source == "Harbourside Chronicle"


def test_plain_text_first_line_is_title_and_wrapped_lines_join() -> None:
    article = read_article(
        "Council meets\n\nThe council will vote on the\nnew budget.\n\nSecond paragraph.\n",
        url="https://example.org/council",
    )
    assert article.format == "text"
    assert article.title == "Council meets"
    assert article.body == "The council will vote on the new budget.\n\nSecond paragraph."
    assert article.source is None and article.published_at is None
    assert article.url == "https://example.org/council"


def test_plain_text_without_blank_lines_has_one_paragraph_per_line() -> None:
    article = read_article("Headline here\nFirst paragraph.\nSecond paragraph.")
    assert article.body == "First paragraph.\n\nSecond paragraph."


def test_html_reader_extracts_title_outlet_date_rubric_and_body() -> None:
    article = read_article(HTML_PAGE, filename="library.html")
    assert article.format == "html"
    assert article.title == "Library hours extended"
    assert article.source == "Millbrook Echo"
    assert article.published_at == datetime(2024, 2, 20, 17, 30)
    assert article.rubric == "Culture"
    assert "Head librarian Petra Lunn said" in article.body
    assert "Library hours extended" not in article.body  # the headline is not body text
    assert "Copyright" not in article.body


def test_html_is_detected_by_markup_or_content_type() -> None:
    assert read_article(HTML_PAGE).format == "html"
    assert (
        read_article(HTML_PAGE.encode(), content_type="text/html; charset=utf-8").format == "html"
    )


def test_html_candidates_come_from_the_extracted_body() -> None:
    candidates = extract_candidates(read_article(HTML_PAGE))
    lent = by_text(candidates, "52,000 books")
    assert lent.speaker == "Petra Lunn"
    assert lent.speaker_title == "Head librarian"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        ("   \n\t  \n", "empty"),
        (b"", "empty"),
        (bytes(range(256)) * 4, "text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "text"),
        ("Only a title\n", "no body"),
        ("date 2024-01-01 Some Outlet\nRubric\n10:00 01.01.2024\n", "title"),
    ],
)
def test_unreadable_input_raises_a_clear_format_error(data: str | bytes, message: str) -> None:
    with pytest.raises(ArticleFormatError, match=message):
        read_article(data)


def test_html_without_text_raises_a_format_error() -> None:
    with pytest.raises(ArticleFormatError, match="HTML"):
        read_article("<html><head><title>x</title></head><body><div></div></body></html>")


def test_format_error_is_a_value_error() -> None:
    assert issubclass(ArticleFormatError, ValueError)


def test_windows_1251_bytes_are_decoded() -> None:
    text = "Новини\n\nМіністр сказав, що бюджет зріс."
    assert read_article(text.encode("cp1251")).body == "Міністр сказав, що бюджет зріс."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The minister said the budget grew.", "en"),
        ("Міністр заявив, що бюджет області зріс і це добре.", "uk"),
        ("Министр заявил, что бюджет области вырос, и это хорошо.", "ru"),
        ("Kyiv: the mayor said «Київ» once.", "en"),
    ],
)
def test_language_is_guessed_from_the_alphabet(text: str, language: str) -> None:
    assert detect_language(text) == language


# -- sentences -------------------------------------------------------------


def test_sentence_splitting_keeps_abbreviations_and_splits_paragraphs() -> None:
    body = (
        "The U.S. delegation met Mr. Hollis at 5 p.m. on Friday. Dr. Amsel was not there.\n\n"
        "A new paragraph starts here"
    )
    assert split_sentences(body) == [
        "The U.S. delegation met Mr. Hollis at 5 p.m. on Friday.",
        "Dr. Amsel was not there.",
        "A new paragraph starts here",
    ]


def test_a_very_long_paragraph_is_split_quickly_and_correctly() -> None:
    body = " ".join(["The U.S. envoy met Mr. Holm on Friday. He said that 4.2 million left."] * 80)
    sentences = split_sentences(body)
    assert len(sentences) == 160
    assert set(sentences) == {
        "The U.S. envoy met Mr. Holm on Friday.",
        "He said that 4.2 million left.",
    }


def test_a_quoted_passage_stays_in_one_sentence() -> None:
    sentences = split_sentences('"We built it. It cost 5 million," Vole said. Then she left.')
    assert sentences[0] == '"We built it. It cost 5 million," Vole said.'


# -- attribution -----------------------------------------------------------


def test_pronouns_resolve_to_the_speaker_named_before() -> None:
    candidates = extract_candidates(
        plain(
            "Mayor Ann Vole said that the city built 300 homes in 2023. "
            "She added that rents fell by 4% last year."
        )
    )
    rents = by_text(candidates, "Rents fell")
    assert rents.speaker == "Ann Vole"
    assert rents.speaker_title == "Mayor"


def test_pronoun_skips_a_speaker_of_the_other_gender() -> None:
    candidates = extract_candidates(
        plain(
            "Industry Minister Tomas Brenner said that the plant employs 540 people. "
            "He added that exports doubled. "
            "Opposition leader Marta Iles said that only 300 jobs were created. "
            "She added that two plants closed. "
            "He replied that the subsidy created 230 jobs in its first year."
        )
    )
    assert by_text(candidates, "Only 300 jobs").speaker == "Marta Iles"
    assert by_text(candidates, "230 jobs").speaker == "Tomas Brenner"


def test_a_surname_resolves_to_the_full_name_printed_later() -> None:
    candidates = extract_candidates(
        plain("Berg said that 40 ships docked in May. Port Director Ilka Berg runs the port.")
    )
    assert by_text(candidates, "40 ships").speaker == "Ilka Berg"


def test_a_known_title_resolves_to_its_holder() -> None:
    candidates = extract_candidates(
        plain(
            "Gullport Mayor Ann Vole opened the bridge on Monday. Councillor Ben Okafor said "
            "that it cost 9 million. The mayor said that the cost was 7 million."
        )
    )
    assert by_text(candidates, "It cost 9 million").speaker == "Ben Okafor"
    assert by_text(candidates, "The cost was 7 million").speaker == "Ann Vole"


def test_an_unseen_title_resolves_to_the_current_speaker() -> None:
    candidates = extract_candidates(
        plain(
            "Transport chief Oda Sletten said that 12 bus lines were added. "
            "The Secretary of Transport also believes that the trams are the best in Europe."
        )
    )
    trams = by_sentence(candidates, "Secretary of Transport")
    assert trams.speaker == "Oda Sletten"
    assert trams.text == "The trams are the best in Europe."


def test_embedded_attribution_keeps_the_main_speaker() -> None:
    candidates = extract_candidates(
        plain(
            "Health Secretary Oskar Lind said that waiting times fell by half. "
            "He stressed that the reform, as Prime Minister Greta Sund stated, cost 40 million."
        )
    )
    assert by_sentence(candidates, "as Prime Minister").speaker == "Oskar Lind"


def test_a_sentence_led_by_another_named_speaker_is_theirs() -> None:
    candidates = extract_candidates(
        plain(
            "Health Secretary Oskar Lind said that waiting times fell by half. "
            "Prime Minister Greta Sund said that the state hired 1,200 nurses. "
            "She added that the reform was on time."
        )
    )
    assert by_text(candidates, "1,200 nurses").speaker == "Greta Sund"
    assert by_text(candidates, "The reform was on time").speaker == "Greta Sund"
    assert by_text(candidates, "Waiting times").speaker == "Oskar Lind"


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("Ann Vole noted that the tunnel is 3 km long.", "The tunnel is 3 km long."),
        (
            "Ann Vole said on Monday in Gullport that the tunnel is 3 km long.",
            "The tunnel is 3 km long.",
        ),
        ("The tunnel is 3 km long, Ann Vole said.", "The tunnel is 3 km long."),
        ("The tunnel is 3 km long, said Ann Vole, the mayor.", "The tunnel is 3 km long."),
        ("“The tunnel is 3 km long,” Ann Vole told reporters.", "The tunnel is 3 km long."),
        ("According to Ann Vole, the tunnel is 3 km long.", "The tunnel is 3 km long."),
        ("The tunnel, Ann Vole said, is 3 km long.", "The tunnel is 3 km long."),
        (
            "Ann Vole told the Gullport Gazette: “The tunnel is 3 km long.”",
            "The tunnel is 3 km long.",
        ),
        (
            "At the same time, Ann Vole stressed the tunnel is 3 km long.",
            "The tunnel is 3 km long.",
        ),
    ],
)
def test_the_attribution_frame_is_stripped_from_the_claim(sentence: str, text: str) -> None:
    [candidate] = extract_candidates(plain(sentence))
    assert candidate.text == text
    assert candidate.speaker == "Ann Vole"
    assert candidate.sentence == sentence


def test_a_leading_frame_wins_over_a_closing_according_to() -> None:
    [candidate] = extract_candidates(
        plain("Ann Vole said that 40 buses were ordered according to the plan.")
    )
    assert candidate.speaker == "Ann Vole"
    assert candidate.text == "40 buses were ordered according to the plan."


def test_a_reported_pronoun_becomes_the_speakers_name() -> None:
    candidates = extract_candidates(
        plain(
            "Mayor Ann Vole spoke on Monday. She noted that her office spent 2 million on repairs."
        )
    )
    assert by_text(candidates, "2 million").text == "Ann Vole's office spent 2 million on repairs."


def test_a_denial_keeps_the_whole_sentence() -> None:
    sentence = "Mayor Ann Vole rejects claims that the bridge cost 90 million."
    [candidate] = extract_candidates(plain(sentence))
    assert candidate.text == sentence
    assert candidate.speaker == "Ann Vole"


def test_two_frames_in_one_sentence_give_two_claims() -> None:
    candidates = extract_candidates(
        plain(
            "Mayor Ann Vole said that the wording was not hers, but she clarified that the bridge "
            "cost 41 million. Ann Vole recalled the 2019 audit, adding that 14 firms had failed it."
        )
    )
    texts = {c.text for c in candidates}
    assert "The wording was not hers." in texts
    assert "The bridge cost 41 million." in texts
    assert "14 firms had failed it." in texts
    assert "The 2019 audit." not in texts  # a noun phrase, not a statement


def test_direct_quote_is_kept_verbatim_and_continues_to_the_next_quote() -> None:
    candidates = extract_candidates(
        plain('"We hired 300 engineers," Ann Vole said. "Every one of them worked a double shift."')
    )
    first = by_text(candidates, "300 engineers")
    assert first.quote == "We hired 300 engineers"
    assert by_text(candidates, "double shift").speaker == "Ann Vole"


def test_unnamed_groups_are_kept_under_their_description() -> None:
    [candidate] = extract_candidates(plain("Officials said that 40 buses were ordered in March."))
    assert (candidate.speaker, candidate.speaker_kind) == ("Officials", "person")
    assert candidate.text == "40 buses were ordered in March."
    [bare] = extract_candidates(plain("They said that 40 buses were ordered in March."))
    assert bare.speaker is None


def test_an_organisation_speaks_and_it_refers_back_to_it() -> None:
    candidates = extract_candidates(
        plain(
            "The Ostvik Transit Authority said that buses carried 58 million passengers. "
            "It added that it doubled evening ridership."
        )
    )
    assert by_text(candidates, "evening ridership").speaker == "Ostvik Transit Authority"
    assert by_text(candidates, "evening ridership").text.startswith(
        "Ostvik Transit Authority doubled"
    )


def test_narration_without_a_speaker_is_not_a_candidate() -> None:
    body = "The council voted 7 to 2 on Wednesday. This follows from Vole's words, which he said."
    assert extract_candidates(plain(body)) == []


def test_ukrainian_reported_speech_is_attributed() -> None:
    article = read_article(
        "Бюджет області\n\nМіністерка фінансів Оксана Ліщук заявила, що доходи зросли на 8%. "
        "Вона додала, що на дороги виділили 420 мільйонів гривень."
    )
    candidates = extract_candidates(article)
    assert article.language == "uk"
    assert {c.speaker for c in candidates} == {"Оксана Ліщук"}
    assert by_text(candidates, "420").text == "На дороги виділили 420 мільйонів гривень."


# -- scoring ---------------------------------------------------------------


def test_a_number_claim_outranks_praise() -> None:
    candidates = extract_candidates(
        plain(
            "Mayor Ann Vole said that the city has the best mayor in the world. "
            "She added that the city spent 41 million euros on the bridge in 2023."
        )
    )
    assert candidates[0].text == "The city spent 41 million euros on the bridge in 2023."
    assert candidates[0].score > candidates[1].score
    assert candidates[1].score < 0.4


def test_candidates_are_sorted_by_score_then_position() -> None:
    candidates = extract_candidates(
        plain(
            "Ann Vole said that the weather is nice today. "
            "Ann Vole said that the sky is blue today. "
            "Ann Vole said that 300 homes were built in 2023."
        )
    )
    assert [c.position for c in candidates] == [2, 0, 1]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The bridge cost 41 million euros.", "contains a number or percentage"),
        ("Traffic fell by 18% last year.", "contains a number or percentage"),
        ("Exports are higher than imports.", "comparison 'higher than'"),
        ("The state invested in the plant.", "factual verb 'invested'"),
        ("The project may open before the summer.", "hedge 'may' (-)"),
        ("The bridge will be finished soon.", "prediction 'will' (-)"),
        ("The world is lucky to have such a leader.", "praise or opinion 'lucky' (-)"),
        ("The government should stop the subsidies.", "normative or value judgement 'should' (-)"),
    ],
)
def test_scoring_gives_a_reason_for_each_feature(text: str, reason: str) -> None:
    score, reasons = score_statement(text)
    assert reason in reasons
    assert 0.0 <= score <= 1.0 and round(score, 2) == score


def test_opinion_and_prediction_frames_lower_the_score() -> None:
    neutral, _ = score_statement("Exports doubled in 2023.")
    opinion, reasons = score_statement("Exports doubled in 2023.", stance="opinion")
    prediction, _ = score_statement("Exports doubled in 2023.", stance="prediction")
    assert opinion < neutral and prediction < neutral
    assert "framed as the speaker's belief (-)" in reasons


def test_checkable_statements_score_higher_than_opinions() -> None:
    checkable, _ = score_statement(
        "Unemployment rose from 5% to 7% in the Northbay region in 2023."
    )
    opinion, _ = score_statement("I think this is a great and wonderful day.")
    assert checkable >= 0.7
    assert opinion <= 0.2


# -- normalize and matching ------------------------------------------------


def test_normalize_name_ignores_case_diacritics_and_spacing() -> None:
    assert normalize_name("José  Álvarez") == normalize_name("jose alvarez") == "jose alvarez"
    assert normalize_name(" Zoë\tMüller ") == "zoe muller"


def test_similarity_ignores_case_and_punctuation() -> None:
    assert similarity("The bridge cost 41 million.", "the bridge cost 41 million") == 1.0
    assert similarity("The bridge cost 41 million.", "Tomatoes are red fruits.") < 0.4
    assert similarity("", "anything") == 0.0


def test_similarity_of_a_fragment_is_high_but_not_identical() -> None:
    score = similarity(
        "The bridge cost 41 million.", "The bridge cost 41 million, the mayor said on Monday."
    )
    assert 0.6 < score < 1.0


def test_rank_puts_same_claims_first_and_drops_unrelated_ones() -> None:
    claims = [
        (1, "Tomatoes are red fruits."),
        (2, "The bridge cost 41 million euros."),
        (3, "The harbour bridge cost 41 million euros to build."),
        (4, "The bridge cost €41m!"),
        (5, "The bridge cost 14 million euros."),
    ]
    ranked = rank("The bridge cost 41 million euros", claims)
    assert [claim_id for claim_id, _ in ranked][:2] == [2, 4]
    assert [j.match.value for _, j in ranked[:2]] == ["same", "same"]
    assert dict(ranked)[5].match.value == "related"  # another figure is never the same
    assert 1 not in dict(ranked)
    assert ranked[0][1].score == 1.0
    assert [claim_id for claim_id, _ in rank("The bridge cost 41 million euros", claims, 1)] == [2]
    assert rank("anything", [], limit=3) == []
