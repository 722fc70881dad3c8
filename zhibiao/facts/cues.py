"""The cue words of the fact stage, read once from the lexicons by concept, as word sets and as patterns."""

from __future__ import annotations

import functools
import re
from typing import Any

from .. import lexicon

# what the fact stage reads, lexicon by lexicon (zhibiao/lexicons/NAME.yaml); every name is unique
_READS = {
    "phrases": ("strip_lead", "strip_tail", "change_verbs", "stop_after", "bound_words", "before_noun", "verbs", "object_verbs", "subject_verbs", "prepositions",
                "measure_words", "empty", "qualifier_stop", "area_words", "total", "new_prefix",
                "subject_heads", "notes", "bullets",
                "first_of_kind", "threshold_verbs", "back_heads", "streak", "streak_adverbs", "demonstratives", "streak_lead", "streak_length", "rank_verbs",
                "divide_verbs", "part_words", "class_words", "cover_verbs", "class_lead", "class_name"),
    "projects": ("entity_heads", "entity_lead", "entity_generic", "group_words", "this_entity", "project_only",
                 "of_project", "power_plant", "yearly_output", "capacity_after"),
    "places": ("whole_area", "own_area", "national", "place_words", "area_kinds"),
    "now": ("now", "stock", "timeless", "after_completion", "report_relative"),
    "lists": ("respectively", "shared_rank", "rank_frame", "indicator_nouns", "growth_words",
              "rank_run_on"),
    "comparison": ("base_before", "scope_after", "title_before", "source_before", "change_from", "change_to"),
    "plans": ("after_time_word", "heading", "results_in_plans", "estimate", "secured", "strong", "task",
              "completion_of", "plan_nouns", "done_words"),
    "measures": ("new_value",),
    "checks": ("parts_cues",),
}


@lexicon.reader
def cues() -> dict[str, Any]:
    """Every cue list the fact stage reads, by name."""
    out: dict[str, Any] = {}
    for name, keys in _READS.items():
        for key, value in lexicon.cues(name).take(*keys).items():
            if key in out:
                raise lexicon.LexiconError(f"lexicon {name}.yaml: the fact stage reads {key!r} from two lexicons")
            out[key] = value
    return out


@functools.cache
def rx(name: str) -> re.Pattern:
    """The words of a cue list as one pattern, longest first (so that 全市第 wins over 全市)."""
    words = sorted(cues()[name], key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@functools.cache
def rx_end(name: str, repeat: bool = False) -> re.Pattern:
    """The words of a cue list at the end of a string (once, or repeated)."""
    return re.compile(f"(?:{rx(name).pattern}){'+' if repeat else ''}$")


@functools.cache
def rx_start(name: str) -> re.Pattern:
    """The words of a cue list at the start of a string, in the order they are listed."""
    return re.compile("^(?:" + "|".join(re.escape(w) for w in cues()[name]) + ")")
