from odoo import api, fields, models


class BookmeEventType(models.Model):
    """The reminders of a type's bookings: Odoo calendar reminders (``calendar.alarm``), put
    on each booked calendar event (a group session's shared event too), so that Odoo's own
    reminder cron emails the guest (and notifies the host) before the appointment."""

    _inherit = "bookme.event.type"

    alarm_ids = fields.Many2many(
        "calendar.alarm",
        "bookme_event_type_calendar_alarm_rel",
        "event_type_id",
        "alarm_id",
        string="Reminders",
        default=lambda self: self._bookme_default_alarms(),
        help="Sent before each booked appointment by Odoo's calendar reminders: emails go to "
        "the guest and the host, notifications to the host. New types start with an email "
        "24 hours and 1 hour before.",
    )

    @api.model
    def _bookme_default_alarms(self):
        alarms = self.env["calendar.alarm"]
        for xmlid in ("crm_bookme.alarm_mail_24h", "crm_bookme.alarm_mail_1h"):
            alarms |= self.env.ref(xmlid, raise_if_not_found=False) or alarms
        return alarms
