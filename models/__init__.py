from . import (
    bookme_booking,
    bookme_date_availability,
    bookme_event_type,
    bookme_host_lock,
    bookme_location,
    bookme_scheduler,
    calendar_event,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
)
