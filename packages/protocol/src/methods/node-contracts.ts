import { NODE_SCOPE } from "../scopes.js";
import { contract } from "./contract.js";
import * as devices from "./devices.js";
import * as nodes from "./node-runtime.js";

/** Device pairing and role-bound device tokens (OpenClaw's `device.*` family). */
export const DEVICE_CONTRACTS = {
  "device.pair.list": contract(
    "operator.pairing",
    devices.DevicePairListParamsSchema,
    devices.DevicePairListResultSchema,
  ),
  "device.pair.approve": contract(
    "operator.pairing",
    devices.DevicePairRequestIdParamsSchema,
    devices.DevicePairApproveResultSchema,
  ),
  "device.pair.reject": contract(
    "operator.pairing",
    devices.DevicePairRequestIdParamsSchema,
    devices.DevicePairRejectResultSchema,
  ),
  "device.pair.remove": contract(
    "operator.pairing",
    devices.DevicePairRemoveParamsSchema,
    devices.DevicePairRemoveResultSchema,
  ),
  "device.pair.rename": contract(
    "operator.pairing",
    devices.DevicePairRenameParamsSchema,
    devices.DevicePairRenameResultSchema,
  ),
  "device.token.rotate": contract(
    "operator.pairing",
    devices.DeviceTokenRotateParamsSchema,
    devices.DeviceTokenRotateResultSchema,
  ),
  "device.token.revoke": contract(
    "operator.pairing",
    devices.DeviceTokenRevokeParamsSchema,
    devices.DeviceTokenRevokeResultSchema,
  ),
} as const;

/** Connected nodes: listing, naming, invoking their commands; and what a node itself calls back. */
export const NODE_RUNTIME_CONTRACTS = {
  "node.list": contract("operator.read", nodes.NodeListParamsSchema, nodes.NodeListResultSchema),
  "node.describe": contract("operator.read", nodes.NodeDescribeParamsSchema, nodes.NodeDescribeResultSchema),
  "node.rename": contract("operator.pairing", nodes.NodeRenameParamsSchema, nodes.NodeRenameResultSchema),
  "node.invoke": contract("operator.write", nodes.NodeInvokeParamsSchema, nodes.NodeInvokeResultSchema),
  "node.invoke.result": contract(NODE_SCOPE, nodes.NodeInvokeResultParamsSchema, nodes.NodeAckResultSchema),
  "node.invoke.progress": contract(
    NODE_SCOPE,
    nodes.NodeInvokeProgressParamsSchema,
    nodes.NodeAckResultSchema,
  ),
  "node.event": contract(NODE_SCOPE, nodes.NodeEventParamsSchema, nodes.NodeEventResultSchema),
} as const;
