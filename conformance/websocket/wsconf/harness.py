"""The case registry, the expectations the cases are written with, and the
runner that prints one line per category.

A case is a function of a `Check` (an open connection plus expectations);
it passes when it returns, fails with `CaseFailure`, and passes as
"non-strict" with `NonStrict` (what RFC 6455 allows but a stricter server
would not do, as Autobahn's NON-STRICT)."""

import concurrent.futures
import re
import time
import traceback

from .wire import CLOSE, CaseFailure, Conn, NonStrict, close_payload, describe, frame

CATEGORIES = ["handshake", "framing", "pings", "reserved bits", "opcodes", "fragmentation",
              "utf-8", "close", "limits", "compression"]


class Case:
    def __init__(self, category, name, fn, extensions=None, needs=None):
        self.category, self.name, self.fn = category, name, fn
        self.extensions = extensions
        self.needs = needs  # a Settings attribute that must be true, or None

    @property
    def id(self):
        return "%s/%s" % (self.category, self.name)


REGISTRY = []


def case(category, name, extensions=None, needs=None):
    assert category in CATEGORIES, category

    def register(fn):
        REGISTRY.append(Case(category, name, fn, extensions, needs))
        return fn
    return register


class Settings:
    """What the cases need to know about the server under test."""

    def __init__(self, url, timeout=2.0, quiet=0.2, max_message=16 << 20):
        self.url = url
        self.timeout = timeout          # how long a reply may take
        self.quiet = quiet              # how long "nothing comes back" is watched
        self.max_message = max_message  # the server's message size limit (1009 above it)
        self.deflate = True             # run the permessage-deflate cases


class Check:
    """A connection under test and the expectations the cases use."""

    def __init__(self, settings, extensions=None):
        self.s = settings
        self.conn = Conn(settings.url, settings.timeout, extensions)
        self.extensions = self.conn.extensions
        self.pending = []  # events read ahead and put back (see put_back)

    # ---------------------------------------------------------- sending --
    def send(self, data):
        return self.conn.send(data)

    def send_frame(self, op, payload=b"", **kw):
        return self.conn.send_frame(op, payload, **kw)

    def send_chopped(self, data, piece=1, pause=0.001):
        return self.conn.send_chopped(data, piece, pause)

    def send_streaming(self, data):
        return self.conn.send_streaming(data)

    # -------------------------------------------------------- expecting --
    def put_back(self, ev):
        self.pending.insert(0, ev)

    def event(self, waiting_for, timeout=None):
        if self.pending:
            return self.pending.pop(0)
        try:
            return self.conn.next_event(timeout)
        except TimeoutError:
            raise CaseFailure("nothing within %.1f s while waiting for %s"
                              % (self.s.timeout if timeout is None else timeout, waiting_for)) from None

    def expect(self, *wanted, ordered=True, timeout=None):
        """Events in this order (or any order), each ('text'|'binary'|'ping'|
        'pong', payload)."""
        left = list(wanted)
        while left:
            ev = self.event(" and ".join("%s(%s)" % (k, describe(p)) for k, p in left), timeout)
            got = (ev.kind, ev.payload)
            if got in left and (not ordered or got == left[0]):
                left.remove(got)
                continue
            raise CaseFailure("expected %s(%s), got %r" % (left[0][0], describe(left[0][1]), ev))

    def expect_echo(self, kind, payload, timeout=None):
        self.expect((kind, payload), timeout=timeout)

    def expect_nothing(self, seconds=None):
        """Nothing at all arrives for a while (the server waits for more)."""
        seconds = self.s.quiet if seconds is None else seconds
        if self.pending:
            raise CaseFailure("expected nothing yet, got %r" % self.pending[0])
        try:
            ev = self.conn.next_event(seconds)
        except TimeoutError:
            return
        raise CaseFailure("expected nothing yet, got %r" % ev)

    def expect_close(self, codes, *, before=(), within=None, reply=True, why=""):
        """The server closes: first the events in `before` (in order), then a
        close frame whose code is in `codes` (None: an empty close payload);
        then we answer with a close frame (unless we sent one) and the TCP
        connection must end within the timeout."""
        codes = codes if isinstance(codes, (set, frozenset, tuple, list)) else {codes}
        want = " or ".join("no code" if c is None else str(c) for c in codes)
        started = time.monotonic()
        dropped = []
        for kind, payload in before:
            ev = self.event("%s(%s)" % (kind, describe(payload)), within)
            if ev.kind == "close" and ev.code in codes:
                # Autobahn's NON-STRICT: what came before the failing frame was
                # received but not yet answered when the connection failed.
                dropped.append("%s(%s)" % (kind, describe(payload)))
                self.put_back(ev)
                continue
            if (ev.kind, ev.payload) != (kind, payload):
                raise CaseFailure("expected %s(%s) before the close, got %r"
                                  % (kind, describe(payload), ev))
        ev = self.event("a close frame with %s%s" % (want, why), within)
        if ev.kind == "eof":
            raise CaseFailure("%s without a close frame; expected close %s%s (RFC 6455 7.1.7)"
                              % (repr(ev), want, why))
        if ev.kind != "close":
            raise CaseFailure("expected close %s%s, got %r" % (want, why, ev))
        if ev.code not in codes:
            raise CaseFailure("expected close %s%s, got close %s%s"
                              % (want, why, ev.code, " (%r)" % ev.reason if ev.reason else ""))
        if ev.reason:
            try:
                ev.reason.decode("utf-8")
            except UnicodeDecodeError:
                raise CaseFailure("the close reason is not UTF-8: %r" % ev.reason) from None
        if reply and not self.conn.sent_close:
            self.conn.send_frame(CLOSE, close_payload(ev.code if ev.code not in (None, 1005) else 1000))
        self.expect_eof()
        if dropped:
            raise NonStrict("closed without answering %s, which it had received before the close"
                            " (RFC 6455 does not oblige an endpoint to answer what it has not yet"
                            " processed)" % ", ".join(dropped))
        return time.monotonic() - started

    def expect_eof(self):
        """After the close handshake the server ends the TCP connection
        (RFC 6455 7.1.1: the server closes first); nothing else may come."""
        ev = self.event("the end of the TCP connection after the close handshake")
        if ev.kind != "eof":
            raise CaseFailure("expected the TCP connection to end after the close, got %r" % ev)

    def fail(self, code, *, before=(), why=""):
        """The server must fail the connection with `code` (after echoing `before`)."""
        return self.expect_close({code}, before=before, why=why)

    def close_handshake(self, code=1000, reason=b"", accept=None):
        """We start the close handshake; the server answers with a close frame
        (echoing our code, or 1000; no code when we sent none, or 1000)."""
        self.send_frame(CLOSE, close_payload(code, reason))
        accept = accept if accept is not None else {code, 1000}
        self.expect_close(accept)

    def strict_or_lenient(self, code, lenient, why):
        """Strictly the server fails with `code`; leniently it goes on as if
        the frame were fine, answering with `lenient` (an event tuple): the
        case then passes as non-strict and says `why` it is allowed."""
        ev = self.event("a close frame with %d or %s(%s)" % (code, lenient[0], describe(lenient[1])))
        if (ev.kind, ev.payload) == lenient:
            self.close_handshake()
            raise NonStrict(why)
        self.put_back(ev)
        self.expect_close({code})

    def close(self):
        self.conn.close_socket()


