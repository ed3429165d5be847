import ipaddress

from odoo import api, fields, models, modules
from odoo.sql_db import Cursor

DEFAULT_LIMIT = 20  # booking attempts per address and window (an office shares one address)
DEFAULT_WINDOW = 600  # seconds
IPV6_PREFIX = 64  # one IPv6 client (a home, a phone) gets a whole /64 and may rotate in it


def client_network(address):
    """The throttle's name for a client address: an IPv4 address as is (an IPv4-mapped
    IPv6 address as its IPv4 address), an IPv6 address as its /64 network. Whatever is
    not an address is kept as text (bounded), so it is still counted."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "unknown")[:64]
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return str(ip)
    return str(ipaddress.IPv6Network((int(ip), IPV6_PREFIX), strict=False))


class BookmeThrottle(models.Model):
    """Counts public booking attempts per client address and time window, in the
    database: every Odoo worker and machine shares the count.

    One row per (key, window); the count is bumped by a single atomic upsert, in a
    transaction of its own that commits at once: the booking request's transaction never
    holds the counter's row, so requests from one address (an office, a load test) neither
    wait for each other on it nor fail and retry on it, and an attempt counts even when the
    booking is refused.
    """

    _name = "bookme.throttle"
    _description = "Book Me request throttle"
    _log_access = False

    key = fields.Char(required=True)
    window_start = fields.Datetime(required=True)
    hits = fields.Integer(default=0)

    _key_window_unique = models.Constraint("unique(key, window_start)", "One counter per key and window.")

    @api.model
    def _hit_client(self, scope, address):
        """Count one ``scope`` attempt (e.g. ``book``) of the client at ``address``
        (see :func:`client_network`); False when it goes over the limit."""
        return self._hit(f"{scope}:{client_network(address)}")

    @api.model
    def _hit(self, key):
        """Count one attempt for ``key``; False when it goes over the limit."""
        icp = self.env["ir.config_parameter"].sudo()
        limit = int(icp.get_param("crm_bookme.booking_rate_limit", DEFAULT_LIMIT))
        window = max(1, int(icp.get_param("crm_bookme.booking_rate_window", DEFAULT_WINDOW)))
        if limit <= 0:
            return True
        test = modules.module.current_test
        if not isinstance(self.env.cr, Cursor) or (test and getattr(test, "cr", None) is self.env.cr):
            # Under the test runner everything shares the test's transaction: count there.
            return self._bump(self.env.cr, key, window) <= limit
        with self.env.registry.cursor() as cr:
            # Wait for a concurrent bump and add to it, instead of the serialization
            # failure REPEATABLE READ would raise.
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            return self._bump(cr, key, window) <= limit

    @api.model
    def _bump(self, cr, key, window):
        cr.execute(
            """
            INSERT INTO bookme_throttle (key, window_start, hits)
            VALUES (%(key)s,
                    to_timestamp(floor(extract(epoch FROM now() AT TIME ZONE 'UTC')
                                       / %(window)s) * %(window)s) AT TIME ZONE 'UTC',
                    1)
            ON CONFLICT (key, window_start) DO UPDATE SET hits = bookme_throttle.hits + 1
            RETURNING hits
            """,
            {"key": key[:200], "window": window},
        )
        return cr.fetchone()[0]

    @api.autovacuum
    def _gc_old_windows(self):
        self.env.cr.execute(
            "DELETE FROM bookme_throttle WHERE window_start < (now() AT TIME ZONE 'UTC') - interval '1 day'"
        )
