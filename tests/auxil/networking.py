"""`OfflineRequest`: the Bot API without a network, for an in-process `Application`.

Every call is recorded with its parameters and answered with a canned result shaped like
Telegram's. Texts sent in HTML are checked as Telegram would (tdlib's entity parser in
`fakebotapi.htmlcheck`), and polls' options and right answers: a call Telegram would refuse
is recorded in `rejections` and answered with the same 400 error.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from fakebotapi.htmlcheck import EntityParseError, parse_html, utf16_len
from telegram.constants import MessageLimit, PollLimit
from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 1_000_001,
    "is_bot": True,
    "first_name": "FAQ Test Bot",
    "username": "faq_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
TEXT_METHODS = ("sendMessage", "editMessageText")


def _poll_problem(params: dict[str, Any]) -> str | None:
    """What Telegram would refuse in a sendPoll: the options, and a quiz's right answer."""
    options = params.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= PollLimit.MAX_OPTION_NUMBER:
        return "poll must have 2-12 options"
    texts = [o if isinstance(o, str) else o.get("text") for o in options]
    if not (isinstance(params.get("question"), str) and all(isinstance(t, str) for t in texts)):
        return "poll question and options must be strings"
    correct = params.get("correct_option_ids") or []
    if params.get("type") == "quiz" and not (len(correct) == 1 and 0 <= correct[0] < len(texts)):
        return "wrong correct option ids specified"
    return None


ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def chat_member(status: str, user_id: int) -> dict[str, Any]:
    member: dict[str, Any] = {
        "status": status,
        "user": {"id": user_id, "is_bot": False, "first_name": "Member"},
    }
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update({"can_be_edited": False, "is_anonymous": False})
        member.update(dict.fromkeys(ADMIN_RIGHTS, True))
    return member


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None


@dataclass
class OfflineRequest(BaseRequest):
    """Records calls in `calls`; `members[(chat_id, user_id)]` answers getChatMember."""

    calls: list[Call] = field(default_factory=list)
    rejections: list[Call] = field(default_factory=list)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    """Methods answered with a 500 error, to test what the bot does when Telegram fails."""

    def __post_init__(self) -> None:
        self._message_ids = itertools.count(10_001)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if name in self.failing:
            self.calls.append(Call(name, params))
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal Server Error")
        problem = self._check(name, params)
        if problem:
            self.rejections.append(Call(name, params, problem))
            return self._error(HTTPStatus.BAD_REQUEST, f"Bad Request: {problem}")
        result = self._result(name, params)
        self.calls.append(Call(name, params, result))
        return HTTPStatus.OK, json.dumps({"ok": True, "result": result}).encode()

    @staticmethod
    def _error(status: HTTPStatus, description: str) -> tuple[int, bytes]:
        body = {"ok": False, "error_code": int(status), "description": description}
        return status, json.dumps(body).encode()

    @staticmethod
    def _check(name: str, params: dict[str, Any]) -> str | None:
        if name == "sendPoll":
            return _poll_problem(params)
        if name not in TEXT_METHODS:
            return None
        text = str(params.get("text", ""))
        try:
            plain = parse_html(text)[0] if params.get("parse_mode") == "HTML" else text
        except EntityParseError as error:
            return f"can't parse entities: {error}"
        if not plain.strip():
            return "message text is empty"
        if utf16_len(plain) > MessageLimit.MAX_TEXT_LENGTH:
            return "message is too long"
        return None

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return BOT_USER
        if name == "getChatMember":
            chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
            return chat_member(self.members.get((chat_id, user_id), "member"), user_id)
        if name == "sendPoll":
            return self._poll_message(params)
        if name in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params["chat_id"])
            message = {
                "message_id": params.get("message_id") or next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
                "text": params.get("text", "…"),
            }
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
            return message
        return True

    def _poll_message(self, params: dict[str, Any]) -> dict[str, Any]:
        options = [
            {
                "text": o if isinstance(o, str) else o["text"],
                "voter_count": 0,
                "persistent_id": str(index),
            }
            for index, o in enumerate(params["options"])
        ]
        poll = {
            "id": str(next(self._message_ids)),
            "question": params["question"],
            "options": options,
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": params.get("is_anonymous", True),
            "type": params.get("type", "regular"),
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
            "correct_option_ids": params.get("correct_option_ids"),
        }
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT_USER,
            "poll": poll,
        }

    # What the bot did -------------------------------------------------------------------

    def sent(self, method: str | tuple[str, ...] = "sendMessage") -> list[Call]:
        """Every successful call to `method` (or to any of several), oldest first."""
        names = (method,) if isinstance(method, str) else method
        return [call for call in self.calls if call.method in names]

    def to(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every successful call to `method`, oldest first."""
        return [call.params for call in self.calls if call.method == method]

    def since(self, mark: int) -> list[Call]:
        return self.calls[mark:]
