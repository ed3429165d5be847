from . import (
    test_api,
    test_backend_actions,
    test_booking,
    test_concurrency,
    test_event_type_settings,
    test_install,
    test_location_tour,
    test_mail_delivery,
    test_modes,
    test_my_availability,
    test_tour,
    test_zoom,
)
