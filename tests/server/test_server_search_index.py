"""The server's search index (db/backends/pg_trigram.py, migration 0010): hits on a server
equal a plain regular expression over the stored texts and the file's hits, in Latin,
Cyrillic, Kazakh and non-BMP text with every case pairing the matcher knows; the index is
what PostgreSQL uses; a server where pg_trgm cannot be created still searches, and says so."""

from __future__ import annotations

import psycopg
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcoder.cli.main import main
from kzcoder.core.search.cases import posix_pattern, same_case
from kzcoder.core.search.query import WORD_CHAR, words_of
from kzcoder.db.engine import HEAD_REVISION
from kzcoder.db.queries import raw
from kzcoder.services import documents
from kzcoder.services.project import Project
from kzcoder.services.search.searching import index_notice, search
from tests.server.conftest import fresh_database

# letters whose case pairings are not one-to-one (Turkish i, Kelvin sign, sharp s, final
# sigma, Cyrillic letters with historic forms), Kazakh letters, non-BMP letters with case
# (Deseret) and without (mathematical Fraktur), an emoji, separators
ALPHABET = ("aAbBkKKsSſiIİıßẞσΣςтТоОқҚаАеЕвВᲀᲂәӘғҒңҢөӨұҰүҮһҺіІ"
            "𐐀𐐨𝔘😀0123" + "  ,.-\n")
TEXTS = st.lists(st.text(ALPHABET, min_size=0, max_size=60), min_size=3, max_size=3)


def plain_hits(texts: list[str], word: str, prefix: bool) -> list[tuple[int, int, int]]:
    """Independent of the index: the whole word (or a word it begins) anywhere in each text,
    case ignored, by the regex module that defines the matcher's case pairings."""
    tail = f"{WORD_CHAR}*" if prefix else ""
    pattern = regex.compile(f"(?<!{WORD_CHAR}){regex.escape(word)}{tail}(?!{WORD_CHAR})",
                            regex.IGNORECASE)
    return [(number, *m.span()) for number, text in enumerate(texts, start=1)
            for m in pattern.finditer(text)]


def plain_phrase(texts: list[str], first: str, second: str) -> list[tuple[int, int, int]]:
    """The two words one after the other, anything but a word character between them."""
    pattern = regex.compile(f"(?<!{WORD_CHAR}){regex.escape(first)}(?:(?!{WORD_CHAR}).)+"
                            f"{regex.escape(second)}(?!{WORD_CHAR})",
                            regex.IGNORECASE | regex.DOTALL)
    return [(number, *m.span()) for number, text in enumerate(texts, start=1)
            for m in pattern.finditer(text)]


def fill(project: Project, tmp_path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    for number in (1, 2, 3):
        (folder / f"{number}.txt").write_text(f"placeholder {number}", encoding="utf-8")
    documents.import_paths(project, sorted(folder.iterdir()))


def put(project: Project, texts: list[str]) -> None:
    with project.unit() as session:
        for number, text in enumerate(texts, start=1):
            raw(session).execute("UPDATE documents SET text = ?, length = ? WHERE id = ?",
                                 (text, len(text), number))


def test_server_hits_equal_a_plain_regex_and_the_files(tmp_path, pg_cluster, pg_template):
    with Project.open(fresh_database(pg_cluster, pg_template)) as server, \
            Project.create(tmp_path / "file.kzc") as file:
        fill(server, tmp_path, "server")
        fill(file, tmp_path, "file")

        @settings(max_examples=80, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(texts=TEXTS, data=st.data())
        def check(texts, data):
            words = sorted({w for t in texts for w in words_of(t)}) or ["a"]
            word = data.draw(st.sampled_from(words), label="word")
            # the query in another case, character by character, as a user might type it
            typed = "".join(data.draw(st.sampled_from(sorted(same_case(c))), label="case")
                            for c in word)
            shape = data.draw(st.sampled_from(["word", "prefix", "phrase", "or"]),
                              label="shape")
            put(server, texts)
            put(file, texts)
            if shape == "prefix":
                typed = typed[:data.draw(st.integers(1, len(typed)), label="cut")]
                query, wanted = typed + "*", plain_hits(texts, typed, True)
            elif shape == "phrase":  # two words in a row in one of the texts
                pairs = [(w[i], w[i + 1]) for t in texts
                         for w in [words_of(t)] for i in range(len(w) - 1)]
                pair = data.draw(st.sampled_from(pairs), label="pair") if pairs \
                    else (typed, typed)
                query, wanted = f'"{pair[0]} {pair[1]}"', plain_phrase(texts, *pair)
            elif shape == "or":
                other = data.draw(st.sampled_from(words), label="other")
                query = f"{typed} OR {other}"
                wanted = sorted(set(plain_hits(texts, typed, False))
                                | set(plain_hits(texts, other, False)))
            else:
                query, wanted = typed, plain_hits(texts, typed, False)
            got = [(h.document_id, h.start, h.end) for h in search(server, query)]
            assert got == wanted
            assert [(h.document_id, h.start, h.end) for h in search(file, query)] == wanted

        check()


def test_case_classes_are_the_matchers():
    """Each class is exactly what the regex module matches, over every code point."""
    for char in "kiİßσтқә𐐀𝔘":
        pattern = regex.compile(regex.escape(char), regex.IGNORECASE)
        every = {chr(p) for p in range(0x110000) if not 0xD800 <= p <= 0xDFFF
                 and pattern.fullmatch(chr(p))}
        assert same_case(char) == every, char
    assert posix_pattern("k𐐀") == "[\\u004b\\u006b\\u212a][\\U00010400\\U00010428]"


def test_postgresql_uses_the_trigram_index(pg_cluster, pg_template, tmp_path):
    url = fresh_database(pg_cluster, pg_template)
    with Project.open(url) as project:
        fill(project, tmp_path, "docs")
        notice = index_notice(project)
    assert notice is None
    with psycopg.connect(url) as connection:
        connection.execute("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in connection.execute(
            "EXPLAIN SELECT id FROM documents WHERE text ~ %s", (posix_pattern("protest"),)))
    assert "ix_documents_text_trgm" in plan


def test_without_pg_trgm_search_scans_and_says_so(pg_cluster, tmp_path, capfd):
    """A login that may create tables in the database but not extensions (no CREATE on the
    database): the project is made without the index, search finds the same hits."""
    url = fresh_database(pg_cluster)
    database = url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                      "'plain') THEN CREATE ROLE plain LOGIN PASSWORD 'plain-pw'; END IF; "
                      "END $$")
        admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO plain')
        admin.execute("GRANT ALL ON SCHEMA public TO plain")
    plain = pg_cluster.url(database, user="plain", password="plain-pw")
    texts = ["Protest in Жаңаөзен. PROTESTS", "протест, Протест 𐐀𐐨", "nothing"]
    with Project.create(plain) as project:
        fill(project, tmp_path, "docs")
        put(project, texts)
        assert index_notice(project) is not None
        for word in ("protest", "ПРОТЕСТ", "жаңаөзен", "𐐨𐐨"):
            wanted = plain_hits(texts, word, prefix=False)
            assert [(h.document_id, h.start, h.end) for h in search(project, word)] == wanted
    with psycopg.connect(url) as admin:
        assert admin.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
                             ).fetchone() == (0,)
    capfd.readouterr()
    assert main(["search", plain, "protest"]) == 0
    out, err = capfd.readouterr()
    assert len(out.splitlines()) == len(plain_hits(texts, "protest", prefix=False)) == 1
    assert err.count("\n") == 1 and "no search index" in err


