"""Every email the app sends goes through `mail_send`: rendered from templates, logged without its contents.

A mail called "reminders/email" is three templates: `reminders/email_subject.txt` (one line), `reminders/email.txt`
(the plain text, always sent) and, only if it exists, `reminders/email.html` (sent as the HTML alternative).
The text parts are rendered without HTML escaping, so "&" stays "&" in a plain-text mail; the HTML part is escaped
as usual.

The log line says which kind of mail went to which account id, never the address, the subject or the body: an alert
mail's subject alone says what someone reported about their health.
"""

import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template

logger = logging.getLogger("bfs_tracker.mail")


def _render_text(name: str, context: Mapping) -> str:
    template = get_template(name)
    if not isinstance(template, DjangoTemplate):  # only Django's engine renders with autoescape turned off
        raise TypeError(f"{name}: mail templates must be Django templates")
    return template.template.render(Context(dict(context), autoescape=False))


def mail_send(*, kind: str, to: str, template: str, context: Mapping, user_id: int | None = None) -> None:
    """Send one templated mail to one address.

    `kind` names the mail in the log ("alert", "reminder", "password_reset", ...). A mail server that refuses or
    cannot be reached raises (OSError, which smtplib's errors are) after the failure is logged: the caller decides
    whether the mail may be lost or its transaction must roll back.
    """
    subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=_render_text(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    try:
        html = get_template(f"{template}.html")
    except TemplateDoesNotExist:
        pass
    else:
        message.attach_alternative(html.render(dict(context)), "text/html")
    who = user_id if user_id is not None else "-"
    try:
        message.send()
    except OSError as error:
        logger.warning("mail_failed kind=%s user_id=%s error=%s", kind, who, type(error).__name__)
        raise
    logger.info("mail_sent kind=%s user_id=%s", kind, who)
