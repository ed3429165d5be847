import functools
import itertools
import logging
import random
import time

import psycopg2
from psycopg2.errors import SerializationFailure

from odoo import http
from odoo.exceptions import ConcurrencyError, UserError, ValidationError
from odoo.http import request

from ..exceptions import BookmeError
from . import common, validation

_logger = logging.getLogger(__name__)
API = "/book/api/v1"
# Booking changes of one host are serialised by its lock row (bookme.host.lock): in a burst
# a request can lose that race many times in a row, and Odoo retries a request only 5
# times before answering 500 (bench/mail_faults.py saw it: 100 bookings, 10 at a time, of
# one host). The API retries the endpoint itself this many times first.
LOST_RACE_RETRIES = 10


def json_response(payload, status=200):
    return request.make_json_response(payload, status=status)


def error_response(exc):
    return json_response(
        {"error": {"code": exc.code, "message": str(exc.args[0]), "field": exc.field}},
        status=exc.status,
    )


def read_json_body():
    """The request's JSON object (see :func:`.validation.json_body`)."""
    return validation.json_body()


def _throttle_verdict():
    """Count this request's booking attempt once, even when Odoo retries the request after
    a serialization failure (the count is committed apart, so a retry would count again)."""
    environ = request.httprequest.environ
    if "bookme.throttle_ok" not in environ:
        environ["bookme.throttle_ok"] = (
            request.env["bookme.throttle"].sudo()._hit_client("book", request.httprequest.remote_addr)
        )
    return environ["bookme.throttle_ok"]


def api_route(route, throttle=False, body=False, **kw):
    """A public JSON route. A refused request is rolled back (it writes nothing), and
    every error becomes the contract's error object; no traceback ever reaches the
    visitor. Database concurrency errors go up to Odoo, which retries the whole request.
    With ``body``, the request must be ``application/json`` (checked before anything
    else) and the endpoint gets its object as ``data``. With ``throttle``, attempts are
    counted per client (its address, or its /64 network for IPv6) first (in the database,
    across workers), committed at once (refused attempts count too, and the counter row
    is not held while the booking runs), and refused with 429 over the limit. The booking
    actions commit themselves before their outside calls (``_bookme_public_*``)."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, *args, **kwargs):
            cr = request.env.cr
            if body:
                try:
                    kwargs["data"] = validation.json_body()
                except BookmeError as exc:
                    return error_response(exc)
            if throttle:
                allowed = _throttle_verdict()
                # Counted for good (in a transaction of its own; under the test runner, which
                # shares one transaction, this keeps it), even if the request is refused.
                cr.commit()  # pylint: disable=invalid-commit
                if not allowed:
                    return error_response(
                        common.bad(
                            "throttled",
                            request.env._(
                                "Too many booking attempts. Please wait a few minutes and try again."
                            ),
                            status=429,
                        )
                    )
            for attempt in itertools.count(1):
                try:
                    return func(self, *args, **kwargs)
                except BookmeError as exc:
                    cr.rollback()
                    return error_response(exc)
                except (SerializationFailure, ConcurrencyError):
                    if attempt > LOST_RACE_RETRIES:
                        raise
                    # Lost the race for the host's lock to another worker: try again on
                    # a fresh snapshot (which sees the winner's booking) after a short,
                    # random, growing pause.
                    cr.rollback()
                    time.sleep(random.uniform(0.005, 0.02 * 2 ** min(attempt, 5)))
                except psycopg2.Error:
                    raise
                except (UserError, ValidationError) as exc:
                    cr.rollback()
                    return error_response(common.bad("invalid", str(exc.args[0])))
                except Exception:
                    cr.rollback()
                    _logger.exception("Book Me API: unexpected error on %s", request.httprequest.path)
                    return error_response(
                        common.bad(
                            "server_error",
                            request.env._("Something went wrong on our side. Please try again."),
                            status=500,
                        )
                    )

        return http.route(route, type="http", auth="public", csrf=False, save_session=False, **kw)(wrapper)

    return decorator


class BookmeApi(http.Controller):
    """Book Me's JSON API v1 (see the README's contract section)."""

    @api_route(f"{API}/<string:host_slug>/<string:type_slug>/slots", methods=["GET"], readonly=True)
    def slots(self, host_slug, type_slug, **params):
        host = common.find_host(host_slug)
        etype = common.find_type(host, type_slug)
        tz = common.parse_tz(params.get("tz"), params.get("tz") or host.tz)  # host.tz: one more read
        date_from, date_to = common.parse_window(params, tz)
        moving = common.booking_to_move(params.get("booking"), etype)
        return json_response(common.slots_payload(etype, date_from, date_to, tz, exclude_booking=moving))

    @api_route(
        f"{API}/<string:host_slug>/<string:type_slug>/bookings", methods=["POST"], throttle=True, body=True
    )
    def book(self, host_slug, type_slug, data=None, **_kw):
        host = common.find_host(host_slug)
        etype = common.find_type(host, type_slug)
        values = common.parse_booking_input(data, etype)
        invite = common.parse_invite(data.get("invite"), host)
        booking, email_sent = request.env["bookme.booking"].sudo()._bookme_public_book(etype, values, invite)
        payload = booking._bookme_public_dict(values["guest_tz"])
        payload["email_sent"] = email_sent
        return json_response({"booking": payload}, status=201)

    @api_route(f"{API}/bookings/<string:token>/cancel", methods=["POST"], body=True)
    def cancel(self, token, data=None, **_kw):
        booking = common.find_booking(token)
        reason = validation.cancel_reason(data.get("reason"))
        booking._bookme_public_cancel(reason=reason)
        return json_response({"booking": booking._bookme_public_dict()})

    @api_route(f"{API}/bookings/<string:token>/reschedule", methods=["POST"], body=True)
    def reschedule(self, token, data=None, **_kw):
        booking = common.find_booking(token)
        start = common.parse_start(data.get("start"))
        booking._bookme_public_reschedule(start)
        return json_response({"booking": booking._bookme_public_dict()})
