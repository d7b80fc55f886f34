"""No cookie for visitors who only read: the session cookie comes with a form, or a login.

CKAN stores the CSRF token of its forms in the session, and renders a token on every page (the
``<meta>`` tag for its JavaScript and the footer's language form), so every anonymous page set
the ``ckan`` session cookie. Here a page sets it only when it shows a form that needs the token
(``h.csrf_input``: log in, register, reset a password, take part) or when the session holds
anything else (a login, a flash message). Decision note 0601: both are technically necessary
(§ 25 Abs. 2 Nr. 2 TDDDG); nothing else is set.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import g, session

CSRF_SESSION_KEY = "_csrf_token"
FORM_FLAG = "datenraum_page_has_csrf_form"


@tk.chained_helper
def csrf_input(next_helper):
    """``h.csrf_input``: remembers that this page has a form whose token the session must keep."""
    setattr(g, FORM_FLAG, True)
    return next_helper()


def drop_needless_session(response):
    """Flask ``after_request``: forget a session that holds nothing but an unused CSRF token.

    Runs before Flask saves the session, so an emptied, unmodified session sets no cookie.
    """
    try:
        if (
            set(session.keys()) == {CSRF_SESSION_KEY}
            and session.modified
            and not getattr(g, FORM_FLAG, False)
        ):
            session.pop(CSRF_SESSION_KEY)
            session.modified = False
    except RuntimeError:  # no request context
        pass
    return response
