from . import bookme_booking_cancel, bookme_booking_reschedule
