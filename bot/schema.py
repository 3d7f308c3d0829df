"""The layout of offers.db: what bot.sync writes and what bot.store checks before it reads a file.

One place for both sides, so a database that is not whole (a file copied over the
old one half-way, random bytes, another program's ``offers`` table) is refused by
the reader with the reason, instead of failing question by question.
"""

from __future__ import annotations

#: Bump when the database layout changes.
SCHEMA_VERSION = "4"

#: Every table (FTS5 tables by their own name, not their shadow tables) and the columns the readers use.
TABLES: dict[str, tuple[str, ...]] = {
    "offers": ("id", "source_id", "name", "provider", "category", "description", "keywords", "audience",
               "intended_for", "service_area", "service_regions", "service_town_county", "topics", "street", "postcode", "city", "county", "state", "lat", "lon", "geo_approximate",
               "website", "emails", "hours_text", "hours_osm", "by_appointment", "note", "admin_notes",
               "source_url", "source_date", "source_retrieved", "source_listing", "contact_text", "file",
               "line", "content_hash"),
    "contacts": ("id", "offer_id", "position", "name", "role", "room", "emails"),
    "phones": ("id", "offer_id", "contact_id", "number", "kind", "label"),
    "topics": ("id", "label", "words", "related", "not_words"),
    "offer_topics": ("offer_id", "topic_id"),
    "places": ("id", "postcode", "name", "county", "state", "lat", "lon"),
    "counties": ("name", "state", "aliases", "abbreviations", "lat", "lon"),
    "hotlines": ("id", "name", "phones", "hours", "crisis", "description", "source_url", "source_date"),
    "offers_fts": ("name", "provider", "category", "keywords", "description", "city", "county", "contact_text"),
    "search_fts": ("offer_id", "name", "keywords", "body", "place", "people", "extra"),
    "search_docs": ("docid", "offer_id", "lat", "lon", "state", "county", "topics", "primary_topics", "crisis",
                    "always_open", "has_hours", "has_phone", "has_address", "area", "by_residence", "professional",
                    "provider_words", "adults_only", "young_only"),
    "search_topic_geo": ("topic", "lat", "lon", "docid", "is_primary"),
    "search_county_range": ("county", "first", "last"),
    "search_crisis": ("kind", "docid"),
    "search_vocab": ("word", "df", "topic"),
    "search_words": ("word",),
    "search_lemmas": ("form", "lemma"),
    "search_real_words": ("word",),
    "search_places": ("namespace", "key", "name", "lat", "lon", "county", "state", "postcode"),
    "search_place_words": ("word",),
    "semantic_examples": ("id", "kind", "label", "lang", "vector"),
    "semantic_topic_model": ("label", "weights", "trained_on"),
    "crisis_second_examples": ("id", "label", "topic", "model", "vector"),
    "second_topic_model": ("label", "weights", "trained_on"),
    "meta": ("key", "value"),
}

#: Keys the meta table must hold (``offer_count`` is compared with the offers table).
META_KEYS = ("built_at", "offer_count", "input_hash", "builder_hash", "schema_version")
