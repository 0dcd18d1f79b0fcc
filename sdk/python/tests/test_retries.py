import socket
import time
import unittest

from support import AGENT_KEY, UNAVAILABLE, ClientTestCase, Reply, action_answer, approval, problem, run

from portcullis import PortcullisClient, PortcullisConnectionError, PortcullisError, PortcullisTimeoutError

APPROVED = Reply(body=approval("approved"))
SLOW = Reply(body=approval("approved"), delay=1.0)


def rate_limited(retry_after: str) -> Reply:
    return Reply(429, problem(429, "rate_limited", "slow down"), {"Retry-After": retry_after})


class RetriesTest(ClientTestCase):
    def test_a_5xx_on_a_read_is_retried_until_it_succeeds(self):
        self.server.reply(UNAVAILABLE, UNAVAILABLE, APPROVED)

        self.assertEqual("approved", self.client.get_approval("apr_1").status)
        self.assertEqual(3, len(self.server.received))

    def test_after_max_retries_the_last_error_is_raised(self):
        self.server.reply(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, APPROVED)

        with self.assertRaises(PortcullisError) as caught:
            self.client.get_approval("apr_1")

        self.assertEqual(503, caught.exception.status)
        self.assertEqual(3, len(self.server.received))

    def test_max_retries_zero_sends_once(self):
        self.server.reply(UNAVAILABLE, APPROVED)

        with self.assertRaises(PortcullisError):
            PortcullisClient(self.server.url, AGENT_KEY, max_retries=0).get_approval("apr_1")
        self.assertEqual(1, len(self.server.received))

    def test_without_retry_after_the_client_backs_off(self):
        self.server.reply(Reply(502, "bad gateway"), APPROVED)
        started = time.monotonic()

        self.client.get_approval("apr_1")

        # The first backoff is 0.25 to 0.5 s.
        self.assertGreaterEqual(time.monotonic() - started, 0.24)

    def test_a_429_is_retried_after_its_retry_after_with_the_same_body(self):
        self.server.reply(rate_limited("1"), Reply(body={"accepted": 1, "duplicates": 0}))
        started = time.monotonic()

        self.client.log_events("run_1", [{"eventType": "x", "sequenceNo": 2}])

        self.assertGreaterEqual(time.monotonic() - started, 0.99)
        first, second = self.server.received
        self.assertEqual(first.body, second.body)

    def test_a_retry_after_over_a_minute_is_not_waited_out_but_given_to_the_caller(self):
        self.server.reply(rate_limited("120"), APPROVED)

        with self.assertRaises(PortcullisError) as caught:
            self.client.get_approval("apr_1")

        self.assertTrue(caught.exception.is_rate_limited)
        self.assertEqual(120.0, caught.exception.retry_after)
        self.assertEqual(1, len(self.server.received))

    def test_a_4xx_other_than_429_is_never_retried(self):
        self.server.reply(Reply(409, problem(409, "conflict", "sequence 2 has other content")), APPROVED)

        with self.assertRaises(PortcullisError) as caught:
            self.client.log_events("run_1", [{"eventType": "x", "sequenceNo": 2}])

        self.assertTrue(caught.exception.is_conflict)
        self.assertEqual(1, len(self.server.received))

    def test_a_time_out_on_a_read_is_retried_then_raised_as_a_timeout(self):
        self.server.reply(SLOW, SLOW, SLOW)

        with self.assertRaises(PortcullisTimeoutError):
            self.impatient_client().get_approval("apr_1")
        self.assertEqual(3, len(self.server.received))

    def test_a_dropped_connection_on_a_read_is_retried(self):
        self.server.reply(Reply(reset=True), APPROVED)

        self.assertEqual("approved", self.client.get_approval("apr_1").status)
        self.assertEqual(2, len(self.server.received))

    def test_request_action_retries_with_the_same_idempotency_key_in_header_and_body(self):
        self.server.reply(UNAVAILABLE, Reply(reset=True), Reply(body=action_answer("block")))

        self.client.request_action("run_1", "refund.create", {"amount": 1})

        self.assertEqual(3, len(self.server.received))
        keys = {r.headers["idempotency-key"] for r in self.server.received} | {r.body["idempotencyKey"] for r in self.server.received}
        self.assertEqual(1, len(keys))

    def test_start_run_is_not_retried_once_the_request_may_have_reached_the_server(self):
        self.server.reply(UNAVAILABLE)
        with self.assertRaises(PortcullisError):
            self.client.start_run("t")
        self.server.reply(Reply(reset=True))
        with self.assertRaises(PortcullisConnectionError):
            self.client.start_run("t")
        self.server.reply(SLOW)
        with self.assertRaises(PortcullisTimeoutError):
            self.impatient_client().start_run("t")

        self.assertEqual(3, len(self.server.received))

    def test_start_run_is_retried_on_a_429_which_the_server_refuses_before_doing_anything(self):
        self.server.reply(rate_limited("0"), Reply(201, {"runId": "run_1", "status": "running"}))

        self.assertEqual("run_1", self.client.start_run("t").run_id)
        self.assertEqual(2, len(self.server.received))

    def test_start_run_is_retried_when_the_connection_is_refused(self):
        client = PortcullisClient(f"http://127.0.0.1:{_closed_port()}", AGENT_KEY)
        opener = client._transport._opener
        attempts = []
        original = opener.open
        opener.open = lambda *args, **kwargs: attempts.append(1) or original(*args, **kwargs)

        with self.assertRaises(PortcullisConnectionError) as caught:
            client.start_run("t")

        self.assertNotIsInstance(caught.exception, PortcullisTimeoutError)
        self.assertEqual(3, len(attempts))

    def test_end_run_is_retried_and_a_409_run_ended_after_a_lost_answer_is_raised_as_a_conflict(self):
        self.server.reply(UNAVAILABLE, Reply(body=run()))
        self.assertEqual("completed", self.client.end_run("run_1", "completed").status)

        self.server.reply(Reply(reset=True), Reply(409, problem(409, "run_ended", "the run has ended")))
        with self.assertRaises(PortcullisError) as caught:
            self.client.end_run("run_1", "completed")

        self.assertEqual("run_ended", caught.exception.code)
        self.assertEqual(4, len(self.server.received))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    unittest.main()
