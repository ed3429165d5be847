from . import (
    test_api,
    test_booking,
    test_concurrency,
    test_install,
    test_mail_delivery,
    test_modes,
    test_tour,
)
