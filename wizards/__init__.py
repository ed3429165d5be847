from . import (
    bookme_availability,
    bookme_availability_date,
    bookme_availability_leave,
    bookme_availability_weekly,
    bookme_book_customer,
    bookme_booking_approve,
    bookme_booking_cancel,
    bookme_booking_decline,
    bookme_booking_reschedule,
    bookme_slot_choice,
    mail_compose_message,
)