def select_cases(pattern=None):
    from . import (cases_close, cases_data, cases_deflate, cases_fragments,  # noqa: F401
                   cases_frames, cases_utf8)
    chosen = [c for c in REGISTRY if not pattern or pattern in c.id]
    return sorted(chosen, key=lambda c: CATEGORIES.index(c.category))


class Outcome:
    def __init__(self, case, status, detail="", seconds=0.0):
        self.case, self.status, self.detail, self.seconds = case, status, detail, seconds


def run_case(case, settings):
    started = time.monotonic()
    check = None
    try:
        check = Check(settings, case.extensions)
        note = case.fn(check)
        status, detail = "passed", note or ""
    except NonStrict as e:
        status, detail = "non-strict", str(e)
    except CaseFailure as e:
        status, detail = "failed", str(e)
    except (OSError, TimeoutError) as e:
        status, detail = "failed", "socket error: %r" % e
    except Exception:  # a bug in the case itself: say so loudly
        status, detail = "failed", "harness error:\n" + traceback.format_exc()
    finally:
        if check:
            check.close()
    return Outcome(case, status, detail, time.monotonic() - started)


def run_all(cases, settings, out, deviations=None, verbose=False, jobs=1,
            label="known deviations"):
    """Runs the cases, prints per category, returns (passed, failed, deviated,
    outcomes, non_strict). `deviations` maps case ids to why the server is
    known to behave otherwise (the reference server legitimately, or a known
    bug of ours): those failures are printed with the reason and counted
    apart. Non-strict outcomes (what RFC 6455 permits but a stricter server
    would not do) are not passes: they are counted on their own, and the
    caller decides whether the server may have any."""
    deviations = deviations or {}
    totals = [0, 0, 0, 0]
    by_category = {}
    outcomes_in_order = []
    chosen = [c for c in cases if not c.needs or getattr(settings, c.needs, False)]
    # Each case has its own connection, so they may run side by side; the
    # results are reported in the cases' order whatever the finishing order.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for outcome in pool.map(lambda c: run_case(c, settings), chosen):
            by_category.setdefault(outcome.case.category, []).append(outcome)
            outcomes_in_order.append(outcome)
    for category in CATEGORIES:
        outcomes = by_category.get(category)
        if not outcomes:
            continue
        passed = [o for o in outcomes if o.status == "passed"]
        non_strict = [o for o in outcomes if o.status == "non-strict"]
        failed = [o for o in outcomes if o.status == "failed" and o.case.id not in deviations]
        deviated = [o for o in outcomes if o.status == "failed" and o.case.id in deviations]
        line = "%s: %d passed, %d failed" % (category, len(passed), len(failed))
        if non_strict:
            line += ", %d non-strict" % len(non_strict)
        if deviated:
            line += ", %d %s" % (len(deviated), label)
        out(line)
        for o in outcomes:
            if o.status == "failed" and o.case.id not in deviations:
                out("  FAIL %s: %s" % (o.case.id, o.detail))
            elif o.status == "failed":
                out("  %s %s: %s\n    why: %s" % (label[:-1], o.case.id, o.detail,
                                                  deviations[o.case.id]))
            elif o.status == "non-strict":
                out("  non-strict %s: %s" % (o.case.id, o.detail))
            elif verbose:
                out("  ok %s (%.2f s)%s" % (o.case.id, o.seconds, ": " + o.detail if o.detail else ""))
        for o in passed:
            if o.case.id in deviations:
                out("  note %s passed although listed among the %s: remove it from the list"
                    % (o.case.id, label))
        totals[0] += len(passed)
        totals[1] += len(failed)
        totals[2] += len(deviated)
        totals[3] += len(non_strict)
    return totals[0], totals[1], totals[2], outcomes_in_order, totals[3]


def expects_rejection(case):
    """Whether the case is about the server refusing or failing something
    (its name says "-> 1002", "is refused", ...), as opposed to echoing."""
    return bool(re.search(r"(->|then) (10\d\d|failed)|refused|gets an error", case.name))


__all__ = ["case", "Check", "Settings", "CaseFailure", "NonStrict", "frame", "select_cases",
           "run_all"]
