"""Book Me's notices reach hosts in their Odoo inbox; the email side is Book Me's own host
email, so nobody gets the same news twice."""


def force_inbox(env, recipients):
    """Under the context key ``bookme_inbox_only``, internal users get the notification in
    their Odoo inbox whatever their notification preference (a ``_notify_get_recipients``
    result, changed in place and returned)."""
    if env.context.get("bookme_inbox_only"):
        for data in recipients:
            if data.get("uid") and not data.get("share"):
                data["notif"] = "inbox"
    return recipients
