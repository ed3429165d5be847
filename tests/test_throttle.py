from odoo.tests import TransactionCase

from ..models.bookme_throttle import client_network


class TestThrottleKeys(TransactionCase):
    """Booking attempts are counted per IPv4 address and per IPv6 /64 network: a client
    rotating addresses inside its /64 is still one client."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("crm_bookme.booking_rate_limit", "3")
        self.Throttle = self.env["bookme.throttle"].sudo()

    def test_client_network(self):
        self.assertEqual(client_network("203.0.113.7"), "203.0.113.7")
        self.assertEqual(client_network("::ffff:203.0.113.7"), "203.0.113.7")
        self.assertEqual(client_network("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64")
        self.assertEqual(client_network("2001:DB8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64")
        self.assertEqual(client_network("fe80::1%eth0"), "fe80::/64")
        self.assertEqual(client_network(None), "unknown")

    def test_ipv6_rotation_inside_a_64_is_one_client(self):
        hits = [self.Throttle._hit_client("book", f"2001:db8:1:2::{n:x}") for n in range(1, 5)]
        self.assertEqual(hits, [True, True, True, False])
        # Another /64 and another IPv4 address have their own counts.
        self.assertTrue(self.Throttle._hit_client("book", "2001:db8:1:3::1"))
        for _n in range(3):
            self.assertTrue(self.Throttle._hit_client("book", "203.0.113.7"))
        self.assertFalse(self.Throttle._hit_client("book", "203.0.113.7"))
        self.assertTrue(self.Throttle._hit_client("book", "203.0.113.8"))
        rows = self.Throttle.search([("key", "=like", "book:%")])
        self.assertEqual(
            {r.key: r.hits for r in rows},
            {
                "book:2001:db8:1:2::/64": 4,
                "book:2001:db8:1:3::/64": 1,
                "book:203.0.113.7": 4,
                "book:203.0.113.8": 1,
            },
        )
