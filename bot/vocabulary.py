"""Match everyday words to the topics of knowledge/topics.yaml.

Used by the import (to link offers to topics) and by the query analysis (to
know what a question is about), so both read words the same way:

- a one-word entry matches a whole word, the start of a longer word when it has
  four letters or more ("sucht" in "Suchtberatung", never "gesucht"), and the
  end of a compound when it has seven or more ("schulden" in "Mietschulden";
  shorter endings such as "arbeit" would make every "Sozialarbeit" a job offer);
- an entry of several words matches that sequence of words;
- a topic's ``not_words`` never show it, though an entry starts or ends them
  ("ferienwohnung" ends like "wohnung" but is no question about housing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.normalize import words as norm_words

if TYPE_CHECKING:  # the search path reads topics as dicts and needs no pydantic model
    from bot.model import Topic

MIN_PREFIX = 4
MIN_SUFFIX = 7


@dataclass(frozen=True)
class TopicHit:
    topic: str
    #: The query words the topic was seen in.
    words: tuple[str, ...]


class TopicMatcher:
    """Finds topic ids in a text; built once from the topics' word lists."""

    def __init__(self, topics: Iterable[tuple[str, Sequence[str]]],
                 not_words: Iterable[tuple[str, Sequence[str]]] = ()) -> None:
        self._exact: dict[str, set[str]] = defaultdict(set)
        #: word -> topics it never shows although an entry starts or ends it ("ferienwohnung": wohnen)
        self._not: dict[str, set[str]] = defaultdict(set)
        for topic_id, entries in not_words:
            for entry in entries:
                for word in norm_words(entry)[-1:]:
                    self._not[word].add(topic_id)
        self._prefix: dict[str, set[str]] = defaultdict(set)
        self._suffix: dict[str, set[str]] = defaultdict(set)
        self._phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._phrase_heads: set[str] = set()
        self.labels: dict[str, str] = {}
        for topic_id, entries in topics:
            for entry in entries:
                tokens = tuple(norm_words(entry))
                if not tokens:
                    continue
                if len(tokens) > 1:
                    self._phrases[tokens].add(topic_id)
                    self._phrase_heads.add(tokens[0])
                    continue
                word = tokens[0]
                self._exact[word].add(topic_id)
                if len(word) >= MIN_PREFIX:
                    self._prefix[word].add(topic_id)
                if len(word) >= MIN_SUFFIX:
                    self._suffix[word].add(topic_id)
        self._max_phrase = max((len(p) for p in self._phrases), default=1)

    def word_topics(self, word: str) -> set[str]:
        """Topics of one canonical word (whole word, compound start or compound end)."""
        found = set(self._exact.get(word, ()))
        for k in range(MIN_PREFIX, len(word)):
            hit = self._prefix.get(word[:k])
            if hit:
                found |= hit
        for k in range(MIN_SUFFIX, len(word)):
            hit = self._suffix.get(word[-k:])
            if hit:
                found |= hit
        if found and word in self._not:
            found -= self._not[word] - self._exact.get(word, set())
        return found

    def hits(self, tokens: Sequence[str]) -> list[TopicHit]:
        """Every topic seen in a list of canonical words, with the words that showed it."""
        found: dict[str, list[str]] = defaultdict(list)
        for i, word in enumerate(tokens):
            for topic in self.word_topics(word):
                found[topic].append(word)
            if word in self._phrase_heads:
                for n in range(2, self._max_phrase + 1):
                    phrase = tuple(tokens[i : i + n])
                    if len(phrase) < n:
                        break
                    for topic in self._phrases.get(phrase, ()):
                        found[topic].extend(phrase)
                    # the last word of a phrase may be the start of a compound
                    if len(phrase[-1]) > MIN_PREFIX:
                        for k in range(MIN_PREFIX, len(phrase[-1])):
                            for topic in self._phrases.get((*phrase[:-1], phrase[-1][:k]), ()):
                                found[topic].extend(phrase)
        return [TopicHit(topic, tuple(dict.fromkeys(ws))) for topic, ws in found.items()]

    def topics(self, text: str) -> set[str]:
        """Topic ids of a free text."""
        return {hit.topic for hit in self.hits(norm_words(text))}


def load_matcher(topics: Iterable[Topic | Mapping[str, Any]]) -> TopicMatcher:
    """A matcher from ``bot.model.Topic`` objects or dicts with ``id`` and ``words``."""
    pairs, never = [], []
    for topic in topics:
        if isinstance(topic, Mapping):
            pairs.append((topic["id"], [*topic["words"], topic.get("label", "")]))
            never.append((topic["id"], list(topic.get("not_words") or ())))
        else:
            pairs.append((topic.id, [*topic.words, topic.label]))
            never.append((topic.id, list(topic.not_words)))
    return TopicMatcher(pairs, never)
