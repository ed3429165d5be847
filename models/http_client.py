"""What the Zoom and Google clients share: one HTTP call with a timeout, an error that
says how a call failed (and never holds a secret), and the JSON answer checked. Plain
Python, no database: it can run after a rollback, outside any transaction."""

from urllib.parse import urlsplit

import requests


class OutsideCallError(Exception):
    """A call to an outside service failed. ``kind`` says how (``config``, ``auth``,
    ``connect``, ``timeout``, ``http``, ``answer``); ``detail`` is technical, in English,
    and never contains a secret."""

    def __init__(self, kind, detail="", status=None):
        head = f"{kind} {status}" if status else kind
        super().__init__(f"{head}: {detail}" if detail else head)
        self.kind = kind
        self.detail = detail
        self.status = status


class HttpClient:
    """The base of a service's client: ``error_class`` is the error it raises,
    ``timeout`` the seconds each call may take, ``client_secret`` the secret never shown."""

    error_class = OutsideCallError
    timeout = 10
    client_secret = None

    def _scrub(self, text, *secrets):
        for secret in (self.client_secret, *secrets):
            if secret:
                text = text.replace(secret, "***")
        return text

    def _error_message(self, body):
        """The message in the JSON body of an error answer."""
        raise NotImplementedError

    def _error_kind(self, status):
        """The error's ``kind`` for an error answer with HTTP ``status``."""
        return "http"

    def _call(self, method, url, token=None, **kwargs):
        """``requests.request(method, url, **kwargs)``; an error answer, a timeout or no
        connection raises ``error_class`` (``token`` is scrubbed from its detail)."""
        try:
            response = requests.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise self.error_class("timeout", urlsplit(url).netloc) from exc
        except requests.RequestException as exc:
            raise self.error_class("connect", urlsplit(url).netloc) from exc
        if response.status_code >= 400:
            try:
                message = self._error_message(response.json())
            except ValueError:
                message = response.text or ""
            message = self._scrub(str(message), token)[:200].strip()
            raise self.error_class(
                self._error_kind(response.status_code), message, status=response.status_code
            )
        return response

    def _json(self, response, *keys):
        """The answer's JSON object, which must hold a value for each of ``keys``."""
        try:
            data = response.json()
        except ValueError as exc:
            raise self.error_class("answer", "not JSON") from exc
        if not isinstance(data, dict) or any(not data.get(key) for key in keys):
            raise self.error_class("answer", f"missing {', '.join(keys)}")
        return data
