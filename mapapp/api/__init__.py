"""The JSON API: layers as GeoJSON, search, conflicts."""
from flask import Blueprint, jsonify

from mapapp.errors import ConfirmationNeeded
from mapapp.refusals import LANGS, Reason, line

api_bp = Blueprint("api", __name__, url_prefix="/api")


def bad_request(message: str, status: int = 400):
    """400 (or ``status``) with a JSON ``error`` that says what the request should have been; a :class:`Reason`
    adds ``message`` ({"vi": …, "en": …}), the line a page shows in its language."""
    said = {"message": {lang: line(lang, message) for lang in LANGS}} if isinstance(message, Reason) else {}
    response = jsonify(error=message, **said)
    response.status_code = status
    return response


def refused(exc) -> object:
    """400 for a refused write (a :class:`mapapp.errors.MapappError`): ``error`` in English, stable for scripts,
    and ``message`` ({"vi": …, "en": …}), the line a page shows in its language."""
    response = jsonify(error=str(exc), message=exc.messages())
    response.status_code = 400
    return response


def json_with_confirm(example: str):
    """The request's JSON object without its ``confirm`` flag, and the flag (default false).

    Returns ``(body, confirm, None)``, or ``(None, False, response)`` with a 400 that shows ``example``
    when the body is not a JSON object (invalid JSON, or another JSON value) or ``confirm`` is not a
    boolean (never coerced: "yes" is refused); a 415 saying the same when the body is not sent as JSON.
    """
    from flask import request

    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        if not request.is_json:  # another media type: 415 (RFC 9110 §15.5.16), saying what to send
            return None, False, bad_request(Reason("request.not_json_type", example=example), 415)
        why = "request.invalid_json" if body is None else "request.not_object"
        return None, False, bad_request(Reason(why, example=example))
    confirm = body.pop("confirm", False)
    if not isinstance(confirm, bool):
        return None, False, bad_request(Reason("request.confirm_bool"))
    return body, confirm, None


def confirmation_needed(warnings: list, what: str):
    """409 listing the warnings a write raised: the same request with ``"confirm": true`` saves it.

    ``warnings`` in English (as raised), ``warning_messages`` ({"vi": […], "en": […]}) as a page shows them."""
    response = jsonify(error=f"confirm to save: send the same {what} with \"confirm\": true", warnings=warnings,
                       warning_messages=ConfirmationNeeded(warnings).warning_lines())
    response.status_code = 409
    return response


from mapapp.api import conflicts, downloads, layers, projects  # noqa: E402,F401  (routes register on import)
