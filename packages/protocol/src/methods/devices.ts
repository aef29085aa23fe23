import { z } from "zod";
import { lazySchemas } from "../lazy-schemas.js";
import { LIMITS } from "../limits.js";

/** Built on first use (see lazySchemas). */
function buildDevicesSchemas() {
  const id = z.string().min(1).max(LIMITS.idChars);
  const role = z.enum(["operator", "node"]);

  /** One role-bound token of a paired device: metadata only, the token itself is never listed. */
  const DeviceTokenInfoSchema = z.object({
    role: z.string().min(1),
    scopes: z.array(z.string()),
    issuedAtMs: z.int().min(0),
    rotatedAtMs: z.int().min(0).optional(),
    revokedAtMs: z.int().min(0).optional(),
  });

  const PairedDeviceSchema = z.object({
    deviceId: z.string().min(1),
    publicKey: z.string().min(1),
    displayName: z.string().optional(),
    label: z.string().optional(),
    platform: z.string().optional(),
    clientId: z.string().optional(),
    clientMode: z.string().optional(),
    roles: z.array(z.string()),
    tokens: z.array(DeviceTokenInfoSchema),
    approvedAtMs: z.int().min(0),
    remoteIp: z.string().optional(),
  });

  const DevicePairPendingSchema = z.object({
    requestId: z.string().min(1),
    deviceId: z.string().min(1),
    role: z.string().min(1),
    displayName: z.string().optional(),
    platform: z.string().optional(),
    remoteIp: z.string().optional(),
    requestedAtMs: z.int().min(0),
  });

  const DevicePairListParamsSchema = z.strictObject({});
  const DevicePairListResultSchema = z.object({
    pending: z.array(DevicePairPendingSchema),
    paired: z.array(PairedDeviceSchema),
  });
  const DevicePairRequestIdParamsSchema = z.strictObject({ requestId: id });
  const DevicePairApproveResultSchema = z.object({
    requestId: z.string().min(1),
    device: PairedDeviceSchema,
  });
  const DevicePairRejectResultSchema = z.object({
    requestId: z.string().min(1),
    deviceId: z.string().min(1),
  });
  const DevicePairRemoveParamsSchema = z.strictObject({ deviceId: id });
  const DevicePairRemoveResultSchema = z.object({ deviceId: z.string().min(1), removed: z.boolean() });
  const DevicePairRenameParamsSchema = z.strictObject({ deviceId: id, label: z.string().min(1).max(64) });
  const DevicePairRenameResultSchema = z.object({ deviceId: z.string().min(1), label: z.string() });

  const DeviceTokenRotateParamsSchema = z.strictObject({
    deviceId: id,
    role,
    scopes: z.array(id).max(LIMITS.scopes).optional(),
  });
  /** OpenClaw's rotation outcome: the new token is echoed only to the device rotating its own token. */
  const DeviceTokenRotateResultSchema = z.object({
    deviceId: z.string().min(1),
    role: z.string().min(1),
    token: z.string().min(1).optional(),
    scopes: z.array(z.string()),
    rotatedAtMs: z.int().min(0),
    tokenDelivery: z.enum(["in-band", "withheld-cross-device"]).optional(),
  });
  const DeviceTokenRevokeParamsSchema = z.strictObject({ deviceId: id, role });
  const DeviceTokenRevokeResultSchema = z.object({
    deviceId: z.string().min(1),
    role: z.string().min(1),
    revokedAtMs: z.int().min(0),
    closedConnections: z.int().min(0),
  });

  return {
    PairedDeviceSchema,
    DevicePairPendingSchema,
    DevicePairListParamsSchema,
    DevicePairListResultSchema,
    DevicePairRequestIdParamsSchema,
    DevicePairApproveResultSchema,
    DevicePairRejectResultSchema,
    DevicePairRemoveParamsSchema,
    DevicePairRemoveResultSchema,
    DevicePairRenameParamsSchema,
    DevicePairRenameResultSchema,
    DeviceTokenRotateParamsSchema,
    DeviceTokenRotateResultSchema,
    DeviceTokenRevokeParamsSchema,
    DeviceTokenRevokeResultSchema,
  };
}

const schemas = lazySchemas(buildDevicesSchemas);

export const PairedDeviceSchema = z.lazy(() => schemas().PairedDeviceSchema);
export const DevicePairPendingSchema = z.lazy(() => schemas().DevicePairPendingSchema);
export const DevicePairListParamsSchema = z.lazy(() => schemas().DevicePairListParamsSchema);
export const DevicePairListResultSchema = z.lazy(() => schemas().DevicePairListResultSchema);
export const DevicePairRequestIdParamsSchema = z.lazy(() => schemas().DevicePairRequestIdParamsSchema);
export const DevicePairApproveResultSchema = z.lazy(() => schemas().DevicePairApproveResultSchema);
export const DevicePairRejectResultSchema = z.lazy(() => schemas().DevicePairRejectResultSchema);
export const DevicePairRemoveParamsSchema = z.lazy(() => schemas().DevicePairRemoveParamsSchema);
export const DevicePairRemoveResultSchema = z.lazy(() => schemas().DevicePairRemoveResultSchema);
export const DevicePairRenameParamsSchema = z.lazy(() => schemas().DevicePairRenameParamsSchema);
export const DevicePairRenameResultSchema = z.lazy(() => schemas().DevicePairRenameResultSchema);
export const DeviceTokenRotateParamsSchema = z.lazy(() => schemas().DeviceTokenRotateParamsSchema);
export const DeviceTokenRotateResultSchema = z.lazy(() => schemas().DeviceTokenRotateResultSchema);
export const DeviceTokenRevokeParamsSchema = z.lazy(() => schemas().DeviceTokenRevokeParamsSchema);
export const DeviceTokenRevokeResultSchema = z.lazy(() => schemas().DeviceTokenRevokeResultSchema);

export type PairedDevice = z.infer<typeof PairedDeviceSchema>;
export type DevicePairPending = z.infer<typeof DevicePairPendingSchema>;
export type DeviceTokenRotateResult = z.infer<typeof DeviceTokenRotateResultSchema>;
