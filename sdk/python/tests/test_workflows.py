import unittest
import uuid
from datetime import datetime, timezone

from support import AGENT_KEY, UNAVAILABLE, ClientTestCase, Reply, problem, workflow_run

from portcullis import PortcullisError, WorkflowError

STARTED = {"workflowRunId": "wfr_1", "runId": "run_1", "status": "running"}


class RunWorkflowTest(ClientTestCase):
    def test_posts_the_input_with_a_generated_idempotency_key_and_reads_the_202(self):
        self.server.reply(Reply(202, STARTED))

        started = self.client.run_workflow("wf_1/x", {"orderId": "ord_1"})

        self.assertEqual(("wfr_1", "run_1", "running"), (started.workflow_run_id, started.run_id, started.status))
        [request] = self.server.received
        self.assertEqual(("POST", "/api/workflows/wf_1%2Fx/runs"), (request.method, request.path))
        self.assertEqual(f"Bearer {AGENT_KEY}", request.headers["authorization"])
        self.assertEqual("application/json", request.headers["content-type"])
        self.assertEqual(4, uuid.UUID(request.headers["idempotency-key"]).version)
        self.assertEqual({"input": {"orderId": "ord_1"}}, request.body)

    def test_without_input_sends_an_empty_object_and_retries_a_503_with_the_given_key(self):
        self.server.reply(UNAVAILABLE, Reply(202, STARTED))

        self.client.run_workflow("wf_1", idempotency_key="order-ord_1")

        self.assertEqual(2, len(self.server.received))
        for request in self.server.received:
            self.assertEqual(("order-ord_1", {}), (request.headers["idempotency-key"], request.body))

    def test_an_unknown_workflow_raises_the_404_with_its_code(self):
        self.server.reply(Reply(404, problem(404, "not_found", "no such workflow"), {"X-Request-Id": "req_1"}))

        with self.assertRaises(PortcullisError) as caught:
            self.client.run_workflow("wf_nope")

        self.assertEqual((404, "not_found", "req_1"), (caught.exception.status, caught.exception.code, caught.exception.request_id))
        self.assertEqual(1, len(self.server.received))


class GetWorkflowRunTest(ClientTestCase):
    def test_long_polls_with_wait_seconds_and_reads_the_whole_run_with_its_steps(self):
        error = {"code": "template_unresolved", "message": "no `steps.lookup.output.charge`", "stepId": "refund"}
        self.server.reply(Reply(body=workflow_run("failed", error=error, completedAt="2026-12-03T10:01:00Z")))

        run = self.client.get_workflow_run("wfr_1", wait_seconds=30)

        [request] = self.server.received
        self.assertEqual(("GET", "/api/workflow-runs/wfr_1?waitSeconds=30", None), (request.method, request.path, request.body))
        self.assertEqual(("wfr_1", "wf_1", "Refund flow", 3, "run_1", "failed"),
                         (run.id, run.workflow_id, run.workflow_name, run.version, run.run_id, run.status))
        self.assertEqual({"orderId": "ord_1"}, run.input)
        self.assertEqual(WorkflowError("template_unresolved", "no `steps.lookup.output.charge`", "refund"), run.error)
        self.assertEqual(datetime(2026, 12, 3, 10, 1, tzinfo=timezone.utc), run.completed_at)
        lookup, refund = run.steps
        self.assertEqual(("lookup", "step lookup", "http.request", "completed", "allow", "act_lookup", None, {"status": 200}),
                         (lookup.id, lookup.name, lookup.action_type, lookup.status, lookup.decision,
                          lookup.action_request_id, lookup.approval_request_id, lookup.output))
        self.assertTrue(refund.is_awaiting_approval)
        self.assertEqual(("require_approval", "apr_1", {"orderId": "ord_1"}, None), (refund.decision, refund.approval_request_id, refund.input, refund.completed_at))

    def test_without_a_wait_sends_no_query_and_refuses_a_wait_over_60_seconds(self):
        self.server.reply(Reply(body=workflow_run("completed")))

        self.assertEqual("completed", self.client.get_workflow_run("wfr_1").status)
        self.assertEqual("/api/workflow-runs/wfr_1", self.server.received[0].path)
        with self.assertRaises(ValueError):
            self.client.get_workflow_run("wfr_1", wait_seconds=61)


class WaitForWorkflowRunTest(ClientTestCase):
    def test_long_polls_while_running_and_ends_on_completed(self):
        self.server.reply(Reply(body=workflow_run("running")), Reply(body=workflow_run("completed")))

        run = self.client.wait_for_workflow_run("wfr_1", timeout=2.999, poll_interval=0.01)

        self.assertEqual("completed", run.status)
        self.assertEqual("/api/workflow-runs/wfr_1?waitSeconds=2", self.server.received[0].path)
        self.assertRegex(self.server.received[1].path, r"^/api/workflow-runs/wfr_1\?waitSeconds=[12]$")

    def test_ends_on_awaiting_approval_asking_at_most_60_seconds_per_poll(self):
        self.server.reply(Reply(body=workflow_run()))

        run = self.client.wait_for_workflow_run("wfr_1", timeout=600)

        self.assertTrue(run.is_awaiting_approval)
        self.assertEqual(["apr_1"], [s.approval_request_id for s in run.steps if s.is_awaiting_approval])
        self.assertEqual(["/api/workflow-runs/wfr_1?waitSeconds=60"], [r.path for r in self.server.received])

    def test_a_state_added_later_reads_as_itself_and_ends_the_wait(self):
        self.server.reply(Reply(body=workflow_run("paused")))

        self.assertEqual("paused", self.client.wait_for_workflow_run("wfr_1", timeout=5).status)

    def test_a_held_long_poll_does_not_count_against_the_request_time_out(self):
        self.server.reply(Reply(body=workflow_run("completed"), delay=0.8))

        run = self.impatient_client().wait_for_workflow_run("wfr_1", timeout=3.5)

        self.assertEqual("completed", run.status)
        self.assertEqual(1, len(self.server.received))


class CancelWorkflowRunTest(ClientTestCase):
    def test_posts_to_the_cancel_path_without_a_body(self):
        self.server.reply(Reply(body=workflow_run("cancelled")))

        self.assertEqual("cancelled", self.client.cancel_workflow_run("wfr_1").status)

        [request] = self.server.received
        self.assertEqual(("POST", "/api/workflow-runs/wfr_1/cancel", None), (request.method, request.path, request.body))

    def test_a_settled_run_raises_the_409_not_cancellable(self):
        self.server.reply(Reply(409, problem(409, "not_cancellable", "the run has completed")))

        with self.assertRaises(PortcullisError) as caught:
            self.client.cancel_workflow_run("wfr_1")

        self.assertTrue(caught.exception.is_conflict)
        self.assertEqual("not_cancellable", caught.exception.code)


if __name__ == "__main__":
    unittest.main()
