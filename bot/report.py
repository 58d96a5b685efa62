"""The plain-text report of `faqbot report`, for the people who maintain the FAQ."""

from __future__ import annotations

from bot.storage import UNANSWERED, Stats


def render_report(stats: Stats) -> str:
    """Totals and answer rate, unanswered questions, then feedback per topic.

    Keeps the order of `stats`: most frequent unanswered questions and most downvoted topics
    first.
    """
    lines = [
        f"Questions logged: {stats.total}",
        f"  answered {stats.answered}, suggested {stats.suggested}, unanswered {stats.unanswered}",
    ]
    others = sorted(
        (outcome, count)
        for outcome, count in stats.outcomes.items()
        if outcome not in ("answer", "suggest", UNANSWERED)
    )
    if others:
        lines.append("  other: " + ", ".join(f"{outcome} {count}" for outcome, count in others))
    if stats.answer_rate is None:
        lines.append("Answer rate: n/a (no FAQ questions yet)")
    else:
        lines.append(f"Answer rate: {stats.answer_rate:.1%} of {stats.faq_questions} FAQ questions")

    lines += ["", "Unanswered questions (most frequent first):"]
    width = max((len(str(q.count)) for q in stats.top_unanswered), default=1)
    lines += [
        f"  {q.count:>{width}}×  {q.text}  (last {q.last_seen:%Y-%m-%d})"
        for q in stats.top_unanswered
    ] or ["  none"]

    lines += ["", "Feedback per topic (most 👎 first):"]
    width = max((len(str(max(f.up, f.down))) for f in stats.feedback), default=1)
    lines += [
        f"  👍 {f.up:>{width}}  👎 {f.down:>{width}}  {f.topic_id}" for f in stats.feedback
    ] or ["  none"]
    return "\n".join(lines)
