import re
import time
import unittest

from support import ClientTestCase, Reply, approval, execution

PENDING = Reply(body=approval())


class WaitForApprovalTest(ClientTestCase):
    def test_long_polls_until_decided_and_returns_the_approval_with_its_execution(self):
        self.server.reply(PENDING, Reply(body=approval("approved", execution=execution())))

        result = self.client.wait_for_approval("apr_1", timeout=2.999, poll_interval=0.01)

        self.assertEqual(("approved", "usr_1", "exe_1", 12), (result.status, result.decided_by, result.execution.id, result.policy_revision))
        self.assertEqual("/api/approvals/apr_1?waitSeconds=2", self.server.received[0].path)
        self.assertRegex(self.server.received[1].path, r"^/api/approvals/apr_1\?waitSeconds=[12]$")

    def test_asks_for_at_most_60_seconds_per_long_poll(self):
        self.server.reply(Reply(body=approval("rejected")))

        self.client.wait_for_approval("apr_1", timeout=600)

        self.assertEqual("/api/approvals/apr_1?waitSeconds=60", self.server.received[0].path)

    def test_a_held_long_poll_does_not_count_against_the_request_time_out(self):
        # The client's time-out is 0.3 s; the server holds the poll for 0.8 s of the 3 s asked for.
        self.server.reply(Reply(body=approval("approved"), delay=0.8))

        result = self.impatient_client().wait_for_approval("apr_1", timeout=3.5)

        self.assertEqual("approved", result.status)
        self.assertEqual(1, len(self.server.received))

    def test_returns_the_approval_still_pending_when_the_time_is_up(self):
        self.server.reply(*[PENDING] * 20)
        started = time.monotonic()

        result = self.client.wait_for_approval("apr_1", timeout=0.9, poll_interval=0.05)

        self.assertTrue(result.is_pending)
        self.assertLess(time.monotonic() - started, 3)
        self.assertGreaterEqual(len(self.server.received), 2)
        # Under a second left: plain polls, no long-poll parameter.
        self.assertEqual("/api/approvals/apr_1", self.server.received[0].path)

    def test_an_expired_approval_ends_the_wait(self):
        self.server.reply(Reply(body=approval("expired")))

        self.assertEqual("expired", self.client.wait_for_approval("apr_1", timeout=5).status)


class EditedApprovalTest(ClientTestCase):
    def test_reads_the_digest_and_the_edited_payload_of_the_approval_and_its_execution(self):
        ran = {**execution(), "edited": True, "payload": {"amount": 4000}}
        self.server.reply(Reply(body=approval(
            "approved", execution=ran, argumentsDigest="ab" * 32, edited=True, editedPayload={"amount": 4000},
            editedArgumentsDigest="cd" * 32)))

        result = self.client.get_approval("apr_1")

        self.assertEqual(("ab" * 32, True, {"amount": 4000}, "cd" * 32),
                         (result.arguments_digest, result.edited, result.edited_payload, result.edited_arguments_digest))
        self.assertEqual((True, {"amount": 4000}), (result.execution.edited, result.execution.payload))

    def test_an_unedited_approval_says_so(self):
        self.server.reply(Reply(body=approval("approved", execution=execution())))

        result = self.client.get_approval("apr_1")

        self.assertEqual((None, False, False), (result.arguments_digest, result.edited, result.execution.edited))


if __name__ == "__main__":
    unittest.main()