def test_the_search_asks_the_index_and_leaves_the_planner_as_it_was(pg_cluster, pg_template,
                                                                    tmp_path):
    """A search's candidate query runs through the trigram index (not a scan of every
    TOASTed text, which the planner would choose), and the unit's setting is restored."""
    from sqlalchemy import text as sql

    from kzcoder.core.search.query import Term
    from kzcoder.db.backends.pg_trigram import PgTrigram

    with Project.open(fresh_database(pg_cluster, pg_template)) as project:
        fill(project, tmp_path, "docs")
        put(project, ["protest " * 400, "police " * 400, "nothing"])
        with project.unit(read=True) as session:
            session.execute(sql("LOAD 'auto_explain'"))
            session.execute(sql("SET LOCAL auto_explain.log_min_duration = 0"))
            session.execute(sql("SET LOCAL auto_explain.log_level = 'NOTICE'"))
            connection = session.connection().connection.driver_connection
            notices: list[str] = []
            connection.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
            assert PgTrigram().candidates(session, Term(("protest",))) == {1}
            assert session.scalar(sql("SELECT current_setting('enable_seqscan')")) == "on"
    assert any("ix_documents_text_trgm" in n for n in notices), notices


def test_a_0009_server_project_gets_its_index_on_opening(pg_cluster, pg_template, tmp_path):
    """A project published by the previous kzcoder (schema 0009, no index) is upgraded when
    its owner opens it: the index is made, and search finds what it found before."""
    url = fresh_database(pg_cluster, pg_template)
    with Project.open(url) as project:
        fill(project, tmp_path, "docs")
        put(project, ["Жаңаөзен 2011", "nothing", "жаңаөзен"])
    with psycopg.connect(url) as admin:
        admin.execute("DROP INDEX ix_documents_text_trgm")
        admin.execute("DROP TABLE memo_times")  # 0012, which comes after it
        admin.execute("UPDATE alembic_version SET version_num = '0009_history'")
    with Project.open(url) as project:
        assert index_notice(project) is None
        assert [h.document_id for h in search(project, "ЖАҢАӨЗЕН")] == [1, 3]
    with psycopg.connect(url) as admin:
        assert admin.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,)


def test_a_published_project_has_the_index(pg_cluster, sample_server_template):
    url = fresh_database(pg_cluster, sample_server_template)
    with Project.open(url) as project:
        assert index_notice(project) is None
    with psycopg.connect(url) as db:
        assert db.execute("SELECT indexdef FROM pg_indexes WHERE indexname = "
                          "'ix_documents_text_trgm'").fetchone()[0].endswith(
            "USING gin (text gin_trgm_ops)")


def test_a_viewer_and_a_coder_search_as_the_owner_does(pg_cluster, sample_server_template,
                                                       tmp_path, capfd):
    """The index query runs under every role's grants and row-level security."""
    url = fresh_database(pg_cluster, sample_server_template)
    database = url.rsplit("/", 1)[1]
    found = {}
    for name, role in (("vera", "viewer"), ("carl", "coder")):
        secret = tmp_path / f"{name}.pw"
        secret.write_text(f"{name}-pw\n")
        assert main(["members", url, "add", name, "--role", role,
                     "--password-file", str(secret)]) == 0
    capfd.readouterr()
    for name, where in (("owner", url),
                        ("vera", pg_cluster.url(database, user="vera", password="vera-pw")),
                        ("carl", pg_cluster.url(database, user="carl", password="carl-pw"))):
        assert main(["search", where, "protest* OR police", "--json"]) == 0
        out, err = capfd.readouterr()
        assert err == ""
        found[name] = out
    assert found["owner"] == found["vera"] == found["carl"]
    assert len(found["owner"]) > 100
