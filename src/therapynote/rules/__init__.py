"""The rule engine: ethics and legal rule packs, and the evaluator behind the rule panel.

Pure standard-library Python: no SQL, no UI. The panel is a reminder, not legal advice.
"""

from __future__ import annotations

from .dates import Elapsed, Period, add_period, add_years, elapsed, format_elapsed, parse_period
from .evaluate import (
    AFTER_PERIOD,
    CAVEAT,
    CURRENT_CLIENT,
    IN_FORCE,
    NO_TERMINATION,
    NO_TERMINATION_NOTE,
    PERMANENT,
    RETENTION,
    STATES,
    Evaluation,
    RuleStatus,
    SkippedRule,
    evaluate,
    evaluation_to_json,
    status_to_json,
)
from .facts import ClientFacts, EpisodeFacts
from .loader import (
    PackError,
    all_packs,
    check_pack_file,
    load_builtin_packs,
    load_pack_file,
    load_user_packs,
    parse_pack_text,
)
from .model import VERIFY_TEXT, Anchor, AppliesTo, Confidence, Kind, Rule, RulePack

__all__ = [
    "AFTER_PERIOD",
    "CAVEAT",
    "CURRENT_CLIENT",
    "IN_FORCE",
    "NO_TERMINATION",
    "NO_TERMINATION_NOTE",
    "PERMANENT",
    "RETENTION",
    "STATES",
    "VERIFY_TEXT",
    "Anchor",
    "AppliesTo",
    "ClientFacts",
    "Confidence",
    "Elapsed",
    "EpisodeFacts",
    "Evaluation",
    "Kind",
    "PackError",
    "Period",
    "Rule",
    "RulePack",
    "RuleStatus",
    "SkippedRule",
    "add_period",
    "add_years",
    "all_packs",
    "check_pack_file",
    "elapsed",
    "evaluate",
    "evaluation_to_json",
    "format_elapsed",
    "load_builtin_packs",
    "load_pack_file",
    "load_user_packs",
    "parse_pack_text",
    "parse_period",
    "status_to_json",
]
