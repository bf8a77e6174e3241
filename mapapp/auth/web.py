"""Sign-in on the web: sessions (Flask-Login), CSRF (Flask-WTF), lock-out (Flask-Limiter), API tokens.

A request is made by the user of its ``Authorization: Bearer TOKEN`` header, else
by the user of its session cookie, else by the public. Cookie-session requests that
change something carry a CSRF token (forms: a hidden field; scripts: the
``X-CSRFToken`` header); token requests carry no cookie and need none. Only hosts
in ``MAPAPP_TRUSTED_HOSTS`` are served (DNS rebinding).
"""
from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from mapapp.auth import messages  # noqa: F401  (labels register on import)
from mapapp.auth.accounts import PERMISSIONS, authenticate, user_by_id, user_by_token
from mapapp.i18n import current_lang, translate
from mapapp.store import current_store

auth_bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_uri=os.environ.get("MAPAPP_RATELIMIT_STORAGE", "memory://"))

# Failed sign-ins allowed per user name and address before the lock-out (and its length).
LOCKOUT = os.environ.get("MAPAPP_LOCKOUT", "5 per 15 minutes")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def wants_json() -> bool:
    """API and OGC clients get JSON errors; pages get pages."""
    return request.path.startswith(("/api/", "/ogc")) or request.accept_mimetypes.best == "application/json"


def _refuse(status: int, message: str):
    if wants_json():
        response = jsonify(error=message)
        response.status_code = status
        return response
    return render_template("refused.html", message=message, status=status), status


def require(action: str):
    """Route decorator: the signed-in user's role must allow ``action`` (401 if no one, 403 if not allowed)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            user = g.get("mapapp_user")
            lang = current_lang()
            if user is None:
                if not wants_json() and request.method == "GET":
                    return redirect(url_for("auth.login", next=request.full_path, lang=lang))
                return _refuse(401, translate("auth.needed", lang))
            if not user.may(action):
                allowed = ", ".join(translate(f"role.{r}", lang) for r in PERMISSIONS[action])
                return _refuse(403, translate("auth.forbidden", lang, role=translate(f"role.{user.role}", lang),
                                              action=translate(f"action.{action}", lang), allowed=allowed))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def _secret_key(app: Flask) -> str:
    """``MAPAPP_SECRET_KEY``, else one made once and kept in the instance folder (the same for every process)."""
    configured = os.environ.get("MAPAPP_SECRET_KEY")
    if configured:
        return configured
    path = Path(app.instance_path) / "secret_key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def init_app(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    # MAPAPP_TRUSTED_HOSTS, comma-separated; a leading dot allows a domain's subdomains
    app.config["TRUSTED_HOSTS"] = list(app.config["MAPAPP"].trusted_hosts)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("MAPAPP_SECURE_COOKIES", "") in ("1", "true", "yes"),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_CHECK_DEFAULT=False,  # checked below, for cookie sessions only
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    app.register_blueprint(auth_bp)

    @login_manager.user_loader
    def _load(user_id: str):
        return user_by_id(current_store(), user_id)

    @app.before_request
    def _who_and_csrf():
        header = request.headers.get("Authorization", "")
        g.mapapp_token = header.startswith("Bearer ")
        if g.mapapp_token:
            user = user_by_token(current_store(), header[len("Bearer "):].strip())
            if user is None:
                return _refuse(401, "invalid or revoked API token (mapapp user token NAME makes a new one)")
            g.mapapp_user = user
            return None
        g.mapapp_user = current_user if current_user.is_authenticated else None
        if request.method in UNSAFE and (g.mapapp_user is not None or request.endpoint == "auth.login"):
            csrf.protect()
        return None

    @app.errorhandler(CSRFError)
    def _csrf_refused(exc: CSRFError):
        return _refuse(400, translate("auth.csrf", current_lang()) + f" ({exc.description})")

    @app.context_processor
    def _user_context() -> dict:
        return {"user": g.get("mapapp_user"), "roles_allowed": _roles_allowed}


def _roles_allowed(action: str) -> str:
    """The roles that may do ``action``, named in the reader's language (as the 403 names them)."""
    lang = current_lang()
    return ", ".join(translate(f"role.{r}", lang) for r in PERMISSIONS[action])


def _safe_next(target: str | None) -> str:
    """Only paths of this site (no scheme, no host): a sign-in never sends the user elsewhere."""
    if not target:
        return url_for("pages.map_page")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("pages.map_page")
    return target


def _failed(response) -> bool:
    return request.method == "POST" and response.status_code != 303


@auth_bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOCKOUT, methods=["POST"], deduct_when=_failed,
               key_func=lambda: f"{get_remote_address()}|{(request.form.get('name') or '').strip().lower()}",
               error_message=lambda: translate("auth.locked", current_lang(), minutes=15))
def login():
    lang = current_lang()
    error = None
    if request.method == "POST":
        user = authenticate(current_store(), request.form.get("name", ""), request.form.get("password", ""))
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")), code=303)
        error = translate("auth.failed", lang)
    status = 401 if error else 200
    return render_template("login.html", page="login", error=error, name=request.form.get("name", "")), status


@auth_bp.post("/logout")
def logout():
    logout_user()
    flash(translate("auth.sign_out", current_lang()))
    return redirect(url_for("pages.map_page", lang=current_lang()), code=303)


@auth_bp.app_errorhandler(429)
def _locked(exc):
    return _refuse(429, str(exc.description))


def current_actor_name() -> str:
    """The signed-in user's name (a writing route is guarded, so there is one)."""
    user = g.get("mapapp_user")
    if user is None:
        raise RuntimeError("no signed-in user: guard the route with require()")
    return user.name


def via() -> str:
    """How the current request writes: ``api`` (token or JSON) or ``web`` (a page's form)."""
    return "api" if g.get("mapapp_token") or request.path.startswith("/api/") else "web"


__all__ = ["auth_bp", "csrf", "current_actor_name", "init_app", "limiter", "require", "via"]
