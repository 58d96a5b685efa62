"""`faqbot chat`: a local console that answers like the bot, as plain text."""

from __future__ import annotations

from bot.strings import smalltalk, t
from faq.conversation import Conversation
from faq.engine import SMALLTALK, Engine, Reply
from faq.model import Faq

PROMPT = "you> "


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


def run_console(engine: Engine, lang_hint: str | None = None) -> int:
    """Read questions from stdin until EOF or /quit; a number opens a suggestion. One
    conversation throughout, so follow-ups and language memory work as in the bot."""
    print("FAQ console. Ask a question; a number opens a suggestion; /quit leaves.")
    last: Reply | None = None
    conversation = Conversation(engine.config.follow_up_seconds)
    while True:
        try:
            line = input(PROMPT).strip()
        except EOFError:
            print()
            return 0
        if line in ("/quit", "/exit"):
            return 0
        if not line:
            continue
        if last and last.status == "suggest" and line.isdigit():
            number = int(line)
            if 1 <= number <= len(last.suggestions):
                chosen = Reply("answer", last.suggestions[number - 1], (), last.lang, last.score)
                print(describe_reply(engine.faq, chosen), end="\n\n")
                continue
        last = engine.ask(line, lang_hint=lang_hint, conversation=conversation)
        print(describe_reply(engine.faq, last), end="\n\n")
