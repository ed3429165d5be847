from zoneinfo import ZoneInfo

from odoo import api, fields, models

from ..models.utils import as_naive, as_utc


class BookmeSlotChoiceMixin(models.AbstractModel):
    """A day and the free times the engine offers that day, for the back-office wizards
    that pick a time (approve with reschedule, reschedule, book for a customer).

    Each wizard says, through its hooks, which fields the offer follows
    (``_slot_depends``), whose zone the times are shown in (:meth:`_slot_host`) and what to
    ask the engine (:meth:`_slot_query`); it computes ``date`` itself and keeps its own
    chosen-time field with :meth:`_slot_kept`."""

    _name = "bookme.slot.choice.mixin"
    _description = "Book Me: a day and one of its free times"

    # The fields the host and the offered times follow (the offer also follows ``date``).
    _slot_depends = ()

    date = fields.Date("Day", compute="_compute_date", store=True, readonly=False)
    tz = fields.Char("Times In", compute="_compute_tz")
    free_slots = fields.Json(compute="_compute_free_slots")

    def _slot_host(self):
        """The user (one record) in whose zone the times are offered and shown."""
        raise NotImplementedError

    def _slot_query(self):
        """``(event_type, keyword arguments of bookme.scheduler._slots)`` for this wizard
        (one record), or ``None`` when there is nothing to offer yet."""
        raise NotImplementedError

    def _compute_date(self):
        raise NotImplementedError

    @api.depends(lambda self: self._slot_depends)
    def _compute_tz(self):
        for wiz in self:
            wiz.tz = wiz._slot_host().tz or "UTC"

    @api.depends(lambda self: (*self._slot_depends, "date"))
    def _compute_free_slots(self):
        """``[{"value": UTC "YYYY-MM-DD HH:MM:SS", "label": "HH:MM"}]`` in the host's zone:
        what the slot picker shows."""
        scheduler = self.env["bookme.scheduler"]
        for wiz in self:
            query = wiz._slot_query() if wiz.date else None
            if not query:
                wiz.free_slots = []
                continue
            etype, options = query
            tz = wiz._slot_host().tz or "UTC"
            start, end = scheduler._window_from_dates(wiz.date, wiz.date, tz)
            zone = ZoneInfo(tz)
            wiz.free_slots = [
                {
                    "value": fields.Datetime.to_string(as_naive(slot.start)),
                    "label": slot.start.astimezone(zone).strftime("%H:%M"),
                }
                for slot in scheduler._slots(etype, start, end, **options)
            ]

    def _slot_kept(self, *candidates):
        """The first of ``candidates`` (datetimes or False) that is one of the offered
        times, else False: a chosen time never outlives the offer it came from."""
        offered = {slot["value"] for slot in self.free_slots or []}
        for candidate in candidates:
            value = candidate and fields.Datetime.to_string(candidate)
            if value in offered:
                return fields.Datetime.to_datetime(value)
        return False

    def _slot_booking_day(self, booking):
        """``booking``'s day in its host's zone (today for no booking)."""
        if not booking.start:
            return fields.Date.context_today(self)
        return as_utc(booking.start).astimezone(ZoneInfo(booking.user_id.tz or "UTC")).date()
