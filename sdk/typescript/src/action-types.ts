/**
 * The action types Portcullis's own connectors execute. A server test compares this list with the server's
 * connector catalogue, so it cannot drift from what the server dispatches.
 */
export const BUILT_IN_ACTION_TYPES = [
  "charge.retrieve",
  "crm.create_record",
  "crm.get_record",
  "crm.search_records",
  "crm.update_record",
  "customer.retrieve",
  "email.send",
  "http.request",
  "mqtt.publish",
  "refund.create",
  "refund.list",
  "refund.retrieve",
  "slack.lookup_user_by_email",
  "slack.post_message",
  "slack.update_message",
  "sms.send",
  "ticket.add_comment",
  "ticket.create",
  "ticket.get",
  "ticket.search",
  "ticket.update",
] as const;

/** An action type a built-in connector executes. */
export type BuiltInActionType = (typeof BUILT_IN_ACTION_TYPES)[number];

/** A tool of an upstream MCP server called through the gateway: `mcp.<server>.<tool>`. */
export type GatewayActionType = `mcp.${string}`;

/** Action types whose `allow` answer always carries the `execution` (any other type is governed but never dispatched). */
export type DispatchedActionType = BuiltInActionType | GatewayActionType;

const BUILT_IN: ReadonlySet<string> = new Set(BUILT_IN_ACTION_TYPES);

/** True when an allowed request of this type is executed by a connector, so its answer has an `execution`. */
export function isDispatched(actionType: string): boolean {
  return BUILT_IN.has(actionType) || actionType.startsWith("mcp.");
}
