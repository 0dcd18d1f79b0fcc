import unittest

from support import ClientTestCase, Reply, action_answer, approval, execution, problem, run

from portcullis import Allowed, ApprovalRequired, Blocked, PortcullisError, RunEvent


def handle_ticket(portcullis, ticket):
    """The Python quick start of docs/sdks.md, with the client passed in."""
    started = portcullis.start_run("support-ticket", external_ref=ticket["id"])
    next_seq = 2  # sequence_no 1 is the server's run.started
    final_status = "failed"  # what an exception leaves behind
    try:
        portcullis.log_events(started.run_id, [RunEvent("context.retrieved", next_seq, {"query": ticket["message"]})])
        next_seq += 1

        result = portcullis.request_action(
            started.run_id, "refund.create",
            {"charge": "ch_3OabcEXAMPLE", "amount": 7999, "reason": "requested_by_customer"},
            provider="stripe",
            evidence={"confidence": 0.95, "customerTier": ticket["tier"]},
        )
        if isinstance(result, Allowed):
            ok = result.execution is None or result.execution.succeeded
            final_status = "completed" if ok else "failed"
        elif isinstance(result, ApprovalRequired):
            decided = portcullis.wait_for_approval(result.approval_request_id, timeout=600)
            if decided.is_pending:
                final_status = None
            else:
                final_status = "completed" if decided.status == "approved" else "blocked"
        elif isinstance(result, Blocked):
            final_status = "blocked"
    except PortcullisError as error:
        if error.is_unauthorized:
            pass  # the docs print a hint to rotate the key here
        raise
    finally:
        if final_status:
            portcullis.end_run(started.run_id, final_status)


TICKET = {"id": "TKT-1042", "tier": "premium", "message": "my blender broke"}
STARTED = Reply(201, {"runId": "run_1", "status": "running"})
LOGGED = Reply(body={"accepted": 1, "duplicates": 0})


class QuickStartTest(ClientTestCase):
    def test_ends_the_run_completed_after_an_executed_action(self):
        self.server.reply(STARTED, LOGGED, Reply(body=action_answer("allow", execution=execution())), Reply(body=run()))

        handle_ticket(self.client, TICKET)

        self.assertEqual(["/api/ingest/run-start", "/api/ingest/events", "/api/actions/request", "/api/ingest/run-end"],
                         [r.path for r in self.server.received])
        self.assertEqual({"runId": "run_1", "status": "completed"}, self.server.received[3].body)

    def test_waits_for_the_approval_then_ends_the_run_by_its_outcome(self):
        self.server.reply(STARTED, LOGGED, Reply(body=action_answer("require_approval", approvalRequestId="apr_1")),
                          Reply(body=approval("rejected")), Reply(body=run("blocked")))

        handle_ticket(self.client, TICKET)

        self.assertEqual("/api/approvals/apr_1?waitSeconds=60", self.server.received[3].path)
        self.assertEqual({"runId": "run_1", "status": "blocked"}, self.server.received[4].body)

    def test_ends_the_run_failed_when_a_call_throws(self):
        self.server.reply(STARTED, Reply(400, problem(400, "validation_failed", "bad event")), Reply(body=run("failed")))

        with self.assertRaises(PortcullisError):
            handle_ticket(self.client, TICKET)

        self.assertEqual({"runId": "run_1", "status": "failed"}, self.server.received[2].body)


if __name__ == "__main__":
    unittest.main()
