from . import test_api, test_booking, test_concurrency, test_install, test_modes
