"""The HTML reader: decoding web pages, extracting the article, and cleaning it by classes of boilerplate."""

from __future__ import annotations

import codecs

import pytest

from curate.encoding import DecodeError
from curate.readers import READERS, reader_for
from curate.readers.html import (
    HtmlReader,
    _Block,
    _Line,
    _teaser_runs,
    declared_charset,
    decode_html,
    parse_html,
    sniff_binary,
)
from curate.readers.html_meta import page_metadata

# Real-looking article paragraphs: trafilatura keeps an article only when it has some text.
P1 = ("The city council voted on Tuesday to fund a new network of bicycle lanes across the old town, "
      "after a debate that lasted more than four hours and drew hundreds of residents to the hall.")
P2 = ("Supporters said the lanes would make the narrow streets safer for children on their way to school, "
      "while shop owners worried that deliveries would become slower and parking harder to find.")
P3 = ("The first lanes are due to open next spring, and the council will review the traffic figures "
      "after a year before it decides whether to extend the network to the northern districts.")
P4 = ("Engineers from the transport office presented three designs, and the council chose the one that "
      "separates cyclists from cars with a low kerb rather than with painted lines alone.")


def page(article: str, head: str = "", title: str = "Council approves bicycle lanes", extra: str = "") -> str:
    """A whole web page around an article body (navigation, footer and scripts included)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Town Crier</title>{head}
<script>var tracking = "<p>not article text</p>";</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/sport/">Sport</a></li></ul></nav>
<main><article><h1>{title}</h1>
{article}
</article>{extra}</main>
<footer><p>Contact the newsroom</p><ul><li><a href="/privacy/">Privacy</a></li><li><a href="/terms/">Terms</a></li></ul></footer>
</body></html>"""


def parse(html: str, title_hint: str = ""):
    return parse_html(html, [], title_hint, "Default title")


def texts(parsed) -> list[str]:
    return [p.text for s in parsed.sections for p in s.passages]


def dropped(parsed, reason: str) -> list[str]:
    return [text for _, r, text in parsed.dropped if r == reason]


# --- registry ---------------------------------------------------------------------------------------


def test_html_reader_is_registered_for_html_and_htm():
    assert READERS[".html"] is HtmlReader and READERS[".htm"] is HtmlReader
    assert isinstance(reader_for("Some-Page.HTM"), HtmlReader)


# --- loading ----------------------------------------------------------------------------------------


def test_utf8_page_decodes_as_utf8_without_notes():
    decoded = decode_html(page(f"<p>{P1} Café “quoted”.</p>").encode("utf-8"))
    assert decoded.encoding == "utf-8"
    assert "Café “quoted”" in decoded.text
    assert decoded.notes == ()


