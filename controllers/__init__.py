from . import api, lock, pages
