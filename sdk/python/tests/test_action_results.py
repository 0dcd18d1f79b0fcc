import unittest
from datetime import datetime, timezone

from support import CARD_DECLINED, ClientTestCase, Reply, action_answer, execution

from portcullis import ActionResult, Allowed, ApprovalRequired, Blocked, ExecutionError, MatchedPolicy, PortcullisError


def describe(result: ActionResult) -> str:
    """The spec's four-way switch, in Python."""
    if isinstance(result, Allowed):
        if result.execution is None:
            return "allowed, not dispatched"
        if result.execution.succeeded:
            return f"executed {result.execution.response_payload['id']}" + (" (alerted)" if result.with_alert else "")
        error = result.execution.error
        return f"connector failed: {error.code}: {error.message}" if error else "connector failed"
    if isinstance(result, ApprovalRequired):
        return f"pending {result.approval_request_id}"
    if isinstance(result, Blocked):
        return f"blocked: {result.reason}"
    raise AssertionError("ActionResult has exactly three kinds")


class ActionResultsTest(ClientTestCase):
    def request(self):
        return self.client.request_action("run_1", "refund.create", {"amount": 7999})

    def test_each_decision_maps_to_its_class(self):
        cases = [
            ("allow", {"execution": execution()}, "executed re_1"),
            ("allow_with_alert", {"execution": execution()}, "executed re_1 (alerted)"),
            ("require_approval", {"approvalRequestId": "apr_1"}, "pending apr_1"),
            ("block", {}, "blocked: because"),
        ]
        for decision, extra, expected in cases:
            with self.subTest(decision=decision):
                self.server.reply(Reply(body=action_answer(decision, **extra)))
                result = self.request()
                self.assertEqual(decision, result.decision)
                self.assertEqual("act_1", result.action_request_id)
                self.assertEqual("pol_1", result.matched_policies[0].id)
                self.assertEqual(expected, describe(result))

    def test_the_execution_maps_every_field(self):
        self.server.reply(Reply(body=action_answer("allow", execution=execution("failed", CARD_DECLINED))))

        result = self.request()

        assert isinstance(result, Allowed) and result.execution is not None
        ex = result.execution
        self.assertEqual(("failed", "refund.create", "stripe", 1, True),
                         (ex.status, ex.action_type, ex.provider, ex.attempts, ex.simulated))
        self.assertEqual(ExecutionError("Your card was declined.", "card_declined", 402, "req_1"), ex.error)
        self.assertFalse(ex.succeeded)
        self.assertEqual(datetime(2026, 11, 21, 22, 44, 2, 123000, tzinfo=timezone.utc), ex.started_at)
        # Seven fraction digits, as .NET writes them, still parse.
        self.assertEqual(456789, ex.completed_at.microsecond)
        self.assertEqual(7999, ex.response_payload["amount"])
        self.assertEqual("connector failed: card_declined: Your card was declined.", describe(result))

    def test_a_failed_execution_without_a_provider_answer_has_only_a_code_and_message(self):
        failure = {"code": "connector_not_connected", "message": "no stripe credential is linked to this agent",
                   "provider_status": None, "provider_request_id": None}
        answer = action_answer("allow_with_alert", execution={**execution("failed", failure), "attempts": 0, "response_payload": None})
        self.server.reply(Reply(body=answer))

        result = self.request()

        assert isinstance(result, Allowed) and result.execution is not None
        self.assertTrue(result.with_alert)
        self.assertEqual("connector failed: connector_not_connected: no stripe credential is linked to this agent", describe(result))
        self.assertIsNone(result.execution.error.provider_status)
        self.assertIsNone(result.execution.response_payload)

    def test_a_matched_policy_without_a_reason_keeps_its_priority(self):
        policy = {"id": "pol_9", "name": "no refunds", "decision": "block", "reason": None, "priority": 7}
        self.server.reply(Reply(body={**action_answer("block"), "matchedPolicies": [policy]}))

        result = self.request()

        self.assertEqual((MatchedPolicy("pol_9", "no refunds", "block", None, 7),), result.matched_policies)

    def test_the_policy_revision_that_decided_is_kept(self):
        self.server.reply(Reply(body=action_answer("block", policyRevision=12)))

        self.assertEqual(12, self.request().policy_revision)

    def test_a_custom_action_type_is_allowed_without_an_execution(self):
        self.server.reply(Reply(body=action_answer("allow")))

        self.assertEqual("allowed, not dispatched", describe(self.request()))

    def test_an_unknown_decision_is_an_error_never_a_permission(self):
        self.server.reply(Reply(body=action_answer("allow_sometimes")))

        with self.assertRaises(PortcullisError) as caught:
            self.request()

        self.assertEqual("invalid_response", caught.exception.code)
        self.assertIn("allow_sometimes", caught.exception.message)


if __name__ == "__main__":
    unittest.main()
