import unittest

from support import AGENT_KEY, ClientTestCase, Reply, problem

from portcullis import PortcullisError


class ErrorsTest(ClientTestCase):
    def failure(self) -> PortcullisError:
        with self.assertRaises(PortcullisError) as caught:
            self.client.get_approval("apr_1")
        return caught.exception

    def test_a_validation_problem_carries_code_message_request_id_and_field_errors(self):
        errors = {"payload.amount": ["must be a number"], "runId": ["is required"]}
        self.server.reply(Reply(400, problem(400, "validation_failed", "the request has 2 invalid fields", requestId="req_9", errors=errors)))

        error = self.failure()

        self.assertEqual((400, "validation_failed", "the request has 2 invalid fields", "req_9"),
                         (error.status, error.code, error.message, error.request_id))
        self.assertEqual(errors, error.errors)
        self.assertEqual("the request has 2 invalid fields", str(error))
        self.assertTrue(error.is_validation)
        self.assertFalse(error.is_unauthorized)

    def test_a_401_is_unauthorized_and_is_revoked_says_the_same(self):
        self.server.reply(Reply(401, problem(401, "unauthorized", "a valid API key is required")))

        error = self.failure()

        self.assertTrue(error.is_unauthorized)
        self.assertTrue(error.is_revoked)
        self.assertFalse(error.is_rate_limited)
        self.assertEqual({}, error.errors)
        self.assertNotIn(AGENT_KEY, repr(error) + str(error))

    def test_a_402_is_billing_locked_with_the_recovery_summary_in_the_problem(self):
        billing = {"state": "past_due", "reason": "grace exceeded", "recovery": "update the card"}
        self.server.reply(Reply(402, problem(402, "billing_locked", "billing is locked", billing=billing)))

        error = self.failure()

        self.assertTrue(error.is_billing_locked)
        self.assertEqual(billing, error.problem["billing"])

    def test_a_409_is_a_conflict(self):
        self.server.reply(Reply(409, problem(409, "already_decided", "the approval is no longer pending")))

        error = self.failure()

        self.assertTrue(error.is_conflict)
        self.assertEqual("already_decided", error.code)

    def test_the_request_id_comes_from_x_request_id_when_the_body_has_none(self):
        self.server.reply(Reply(404, problem(404, "not_found", "no such approval"), {"X-Request-Id": "req_h"}))

        error = self.failure()

        self.assertEqual(("req_h", "not_found"), (error.request_id, error.code))

    def test_a_body_that_is_not_problem_json_still_gives_status_message_and_request_id(self):
        self.server.reply(Reply(413, "<html>too large</html>", {"X-Request-Id": "req_p"}))

        error = self.failure()

        self.assertEqual((413, None, "<html>too large</html>", "req_p", None),
                         (error.status, error.code, error.message, error.request_id, error.problem))

    def test_a_2xx_body_that_is_not_json_is_an_error_never_a_result(self):
        self.server.reply(Reply(200, "<html>portal</html>", {"X-Request-Id": "req_j"}))

        error = self.failure()

        self.assertEqual((200, "invalid_response", "req_j"), (error.status, error.code, error.request_id))

    def test_a_redirect_is_not_followed_so_the_key_and_body_go_nowhere_else(self):
        self.server.reply(Reply(307, "", {"Location": "http://127.0.0.1:9/elsewhere"}))

        error = self.failure()

        self.assertEqual(307, error.status)
        self.assertEqual(1, len(self.server.received))


if __name__ == "__main__":
    unittest.main()
