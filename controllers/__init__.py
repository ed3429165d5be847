from . import api, pages