def test_byte_order_mark_wins_over_a_meta_charset():
    data = codecs.BOM_UTF8 + '<meta charset="windows-1252"><p>naïve café</p>'.encode()
    decoded = decode_html(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("<meta") and "naïve café" in decoded.text


def test_utf16_page_with_byte_order_mark():
    data = codecs.BOM_UTF16_LE + "<p>naïve café</p>".encode("utf-16-le")
    assert decode_html(data).text == "<p>naïve café</p>"


@pytest.mark.parametrize("declaration", [
    '<meta charset="windows-1252">',
    "<meta charset=iso-8859-1>",  # browsers read Latin-1 as Windows-1252: “ and ” are 0x93 and 0x94
    '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
])
def test_meta_charset_declares_windows_1252(declaration):
    data = f"<html><head>{declaration}</head><body><p>“naïve” café</p></body></html>".encode("cp1252")
    decoded = decode_html(data)
    assert decoded.encoding == "cp1252"
    assert "“naïve” café" in decoded.text
    assert declared_charset(data) != ""


def test_http_charset_wins_over_the_page_declaration():
    data = '<meta charset="utf-8"><p>“naïve” café</p>'.encode("cp1252")
    decoded = decode_html(data, transport="windows-1252")
    assert decoded.encoding == "cp1252"
    assert "“naïve” café" in decoded.text
    assert decoded.notes == ()


def test_declared_latin1_on_utf8_bytes_is_read_as_utf8_with_a_note():
    data = '<meta charset="iso-8859-1"><p>It’s “naïve”</p>'.encode()
    decoded = decode_html(data)
    assert decoded.encoding == "utf-8"
    assert "It’s “naïve”" in decoded.text  # not "Itâ€™s"
    assert "declares iso-8859-1, but the bytes are UTF-8" in decoded.notes[0].message


def test_declared_utf8_on_windows_1252_bytes_is_detected_with_a_note():
    data = '<meta charset="utf-8"><p>“naïve” café</p>'.encode("cp1252")
    decoded = decode_html(data)
    assert decoded.encoding == "cp1252"
    assert "“naïve” café" in decoded.text
    assert "declares utf-8, but byte 0x93" in decoded.notes[0].message


def test_undeclared_windows_1252_page():
    decoded = decode_html(f"<p>{P1} The “naïve” café.</p>".encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert "The “naïve” café." in decoded.text
    assert "read as Windows-1252" in decoded.notes[0].message


def test_undeclared_cyrillic_page_is_detected():
    text = "Городской совет проголосовал за новые велосипедные дорожки в старом городе. " * 6
    decoded = decode_html(f"<html><body><p>{text}</p></body></html>".encode("cp1251"))
    assert decoded.encoding == "cp1251"
    assert "Городской совет" in decoded.text


def test_metadata_encoding_that_does_not_fit_is_an_error():
    with pytest.raises(DecodeError) as info:
        decode_html("<p>“quoted”</p>".encode("cp1252"), declared="utf-8")
    assert "not valid utf-8 at byte offset 3" in info.value.reason


def test_unknown_meta_charset_is_ignored_with_a_note():
    decoded = decode_html(b'<meta charset="klingon-8"><p>plain text</p>')
    assert decoded.encoding == "utf-8"
    assert "unknown encoding 'klingon-8'" in decoded.notes[0].message


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
    (b"GIF89a\x01\x00\x01\x00", "a GIF image"),
    (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive (or a Word, OpenDocument or EPUB file)"),
])
def test_a_file_that_is_not_html_is_refused(data, what):
    assert sniff_binary(data) == what
    with pytest.raises(DecodeError) as info:
        HtmlReader().load(data)
    assert info.value.reason == f"the file is {what}, not an HTML page"
    assert "Save Page As" in info.value.hint


def test_nul_bytes_are_refused():
    with pytest.raises(DecodeError) as info:
        decode_html(b"<html><body>text\x00\x00\x00binary</body></html>")
    assert "NUL byte at byte offset 16" in info.value.reason


# --- cleaning: structure -----------------------------------------------------------------------------


def test_title_is_not_repeated_as_a_section_and_headings_become_sections():
    parsed = parse(page(f"<p>{P1}</p><h2>What the plan costs</h2><p>{P2}</p><h2>When work starts</h2><p>{P3}</p>"))
    assert parsed.title == "Council approves bicycle lanes"
    assert [(s.id, s.heading) for s in parsed.sections] == [
        ("lead", ""), ("what-the-plan-costs", "What the plan costs"), ("when-work-starts", "When work starts")]
    assert texts(parsed) == [P1, P2, P3]
    assert parsed.sections[1].passages[0].anchor == "what-the-plan-costs--p1"


def test_plain_text_is_the_kept_article():
    parsed = parse(page(f"<p>{P1}</p><h2>What the plan costs</h2><p>{P2}</p>"))
    assert parsed.plain_text == f"Council approves bicycle lanes\n\n{P1}\n\nWhat the plan costs\n\n{P2}"


def test_title_from_metadata_wins_and_is_recognised_in_the_text():
    parsed = parse(page(f"<p>{P1}</p><p>{P2}</p>"), title_hint="Council Approves Bicycle Lanes!")
    assert parsed.title == "Council Approves Bicycle Lanes!"
    assert [s.heading for s in parsed.sections] == [""]


def test_passages_carry_the_line_of_the_page_they_start_on():
    html = page(f"<p>{P1}</p>\n\n<p>{P2}</p>")
    parsed = parse(html)
    lines = html.split("\n")
    for passage in parsed.sections[0].passages:
        assert passage.text[:30] in lines[passage.line - 1]


def test_page_without_article_text_gives_no_sections():
    parsed = parse("<html><body><nav><a href='/'>Home</a></nav><p>Subscribe</p></body></html>")
    assert parsed.sections == []
    assert parsed.title == ""


def test_markup_written_as_text_stays_text():
    parsed = parse(page(f"<p>{P1} To embed it, paste &lt;script src=\"x.js\"&gt;&lt;/script&gt; into the page "
                        "&amp; save.</p>"))
    assert texts(parsed)[0].endswith('paste <script src="x.js"></script> into the page & save.')


def test_scripts_iframes_event_handlers_and_urls_never_reach_the_passages():
    article = (f"<p onclick=\"alert('click')\">{P1}</p><script>document.write('injected text')</script>"
               f"<iframe src=\"https://evil.example/frame\">frame fallback text</iframe>"
               f"<p>{P2} <a href=\"javascript:alert(1)\">the plan</a> and <a href=\"data:text/html;base64,"
               f"PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">the map</a> <img src=x onerror=\"alert(2)\"></p>")
    parsed = parse(page(article, head='<base href="https://evil.example/">'
                                      '<meta http-equiv="refresh" content="30; url=https://evil.example/">'))
    joined = " ".join(texts(parsed))
    assert texts(parsed) == [P1, f"{P2} the plan and the map"]
    for bad in ("alert", "injected", "frame fallback", "javascript", "data:", "evil.example", "<", "onerror"):
        assert bad not in joined


# --- cleaning: classes of boilerplate -----------------------------------------------------------------


@pytest.mark.parametrize("heading", ["Related Posts", "More on this story", "Related coverage", "Further reading",
                                     "Top stories", "You may also like", "Most popular", "Recommended for you"])
def test_related_heading_and_its_teasers_are_cut_at_the_end(heading):
    extra = (f"<section><h2>{heading}</h2><ul>"
             "<li><h3><a href='/a'>Mayor opens the new library</a></h3><p>The building took three years to…</p></li>"
             "<li><h3><a href='/b'>Storm closes the harbour road</a></h3><p>Drivers were told to avoid…</p></li>"
             "</ul></section>")
    parsed = parse(page(f"<p>{P1}</p><p>{P2}</p><h2>{heading}</h2><h3><a href='/a'>Mayor opens the new library"
                        "</a></h3><p>The building took three years to…</p><h3><a href='/b'>Storm closes the harbour"
                        " road</a></h3><p>Drivers were told to avoid…</p>", extra=extra))
    assert texts(parsed) == [P1, P2]
    assert [s.heading for s in parsed.sections] == [""]
    # trafilatura drops some of these headings and links itself; whatever it keeps is cut here.
    assert "Mayor opens the new library" not in parsed.plain_text
    assert "The building took three years to…" not in parsed.plain_text


def test_related_block_in_the_middle_is_cut_and_the_article_after_it_kept():
    parsed = parse(page(f"<p>{P1}</p><p><b>DON'T MISS</b><br><a href='/x'>Mayor opens the new library</a> [VIDEO]"
                        f"<br><a href='/y'>Storm closes the harbour road</a> [PICTURES]</p><p>{P2}</p><p>{P3}</p>"))
    assert texts(parsed) == [P1, P2, P3]
    assert dropped(parsed, "related links") == [
        "DON'T MISS", "Mayor opens the new library [VIDEO]", "Storm closes the harbour road [PICTURES]"]


@pytest.mark.parametrize("line", [
    "READ MORE: <a href='/x'>Mayor opens the new library after three years</a>",
    "<b>Related:</b> <b>Storm closes the harbour road</b>",
    "[Related: <a href='/y'>How the town paid for its last bridge</a>]",
    "SEE ALSO - <a href='/z'>Ten years of the town fair in pictures</a>",
    "Also on townnews.example <a href='/w'>Harbour road to reopen on Monday</a>",
])
def test_inline_teaser_lines_are_dropped(line):
    parsed = parse(page(f"<p>{P1}</p><p>{line}</p><p>{P2}</p><p>{P3}</p>"))
    assert texts(parsed) == [P1, P2, P3]
    assert len(dropped(parsed, "related links")) == 1


def test_sentence_that_starts_like_a_teaser_is_kept():
    sentence = ("Related: the council also agreed to study a tram line, which officials said could follow "
                "within a decade if the bicycle lanes prove popular with commuters.")
    parsed = parse(page(f"<p>{P1}</p><p>{sentence}</p><p>{P2}</p>"))
    assert sentence in texts(parsed)


def _block(kind: str, text: str, linked: bool = False) -> _Block:
    return _Block(kind, [_Line(text, len(text) if linked else 0)])


def test_list_of_links_to_other_stories_is_found_but_a_reference_list_is_not():
    # trafilatura prunes most link lists itself; these are the ones it lets through (as on real pages).
    blocks = [_block("paragraph", P1), _block("item", "[1] Town transport survey, 2019; 12: 4-9", True),
              _block("item", "[2] Council minutes, 12 March 2019; 3: 1-2", True), _block("paragraph", P2),
              _block("item", "Mayor opens the new library", True),
              _block("item", "Storm closes the harbour road", True),
              _block("paragraph", P3), _block("paragraph", "Ten years of the town fair in pictures", True)]
    assert _teaser_runs(blocks) == {4, 5, 7}


@pytest.mark.parametrize("line, reason", [
    ("Sign up for our daily newsletter to get the top stories in your inbox.", "newsletter, app or share prompt"),
    ("CLICK HERE TO GET THE TOWN CRIER APP", "newsletter, app or share prompt"),
    ("Follow The Town Crier on Facebook, Twitter and Instagram.", "newsletter, app or share prompt"),
    ("Share this article", "newsletter, app or share prompt"),
    ("By Jane Doe", "byline, dateline or credit line"),
    ("Published 19 November 2019, 10:42", "byline, dateline or credit line"),
    ("5 min read", "byline, dateline or credit line"),
    ("Nov. 19, 2019", "byline, dateline or credit line"),
    ("(Reporting by Jane Doe; editing by John Roe)", "byline, dateline or credit line"),
    ("Jane Doe and John Roe contributed to this report.", "byline, dateline or credit line"),
    ("Tags: transport, council", "byline, dateline or credit line"),
    ("© 2019 The Town Crier. All rights reserved.", "copyright line"),
    ("Photo: Jane Doe/The Town Crier", "photo credit"),
    ("The new lane on Mill Street. (Photo by Jane Doe/Getty Images)", "image caption"),
    ("12 comments", "comments heading"),
    ("___", "separator line"),
])
def test_prompts_bylines_credits_and_captions_are_dropped(line, reason):
    parsed = parse(page(f"<p>{P1}</p><p>{line}</p><p>{P2}</p><p>{P3}</p>"))
    assert texts(parsed) == [P1, P2, P3]
    assert dropped(parsed, reason) == [line]


def test_pull_quote_keeps_its_text_without_the_share_button():
    parsed = parse(page(f"<p>{P1}</p><p>Safer streets are better streets.Click To Tweet</p><p>{P2}</p>"))
    assert "Safer streets are better streets." in texts(parsed)
    assert dropped(parsed, "newsletter, app or share prompt") == ["Click To Tweet"]


def test_image_alt_text_and_caption_are_dropped_and_reported():
    parsed = parse(page(f"<p>{P1}</p><figure><img src='lane.jpg' alt='A cyclist on Mill Street'>"
                        "<figcaption>The first lane opened on Mill Street. Photo: Jane Doe</figcaption></figure>"
                        f"<p>{P2}</p>"))
    assert texts(parsed) == [P1, P2]
    assert dropped(parsed, "image alt text") == ["A cyclist on Mill Street"]
    assert dropped(parsed, "image caption") == ["The first lane opened on Mill Street. Photo: Jane Doe"]


def test_newsletter_heading_and_its_prompt_are_dropped():
    parsed = parse(page(f"<p>{P1}</p><h3>The Morning Newsletter</h3>"
                        f"<h4>Get the day's big stories delivered every morning</h4><p>{P2}</p>"))
    assert texts(parsed) == [P1, P2]
    assert [s.heading for s in parsed.sections] == [""]
    assert sorted(dropped(parsed, "newsletter, app or share prompt")) == [
        "Get the day's big stories delivered every morning", "The Morning Newsletter"]


# --- what the page says about itself ------------------------------------------------------------------


def _meta(html: str, url: str = ""):
    from curate.readers.html import _parse

    return page_metadata(_parse(html), url=url, html_text=html, with_dates=True)


NEWS_HEAD = """
<link rel="canonical" href="/news/2019/11/19/bicycle-lanes">
<meta property="og:site_name" content="The Town Crier">
<meta property="og:title" content="Council approves bicycle lanes | The Town Crier">
<meta property="article:published_time" content="2019-11-19T08:30:00Z">
<meta property="article:modified_time" content="2019-11-20T10:00:00Z">
<meta name="author" content="Jane Doe">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Council approves bicycle lanes", "datePublished": "2019-11-19T08:30:00Z",
 "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
 "publisher": {"@type": "Organization", "name": "The Town Crier"}}</script>
"""


def test_metadata_comes_with_where_it_was_found():
    meta = _meta(page(f"<p>{P1}</p><p>{P2}</p>", head=NEWS_HEAD), url="https://towncrier.example/x?utm=1")
    found = {name: (f.value, f.origin) for name, f in meta.fields() if f is not None}
    assert found == {
        "title": ("Council approves bicycle lanes", "JSON-LD headline"),
        "author": ("Jane Doe and John Roe", "JSON-LD author"),
        "publisher": ("The Town Crier", "JSON-LD publisher"),
        "published": ("2019-11-19", "JSON-LD datePublished"),
        "modified": ("2019-11-20", "Open Graph article:modified_time"),
        "url": ("https://towncrier.example/news/2019/11/19/bicycle-lanes", '<link rel="canonical">'),
        "language": ("en", "<html lang>"),
    }


def test_metadata_without_json_ld_falls_back_to_open_graph_and_meta_tags():
    head = ('<meta property="og:title" content="Council approves bicycle lanes | The Town Crier">'
            '<meta property="og:site_name" content="The Town Crier"><meta name="author" content="Jane Doe">'
            '<meta property="og:url" content="https://towncrier.example/lanes">')
    meta = _meta(page(f"<p>{P1}</p>", head=head).replace('lang="en"', 'lang="en-GB"'))
    assert (meta.title.value, meta.title.origin) == ("Council approves bicycle lanes", "Open Graph og:title")
    assert (meta.author.value, meta.author.origin) == ("Jane Doe", '<meta name="author">')
    assert (meta.url.value, meta.url.origin) == ("https://towncrier.example/lanes", "Open Graph og:url")
    assert meta.language.value == "en"


def test_hostile_metadata_values_become_plain_text_and_bad_addresses_are_dropped():
    head = ('<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="data:text/html,x">'
            '<meta name="author" content="<script>alert(1)</script>Jane &amp; John">')
    meta = _meta(page(f"<p>{P1}</p>", head=head, title="Lanes &lt;b&gt;approved&lt;/b&gt;"))
    assert meta.url is None
    assert meta.author.value == "alert(1) Jane & John"
    assert "<" not in meta.title.value


def test_a_copyright_year_is_not_taken_for_a_publication_date():
    meta = _meta(page(f"<p>{P1}</p><p>{P2}</p>", extra="<p>© 2024 The Town Crier</p>"))
    assert meta.published is None


def test_a_date_in_the_byline_text_is_found():
    meta = _meta(page(f"<p class='byline'>By Jane Doe on November 14, 2019</p><p>{P1}</p><p>{P2}</p>"))
    assert (meta.published.value, meta.published.origin) == ("2019-11-14", "text (found by htmldate)")
    assert (meta.author.value, meta.author.origin) == ("Jane Doe", "text (byline)")


def test_a_page_built_to_be_slow_is_not_extracted():
    # libxml2 takes quadratic time on the attributes of one element, and trafilatura linear time on
    # elements: both are bounded before extraction, so no page makes an import or a build hang.
    flood = parse(page(f"<p>{P1}</p>" + "<i>x</i>" * 100_001))
    assert flood.sections == []
    assert flood.warnings == [(0, ("the page has 100,026 elements (more than 100,000): it is not one article; "
                                   "nothing was extracted"))]
    attributes = " ".join(f'data-a{i}="{i}"' for i in range(1_001))
    bomb = parse(page(f"<p {attributes}>{P1}</p><p>{P2}</p>"))
    assert bomb.sections == []
    assert bomb.warnings == [(0, ("the element on line 6 has more than 1,000 attributes: this is not an article "
                                  "page; nothing was extracted"))]


def test_deeply_nested_markup_gives_no_traceback():
    parsed = parse("<html><body>" + "<div>" * 30_000 + f"<p>{P1}</p>" + "</div>" * 30_000 + "</body></html>")
    assert isinstance(parsed.sections, list)


def test_words_are_counted_in_scripts_written_without_spaces():
    from curate.readers.html import word_count

    assert word_count("The council’s £4m plan, approved 21–9.") == 8
    assert word_count("商品の改造が商標法違反に") == 12
    assert word_count("Kindle for PCの起動") == 6


def test_base_href_does_not_move_the_canonical_address():
    head = '<base href="https://evil.example/"><link rel="canonical" href="/news/lanes">'
    fetched = _meta(page(f"<p>{P1}</p>", head=head), url="https://towncrier.example/news/lanes?ref=rss")
    assert (fetched.url.value, fetched.url.origin) == ("https://towncrier.example/news/lanes", '<link rel="canonical">')
    saved = _meta(page(f"<p>{P1}</p>", head=head))
    assert saved.url is None  # a relative address in a saved file leads nowhere known
