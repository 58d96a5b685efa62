"""`faqbot chat`: a local console that answers like the bot, as plain text."""

from __future__ import annotations

from collections.abc import Callable

from bot.strings import smalltalk, t
from faq.conversation import Conversation
from faq.engine import SMALLTALK, Engine, Reply
from faq.model import Faq

PROMPT = "you> "
QUIT = ("/quit", "/exit")
HELP = """\
Ask a question as you would ask the bot, in Bahasa Indonesia, Bahasa Melayu or English.
Each reply is headed by [language · outcome · topic · score · p(right)].
When the bot offers suggestions, type a suggestion's number to open it, as its buttons do.
/help shows this again; /quit (or Ctrl-D) leaves."""


def describe_reply(faq: Faq, reply: Reply) -> str:
    """The reply as the bot would give it, headed by the language, outcome and score."""
    if reply.status == SMALLTALK:
        return f"[{reply.lang} · {reply.kind}]\n{smalltalk(reply.lang, reply.kind)}"
    header = f"[{reply.lang} · {reply.status}"
    header += f" · {reply.topic_id}" if reply.topic_id else ""
    header += f" · score {reply.score:.2f} · p {reply.confidence:.2f}]"
    if reply.status == "answer" and reply.topic_id:
        text = faq.topics[reply.topic_id].texts[reply.lang]
        return f"{header}\n{text.title}\n\n{text.answer}"
    if reply.status == "suggest":
        lines = [header, t(reply.lang, "did_you_mean")]
        lines += [
            f"  {n}. {faq.topics[topic_id].texts[reply.lang].title}"
            for n, topic_id in enumerate(reply.suggestions, start=1)
        ]
        return "\n".join(lines)
    return f"{header}\n{t(reply.lang, 'dont_know')}"


def _picked(last: Reply | None, line: str) -> Reply | None:
    """The suggestion whose number `line` is, opened as an answer; None if it is not one."""
    if last is None or last.status != "suggest" or not line.isdigit():
        return None
    number = int(line)
    if not 1 <= number <= len(last.suggestions):
        return None
    return Reply("answer", last.suggestions[number - 1], (), last.lang, last.score)


def run_console(
    engine: Engine,
    lang_hint: str | None = None,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> int:
    """Read questions until EOF or /quit; /help explains; a number opens a suggestion. One
    conversation throughout, so follow-ups and language memory work as in the bot."""
    write(f"FAQ console.\n{HELP}\n")
    last: Reply | None = None
    conversation = Conversation(engine.config.follow_up_seconds)
    while True:
        try:
            line = read(PROMPT).strip()
        except EOFError:
            write("")
            return 0
        if line.lower() in QUIT:
            return 0
        if line.lower() == "/help":
            write(f"{HELP}\n")
            continue
        if not line:
            continue
        picked = _picked(last, line)
        if picked is not None:
            write(f"{describe_reply(engine.faq, picked)}\n")
            continue
        last = engine.ask(line, lang_hint=lang_hint, conversation=conversation)
        write(f"{describe_reply(engine.faq, last)}\n")
