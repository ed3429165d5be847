from . import api, google, lock, pages
