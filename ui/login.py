"""The web UI's login check, throttled: after a few wrong passwords every attempt (even the right
one) is refused for a while, and each further failure doubles that wait, up to 15 minutes.
Gradio does not tell the check who is asking, so the throttle is per server: a guesser cannot try
more than a handful of passwords per lockout, at the price of locking the real user out meanwhile."""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable

FREE_ATTEMPTS = 5  # wrong passwords before the first lockout
FIRST_LOCKOUT = 30.0  # seconds; doubles with each further failure
MAX_LOCKOUT = 900.0


class ThrottledLogin:
    """``ThrottledLogin(user, password)(username, password) -> bool``, as Gradio's ``auth``."""

    def __init__(self, user: str, password: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._user = user.encode()
        self._password = password.encode()
        self._clock = clock
        self._lock = threading.Lock()
        self.failures = 0
        self.locked_until = 0.0

    def __call__(self, username: str, password: str) -> bool:
        with self._lock:
            now = self._clock()
            if now < self.locked_until:
                return False  # not even checked: a lockout must not reveal a right guess
            right = hmac.compare_digest(str(username).encode(), self._user) & hmac.compare_digest(
                str(password).encode(), self._password
            )
            if right:
                self.failures = 0
                return True
            self.failures += 1
            if self.failures >= FREE_ATTEMPTS:
                wait = min(MAX_LOCKOUT, FIRST_LOCKOUT * 2 ** (self.failures - FREE_ATTEMPTS))
                self.locked_until = now + wait
            return False

    def seconds_left(self) -> float:
        return max(0.0, self.locked_until - self._clock())
