"""communique.export: every format written from a known story event, field by field."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from communique.export import FORMATS, write
from communique.export.flat import FLAT_COLUMNS, flat_row
from communique.export.gdelt import GDELT_COLUMNS, gdelt_row, global_event_id
from communique.export.polecat import POLECAT_FIELDS, polecat_record
from communique.lexicon import load_yaml

SENTENCE = ('Pakistani troops shelled a police post in Srinagar on Wednesday, killing three officials, '
            'the "district" police said.')

# A story event as the store produces it: one event, reported by three documents on two sites.
RECORD = {
    "event_id": "s-3f2a9c01",
    "type": "ASSAULT",
    "mode": "aerial",
    "contexts": ["military", "terrorism"],
    "cameo": "195",
    "intensity": -10.0,
    "source": {"text": "Pakistani troops", "name": None, "role": None, "country": "PAK",
               "sectors": ["MIL"]},
    "target": {"text": "police officials", "name": None, "role": "Police Official", "country": "IND",
               "sectors": ["COP", "GOV"]},
    "location": {"name": "Srinagar", "country": "IND", "admin1": "12", "lat": 34.08565,
                 "lon": 74.80555, "geonameid": 1255634, "precision": "place"},
    "date": "2025-05-07",
    "date_precision": "day",
    "fatalities": 3,
    "injuries": 12,
    "negated": False,
    "hypothetical": False,
    "confidence": 0.85,
    "num_sources": 2,
    "num_documents": 3,
    "num_mentions": 4,
    "first_seen": "2025-05-07",
    "last_seen": "2025-05-09",
    "sentence": SENTENCE,
    "url": "https://b.example/story",
    "mentions": [
        {"doc_id": "d2", "url": "https://b.example/story", "title": "Shelling in Srinagar",
         "site": "b.example", "published": "2025-05-08", "sentence": SENTENCE,
         "char_span": [120, 231], "trigger": "shelled", "rule": "assault.shell",
         "event_id": "e2"},
        {"doc_id": "d1", "url": "https://a.example/first", "title": "Three killed",
         "site": "a.example", "published": "2025-05-07", "sentence": SENTENCE,
         "char_span": [0, 111], "trigger": "shelled", "rule": "assault.shell", "event_id": "e1"},
    ],
}

EXPECTED_GDELT = [
    "5149571898098931812",  # GLOBALEVENTID: first 8 bytes of SHA-256("s-3f2a9c01"), >> 1
    "20250507", "202505", "2025",
    "2025.3479",            # 2025 + ((5 - 1) * 30 + 7) / 365
    # Actor1: no name or role, so the country's name; MIL is a CAMEO type
    "PAKMIL", "PAKISTAN", "PAK", "", "", "", "", "MIL", "", "",
    # Actor2: the role is the name; two CAMEO types
    "INDCOPGOV", "POLICE OFFICIAL", "IND", "", "", "", "", "COP", "GOV", "",
    "1",                    # IsRootEvent: d1 reports it in its opening sentence
    "195", "195", "19", "4", "-10.0",
    "4", "2", "3",          # NumMentions, NumSources, NumArticles
    "",                     # AvgTone: not computed
    "0", "", "", "", "", "", "", "",   # Actor1Geo: actors are not placed
    "0", "", "", "", "", "", "", "",   # Actor2Geo
    "4", "Srinagar, India", "IN", "IN12", "", "34.08565", "74.80555", "",
    "20250509000000",       # DATEADDED from last_seen
    "https://a.example/first",  # SOURCEURL: the earliest-published mention
]


def record(**changes):
    r = json.loads(json.dumps(RECORD))
    r.update(changes)
    return r


# --- registry and write() -----------------------------------------------------------------------

def test_formats_registered():
    assert sorted(FORMATS) == ["csv", "gdelt", "jsonl", "parquet", "polecat"]


def test_unknown_format_names_the_known_ones(tmp_path):
    with pytest.raises(ValueError, match=r"unknown export format 'xml'.*csv, gdelt, jsonl, parquet, polecat"):
        write([RECORD], "xml", tmp_path / "out.xml")
    assert not (tmp_path / "out.xml").exists()


def test_unknown_option_is_refused(tmp_path):
    with pytest.raises(ValueError, match="'csv' does not take header"):
        write([RECORD], "csv", tmp_path / "out.csv", header=True)


def test_parquet_needs_a_path():
    with pytest.raises(ValueError, match="give a path"):
        write([RECORD], "parquet", io.StringIO())


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "gdelt", "polecat"])
def test_text_formats_write_to_a_stream_or_a_path_alike(fmt, tmp_path):
    buf = io.StringIO()
    assert write(iter([RECORD, RECORD]), fmt, buf) == 2
    path = tmp_path / f"out.{fmt}"
    assert write([RECORD, RECORD], fmt, path) == 2
    assert path.read_text(encoding="utf-8") == buf.getvalue()


# --- gdelt --------------------------------------------------------------------------------------

def test_gdelt_columns_are_the_61_of_the_codebook():
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:5] == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    assert GDELT_COLUMNS[25:35] == ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode",
                                    "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
                                    "NumArticles", "AvgTone"]
    assert GDELT_COLUMNS[51:] == ["ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
                                  "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat",
                                  "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL"]


def test_gdelt_row_every_field():
    row = gdelt_row(RECORD)
    assert len(row) == 61
    for name, got, want in zip(GDELT_COLUMNS, row, EXPECTED_GDELT):
        assert got == want, name
    assert row == EXPECTED_GDELT


def test_gdelt_file_has_no_header_unless_asked():
    buf = io.StringIO()
    write([RECORD], "gdelt", buf)
    lines = buf.getvalue().split("\n")
    assert lines[1] == "" and len(lines) == 2
    assert lines[0].split("\t") == EXPECTED_GDELT

    buf = io.StringIO()
    write([RECORD], "gdelt", buf, header=True)
    head, first, _ = buf.getvalue().split("\n")
    assert head.split("\t") == GDELT_COLUMNS
    assert first.split("\t") == EXPECTED_GDELT


def test_gdelt_fields_cannot_break_the_row():
    r = record(target={"text": "x", "name": "Tab\tand\nnewline", "role": None, "country": "IND",
                       "sectors": []})
    buf = io.StringIO()
    write([r], "gdelt", buf)
    (line,) = buf.getvalue().splitlines()
    fields = line.split("\t")
    assert len(fields) == 61
    assert fields[16] == "TAB AND NEWLINE"


def test_global_event_id_is_stable_63_bit():
    ids = {global_event_id(f"s-{i}") for i in range(1000)}
    assert len(ids) == 1000
    assert all(0 <= i < 2**63 for i in ids)
    assert global_event_id("s-3f2a9c01") == 5149571898098931812


ROOT_BANDS = [(range(1, 6), 1), (range(6, 9), 2), (range(9, 14), 3), (range(14, 21), 4)]


@pytest.mark.parametrize("root,quad", [(f"{n:02d}", q) for band, q in ROOT_BANDS for n in band])
def test_quad_class_for_every_root(root, quad):
    row = gdelt_row(record(cameo=root + "0"))
    assert row[GDELT_COLUMNS.index("EventRootCode")] == root
    assert row[GDELT_COLUMNS.index("QuadClass")] == str(quad)
    assert polecat_record(record(cameo=root + "0"))["quad_code"] == quad


def test_four_digit_cameo_breaks_into_base_and_root():
    row = gdelt_row(record(cameo="0251"))
    assert [row[GDELT_COLUMNS.index(c)] for c in ("EventCode", "EventBaseCode", "EventRootCode")] \
        == ["0251", "025", "02"]


def test_igo_actor_without_country():
    sco = {"text": "SCO", "name": "Shanghai Cooperation Organisation", "role": None, "country": None,
           "sectors": ["IGO"]}
    row = gdelt_row(record(source=sco))
    assert row[5:15] == ["IGO", "SHANGHAI COOPERATION ORGANISATION", "", "", "", "", "", "IGO", "", ""]
    p = polecat_record(record(source=sco))
    assert p["actor_country"] == "IGO"
    assert p["actor_cow"] is None
    assert p["actor_sectors"] == [] and p["primary_actor_sector"] is None
    un = dict(sco, name="United Nations", text="the UN")
    assert polecat_record(record(source=un))["actor_country"] == "UNO"


def test_event_without_location():
    r = record(location=None)
    row = gdelt_row(r)
    assert row[51:59] == ["0", "", "", "", "", "", "", ""]
    assert len(row) == 61
    flat = flat_row(r)
    assert [flat[k] for k in ("place", "place_country", "admin1", "lat", "lon", "geo_precision")] \
        == [None] * 6
    p = polecat_record(r)
    assert all(p[k] is None for k in ("placename", "city", "country", "latitude", "longitude",
                                      "geonames_id", "country_code"))


def test_no_actors_leave_actor_fields_empty():
    row = gdelt_row(record(source=None, target=None))
    assert row[5:25] == [""] * 20


@pytest.mark.parametrize("loc,expected", [
    # US city and state: the US types, ADM1 from the state's postal code
    ({"name": "Austin", "country": "USA", "admin1": "TX", "lat": 30.27, "lon": -97.74,
      "precision": "place"}, ["3", "Austin, United States", "US", "USTX", "", "30.27", "-97.74", ""]),
    ({"name": "Texas", "country": "USA", "admin1": "TX", "lat": 31.0, "lon": -100.0,
      "precision": "admin1"}, ["2", "Texas, United States", "US", "USTX", "", "31.0", "-100.0", "USTX"]),
    # a country: its FIPS code stands for the ADM1 and the feature
    ({"name": "Pakistan", "country": "PAK", "admin1": None, "lat": 30.0, "lon": 70.0,
      "precision": "country"}, ["1", "Pakistan", "PK", "PK", "", "30.0", "70.0", "PK"]),
    # FIPS codes that differ from ISO: Germany GM, Burkina Faso UV
    ({"name": "Hamburg", "country": "DEU", "admin1": "04", "lat": 53.55, "lon": 10.0,
      "precision": "place"}, ["4", "Hamburg, Germany", "GM", "GM04", "", "53.55", "10.0", ""]),
    # GeoNames' French admin1 codes are not FIPS: no ADM1Code
    ({"name": "Lyon", "country": "FRA", "admin1": "84", "lat": 45.75, "lon": 4.85,
      "precision": "place"}, ["4", "Lyon, France", "FR", "", "", "45.75", "4.85", ""]),
    # Palestine: Gaza and the West Bank are two FIPS countries
    ({"name": "Gaza", "country": "PSE", "admin1": "GZ", "lat": 31.5, "lon": 34.47,
      "precision": "place"}, ["4", "Gaza, Palestine", "GZ", "GZ", "", "31.5", "34.47", ""]),
    ({"name": "Gaza Strip", "country": "PSE", "admin1": None, "lat": 31.4, "lon": 34.4,
      "precision": "region"}, ["5", "Gaza Strip, Palestine", "GZ", "", "", "31.4", "34.4", ""]),
    ({"name": "Jenin", "country": "PSE", "admin1": None, "lat": 32.46, "lon": 35.3,
      "precision": "place"}, ["4", "Jenin, Palestine", "WE", "", "", "32.46", "35.3", ""]),
])
def test_action_geo(loc, expected):
    assert gdelt_row(record(location=loc))[51:59] == expected


def test_area_in_no_country_is_no_gdelt_location():
    loc = {"name": "Middle East", "country": None, "admin1": None, "lat": 29.0, "lon": 41.0,
           "precision": "region"}
    assert gdelt_row(record(location=loc))[51:59] == ["0", "", "", "", "", "", "", ""]


def test_undated_event_falls_back_to_first_seen():
    row = gdelt_row(record(date=None, date_precision="unresolved", first_seen="2025-12-31"))
    assert row[1:5] == ["20251231", "202512", "2025", "2025.9890"]


# --- csv ----------------------------------------------------------------------------------------

EXPECTED_CSV = {
    "event_id": "s-3f2a9c01", "date": "2025-05-07", "date_precision": "day", "type": "ASSAULT",
    "mode": "aerial", "contexts": "military;terrorism", "cameo": "195", "intensity": "-10.0",
    "source_name": "Pakistani troops", "source_country": "PAK", "source_sectors": "MIL",
    "target_name": "police officials", "target_country": "IND", "target_sectors": "COP;GOV",
    "place": "Srinagar", "place_country": "IND", "admin1": "12", "lat": "34.08565",
    "lon": "74.80555", "geo_precision": "place", "fatalities": "3", "injuries": "12",
    "negated": "false", "hypothetical": "false", "confidence": "0.85", "num_sources": "2",
    "num_documents": "3", "num_mentions": "4", "first_seen": "2025-05-07",
    "last_seen": "2025-05-09", "url": "https://b.example/story", "sentence": SENTENCE,
}


def test_csv_header_and_row():
    buf = io.StringIO()
    write([RECORD, record(location=None, mode=None, contexts=[])], "csv", buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert rows[0] == list(FLAT_COLUMNS) == list(EXPECTED_CSV)
    assert dict(zip(rows[0], rows[1])) == EXPECTED_CSV
    second = dict(zip(rows[0], rows[2]))
    assert [second[k] for k in ("mode", "contexts", "place", "lat", "geo_precision")] == [""] * 5
    assert len(rows) == 3


# --- parquet ------------------------------------------------------------------------------------

def test_parquet_round_trip(tmp_path):
    path = tmp_path / "events.parquet"
    assert write([RECORD, record(event_id="s-2", location=None, fatalities=None,
                                 date=None, negated=True)], "parquet", path) == 2
    table = pq.read_table(path)
    types = {"str": pa.string(), "date": pa.date32(), "float": pa.float64(), "int": pa.int64(),
             "bool": pa.bool_()}
    assert table.schema.names == list(FLAT_COLUMNS)
    for name, kind in FLAT_COLUMNS.items():
        assert table.schema.field(name).type == types[kind], name
    first, second = table.to_pylist()
    want = flat_row(RECORD)
    for k in ("date", "first_seen", "last_seen"):
        want[k] = date.fromisoformat(want[k])
    assert first == want
    assert second["event_id"] == "s-2"
    assert second["date"] is None and second["fatalities"] is None and second["lat"] is None
    assert second["negated"] is True
    assert second["num_mentions"] == 4


def test_parquet_with_no_records_still_has_the_schema(tmp_path):
    path = tmp_path / "empty.parquet"
    assert write([], "parquet", path) == 0
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.schema.names == list(FLAT_COLUMNS)


# --- jsonl --------------------------------------------------------------------------------------

def test_jsonl_round_trip_keeps_records_and_unicode():
    r = record(sentence="Défense: «les Ministres» — 国防部")
    buf = io.StringIO()
    write([RECORD, r], "jsonl", buf)
    text = buf.getvalue()
    assert "国防部" in text and "\\u" not in text
    lines = text.splitlines()
    assert [json.loads(line) for line in lines] == [RECORD, r]


# --- polecat ------------------------------------------------------------------------------------

def test_polecat_record_fields():
    p = polecat_record(RECORD)
    assert list(p) == POLECAT_FIELDS
    assert p == {
        "event_id": "s-3f2a9c01", "event_date": "2025-05-07", "event_type": "ASSAULT",
        "event_mode": "aerial", "event_intensity": -10.0, "quad_code": 4,
        "contexts": ["military", "terrorism"],
        "actor_name": None, "actor_country": "PAK", "actor_cow": 770,
        "primary_actor_sector": "MIL", "actor_sectors": ["MIL"], "actor_title": None,
        "actor_name_raw": "Pakistani troops", "wikipedia_actor_id": None,
        "recipient_name": None, "recipient_country": "IND", "recipient_cow": 750,
        "primary_recipient_sector": "COP", "recipient_sectors": ["COP", "GOV"],
        "recipient_title": "Police Official", "recipient_name_raw": "police officials",
        "wikipedia_recipient_id": None,
        "placename": "Srinagar", "city": "Srinagar", "district": None, "province": None,
        "country": "India", "latitude": 34.08565, "longitude": 74.80555, "geonames_id": 1255634,
        "raw_placename": None, "feature_type": None,
        "source": "b.example", "publication_date": "2025-05-07",
        "story_people": None, "story_organizations": None, "story_locations": None,
        "language": None, "version": p["version"],
        "country_code": "IND", "geo_precision": "place", "date_precision": "day", "dead": 3,
        "injured": 12, "negated": False, "hypothetical": False, "confidence": 0.85,
        "num_sources": 2, "num_documents": 3, "num_mentions": 4,
        "url": "https://b.example/story", "event_text": SENTENCE,
    }
    assert re.fullmatch(r"communique-\S+", p["version"])


def test_polecat_sectors_and_countries_follow_plover():
    media = {"text": "journalists", "name": None, "role": None, "country": "XKX",
             "sectors": ["MED", "HLH", "INS", "RAD"]}
    p = polecat_record(record(source=media))
    assert p["actor_country"] == "KOS" and p["actor_cow"] == 347
    assert p["actor_sectors"] == ["JRN", "MED", "REB"]
    sahrawi = {"text": "Polisario", "name": None, "role": None, "country": "ESH", "sectors": ["REB"]}
    p = polecat_record(record(source=sahrawi))
    assert p["actor_country"] == "MAR" and p["actor_sectors"] == ["REB", "PRE"]


def test_polecat_quad_from_type_without_cameo():
    assert polecat_record(record(cameo=None, type="PROTEST"))["quad_code"] == 4
    assert polecat_record(record(cameo=None, type="REQUEST"))["quad_code"] == 3
    assert gdelt_row(record(cameo=None))[26:30] == ["", "", "", ""]


def test_polecat_lines_are_json():
    buf = io.StringIO()
    write([RECORD], "polecat", buf)
    (line,) = buf.getvalue().splitlines()
    assert json.loads(line) == polecat_record(RECORD)


# --- data files ---------------------------------------------------------------------------------

SECTORS = ["GOV", "MIL", "IGO", "REB", "INS", "COP", "CVL", "PTY", "SPY", "NGO", "REL", "JUD", "BUS",
           "CRM", "ELI", "HLH", "HRI", "OPP", "UAF", "REF", "EDU", "AGR", "RAD", "LAB", "LEG", "MED"]


def test_every_sector_has_a_mapping_in_both_formats():
    assert set(load_yaml("export/gdelt.yaml")["cameo_type"]) == set(SECTORS)
    assert set(load_yaml("export/polecat.yaml")["sector"]) == set(SECTORS)


def test_fips_table_covers_every_country_we_code():
    fips = load_yaml("export/gdelt.yaml")["fips"]
    ours = {c["code"] for c in load_yaml("actors/countries.yaml")["countries"]}
    assert ours <= set(fips)
    codes = [v for v in fips.values() if v is not None]
    assert all(isinstance(v, str) and re.fullmatch(r"[A-Z]{2}", v) for v in codes)
    # no FIPS code given to two countries, but Åland, which FIPS counts in Finland
    assert len(codes) == len(set(codes)) + 1 and fips["ALA"] == fips["FIN"] == "FI"
    assert fips["NOR"] == "NO"  # a quoted value: unquoted NO would load as False


def test_cow_codes_are_unique():
    cow = load_yaml("export/polecat.yaml")["cow"]
    assert len(set(cow.values())) == len(cow)


# --- records as the store gives them ------------------------------------------------------------

def test_store_shaped_record_without_actor_text_or_urls():
    """The store's actors carry name, country and sectors only; raw texts are on the mentions."""
    r = {
        "event_id": "s28163acce6da457", "type": "CONSULT", "mode": None, "contexts": [],
        "cameo": "040", "intensity": 2.5,
        "source": {"name": "Rajnath Singh", "country": "IND", "sectors": ["GOV"]},
        "target": {"name": "China", "country": "CHN", "sectors": ["GOV"]},
        "location": {"name": "Qingdao", "country": "CHN", "admin1": "25", "lat": 36.06488,
                     "lon": 120.38042, "geonameid": 1797929, "precision": "place"},
        "date": "2025-06-26", "date_precision": "day", "fatalities": None, "injuries": None,
        "negated": False, "hypothetical": False, "confidence": 0.7, "num_sources": 1,
        "num_documents": 1, "num_mentions": 2, "first_seen": "2025-06-27",
        "last_seen": "2025-06-27", "sentence": "Defence Minister Rajnath Singh ... and China.",
        "url": None,
        "mentions": [
            {"event_id": "m2", "doc_id": "sco", "url": None, "title": None, "site": "pib.gov.in",
             "published": "2025-06-27", "sentence": "In a separate meeting ...",
             "char_span": [1249, 1352], "trigger": "discussions", "rule": "consult.talks",
             "source_text": "Singh", "target_text": "China’s Defence Minister", "lead": False},
            {"event_id": "m1", "doc_id": "sco", "url": None, "title": None, "site": "pib.gov.in",
             "published": "2025-06-27", "sentence": "Defence Minister Rajnath Singh ...",
             "char_span": [0, 250], "trigger": "meetings", "rule": "consult.talks",
             "source_text": "Rajnath Singh", "target_text": "his counterparts (China)",
             "lead": True},
        ],
    }
    row = gdelt_row(r)
    assert len(row) == 61
    assert row[5:8] == ["INDGOV", "RAJNATH SINGH", "IND"]
    assert row[15:18] == ["CHNGOV", "CHINA", "CHN"]
    assert row[25] == "1"
    assert row[51:59] == ["4", "Qingdao, China", "CH", "CH25", "", "36.06488", "120.38042", ""]
    assert row[59:] == ["20250627000000", ""]
    p = polecat_record(r)
    assert p["actor_name_raw"] == "Rajnath Singh"
    assert p["recipient_name_raw"] == "his counterparts (China)"
    assert p["source"] == "pib.gov.in"
    assert flat_row(r)["target_name"] == "China"
