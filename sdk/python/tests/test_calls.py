import unittest
import uuid
from datetime import datetime, timedelta, timezone

from support import AGENT_KEY, ClientTestCase, Reply, action_answer, approval, execution, run

from portcullis import PortcullisClient, PortcullisError, RunEvent, __version__


class CallsTest(ClientTestCase):
    def test_start_run_posts_the_trigger_fields_with_the_key_as_a_bearer_token(self):
        self.server.reply(Reply(201, {"runId": "run_1", "status": "running"}))

        started = self.client.start_run("support-ticket", external_ref="TKT-1042", agent_version="1.4.2")

        self.assertEqual(("run_1", "running"), (started.run_id, started.status))
        [request] = self.server.received
        self.assertEqual(("POST", "/api/ingest/run-start"), (request.method, request.path))
        self.assertEqual(f"Bearer {AGENT_KEY}", request.headers["authorization"])
        self.assertEqual("application/json", request.headers["content-type"])
        self.assertEqual("application/json", request.headers["accept"])
        self.assertEqual(f"portcullis-sdk-python/{__version__}", request.headers["user-agent"])
        self.assertEqual(f"python/{__version__}", request.headers["x-portcullis-sdk"])
        # The key travels in the header only; absent fields are left out, not sent as null.
        self.assertEqual({"triggerType": "support-ticket", "externalRef": "TKT-1042", "agentVersion": "1.4.2"}, request.body)

    def test_log_events_posts_the_run_id_and_events_with_times_in_utc(self):
        self.server.reply(Reply(body={"accepted": 3, "duplicates": 0}))
        occurred = datetime(2026, 11, 21, 23, 44, 2, 123000, tzinfo=timezone(timedelta(hours=1)))

        result = self.client.log_events("run_1", [
            RunEvent("context.retrieved", 2, {"documentsFound": 3}),
            RunEvent("intent.classified", 3, occurred_at=occurred),
            {"eventType": "as.dict", "sequenceNo": 4},
        ])

        self.assertEqual((3, 0), (result.accepted, result.duplicates))
        [request] = self.server.received
        self.assertEqual("/api/ingest/events", request.path)
        self.assertEqual({"runId": "run_1", "events": [
            {"eventType": "context.retrieved", "sequenceNo": 2, "payload": {"documentsFound": 3}},
            {"eventType": "intent.classified", "sequenceNo": 3, "occurredAt": "2026-11-21T22:44:02.123Z"},
            {"eventType": "as.dict", "sequenceNo": 4},
        ]}, request.body)

    def test_request_action_posts_every_field_and_the_given_idempotency_key(self):
        self.server.reply(Reply(body=action_answer("block")))

        self.client.request_action(
            "run_1", "refund.create", {"charge": "ch_1", "amount": 7999},
            provider="stripe", resource_type="charge", resource_id="ch_1", evidence={"confidence": 0.92},
            idempotency_key="refund-TKT-1042", callback_url="https://agent.example.com/approved",
        )

        [request] = self.server.received
        self.assertEqual("/api/actions/request", request.path)
        self.assertEqual("refund-TKT-1042", request.headers["idempotency-key"])
        self.assertEqual({
            "runId": "run_1", "actionType": "refund.create", "provider": "stripe", "resourceType": "charge",
            "resourceId": "ch_1", "payload": {"charge": "ch_1", "amount": 7999}, "evidence": {"confidence": 0.92},
            "idempotencyKey": "refund-TKT-1042", "callbackUrl": "https://agent.example.com/approved",
        }, request.body)

    def test_request_action_generates_a_uuid4_idempotency_key_per_call(self):
        self.server.reply(Reply(body=action_answer("block")), Reply(body=action_answer("block")))

        self.client.request_action("run_1", "refund.create", {"amount": 1})
        self.client.request_action("run_1", "refund.create", {"amount": 1})

        first, second = self.server.received
        key = first.headers["idempotency-key"]
        self.assertEqual(4, uuid.UUID(key).version)
        self.assertEqual(key, first.body["idempotencyKey"])
        self.assertNotEqual(key, second.headers["idempotency-key"])

    def test_check_action_posts_the_request_fields_and_returns_the_decision_it_would_get(self):
        self.server.reply(Reply(body={
            "decision": "require_approval", "reason": "refunds over $50 need a human",
            "matchedPolicies": [{"id": "pol_1", "name": "big refunds", "decision": "require_approval", "reason": None, "priority": 2}],
        }))

        result = self.client.check_action("run_1", "refund.create", {"charge": "ch_1", "amount": 7999}, provider="stripe")

        self.assertEqual(("require_approval", "refunds over $50 need a human", False), (result.decision, result.reason, result.allowed))
        self.assertEqual(("pol_1", "big refunds", 2), (result.matched_policies[0].id, result.matched_policies[0].name, result.matched_policies[0].priority))
        [request] = self.server.received
        self.assertEqual(("POST", "/api/actions/check"), (request.method, request.path))
        # Nothing is recorded, so no idempotency key is made up for a check.
        self.assertNotIn("idempotency-key", request.headers)
        self.assertEqual({"runId": "run_1", "actionType": "refund.create", "provider": "stripe",
                          "payload": {"charge": "ch_1", "amount": 7999}}, request.body)

    def test_check_action_refuses_an_unknown_decision(self):
        self.server.reply(Reply(body={"decision": "maybe", "reason": "?", "matchedPolicies": []}))

        with self.assertRaisesRegex(PortcullisError, "unknown decision `maybe`"):
            self.client.check_action("run_1", "refund.create", {})

    def test_end_run_posts_the_final_status_and_returns_the_run(self):
        self.server.reply(Reply(body=run("failed")))

        ended = self.client.end_run("run_1", "failed")

        self.assertEqual(("failed", "agt_1"), (ended.status, ended.agent_id))
        self.assertEqual(datetime(2026, 11, 21, 22, 45, 2, 123000, tzinfo=timezone.utc), ended.ended_at)
        [request] = self.server.received
        self.assertEqual(("/api/ingest/run-end", {"runId": "run_1", "status": "failed"}), (request.path, request.body))

    def test_end_run_refuses_a_status_that_is_not_final(self):
        with self.assertRaisesRegex(ValueError, "completed, failed, blocked"):
            self.client.end_run("run_1", "running")
        self.assertEqual([], self.server.received)

    def test_get_approval_gets_the_approval_by_its_escaped_id_without_a_body(self):
        self.server.reply(Reply(body=approval("approved", execution=execution())))

        found = self.client.get_approval("apr_1/../x")

        self.assertEqual("approved", found.status)
        self.assertFalse(found.is_pending)
        self.assertEqual("exe_1", found.execution.id)
        [request] = self.server.received
        self.assertEqual(("GET", "/api/approvals/apr_1%2F..%2Fx", None), (request.method, request.path, request.body))
        self.assertNotIn("content-type", request.headers)
        self.assertEqual(f"Bearer {AGENT_KEY}", request.headers["authorization"])

    def test_a_base_url_with_a_path_prefix_keeps_it(self):
        self.server.reply(Reply(body=approval()))

        PortcullisClient(self.server.url + "/portcullis/", AGENT_KEY).get_approval("apr_1")

        self.assertEqual("/portcullis/api/approvals/apr_1", self.server.received[0].path)

    def test_construction_rejects_a_missing_key_a_bad_url_and_bad_options(self):
        with self.assertRaises(ValueError):
            PortcullisClient("http://localhost", "")
        with self.assertRaises(ValueError):
            PortcullisClient("ftp://localhost", AGENT_KEY)
        with self.assertRaises(ValueError):
            PortcullisClient("localhost:8080", AGENT_KEY)
        with self.assertRaises(ValueError):
            PortcullisClient("http://localhost", AGENT_KEY, max_retries=-1)
        with self.assertRaises(ValueError):
            PortcullisClient("http://localhost", AGENT_KEY, timeout=0)


if __name__ == "__main__":
    unittest.main()
