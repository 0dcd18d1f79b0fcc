export { PortcullisClient } from "./client.js";
export type {
  CallOptions,
  GetWorkflowRunOptions,
  PortcullisClientOptions,
  RunWorkflowOptions,
  WaitForApprovalOptions,
  WaitForWorkflowRunOptions,
} from "./client.js";
export { PortcullisConnectionError, PortcullisError, PortcullisTimeoutError } from "./errors.js";
export type { ProblemDetails } from "./errors.js";
export { activeTraceparent } from "./trace-context.js";
export type { TraceparentSource } from "./trace-context.js";
export { SDK_VERSION } from "./version.js";
export { BUILT_IN_ACTION_TYPES, isDispatched } from "./action-types.js";
export type { BuiltInActionType, DispatchedActionType, GatewayActionType } from "./action-types.js";
export type * from "./types.js";
export type * from "./workflow-types.js";
