import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GatewayError, type NodePairRequest, type PairedNode } from "@openclaw/protocol";
import { writeJsonFileAtomic } from "../state/atomic-file.js";

interface NodePairingFile {
  version: 1;
  pending: NodePairRequest[];
  paired: PairedNode[];
}

export interface NodeSurface {
  nodeId: string;
  displayName?: string;
  platform?: string;
  version?: string;
  caps: string[];
  commands: string[];
  remoteIp?: string;
}

export type NodeConnectOutcome =
  | { status: "approved"; node: PairedNode }
  | { status: "pending"; request: NodePairRequest; created: boolean };

export interface NodePairingStore {
  readonly path: string;
  /** Called when a node connects: approved if its declared surface is within what was approved, else pending. */
  observeConnect(surface: NodeSurface): NodeConnectOutcome;
  list(): { pending: NodePairRequest[]; paired: PairedNode[] };
  approve(requestId: string): PairedNode;
  reject(requestId: string): NodePairRequest;
  remove(nodeId: string): boolean;
  /** Resolves once every change so far is durable (stores over storage tables; the file store has none). */
  flush?(): Promise<void>;
}

export function sameSurface(
  a: { caps: string[]; commands: string[] },
  b: { caps: string[]; commands: string[] },
) {
  const key = (value: { caps: string[]; commands: string[] }) =>
    JSON.stringify([[...value.caps].sort(), [...value.commands].sort()]);
  return key(a) === key(b);
}

/** True when the node declares nothing beyond what was approved. */
export function within(declared: NodeSurface, approved: PairedNode): boolean {
  return (
    declared.caps.every((cap) => approved.caps.includes(cap)) &&
    declared.commands.every((command) => approved.commands.includes(command))
  );
}

export function requestNotFound(requestId: string): GatewayError {
  return new GatewayError(
    "INVALID_REQUEST",
    `no pending node pairing request "${requestId}": see node.pair.list`,
    {
      details: { code: "PAIRING_REQUEST_NOT_FOUND", requestId },
    },
  );
}

/** A fresh pending request for the surface a node declared. */
export function newNodePairRequest(surface: NodeSurface, at: number): NodePairRequest {
  return {
    requestId: randomUUID(),
    nodeId: surface.nodeId,
    ...(surface.displayName ? { displayName: surface.displayName } : {}),
    ...(surface.platform ? { platform: surface.platform } : {}),
    ...(surface.version ? { version: surface.version } : {}),
    caps: [...surface.caps],
    commands: [...surface.commands],
    ...(surface.remoteIp ? { remoteIp: surface.remoteIp } : {}),
    requestedAtMs: at,
  };
}

/** The approved node an approval of `request` makes. */
export function pairedNodeFrom(request: NodePairRequest, at: number): PairedNode {
  return {
    nodeId: request.nodeId,
    ...(request.displayName ? { displayName: request.displayName } : {}),
    ...(request.platform ? { platform: request.platform } : {}),
    ...(request.version ? { version: request.version } : {}),
    caps: request.caps,
    commands: request.commands,
    approvedAtMs: at,
  };
}

/**
 * Node capability approvals, kept in `<stateDir>/nodes/pairing.json`. A pending request never expires on its own
 * (as in OpenClaw): it stays until approved, rejected, or superseded by the node declaring a different surface.
 * Every call re-reads the file, so an approval made by another process counts at once.
 */
export function createNodePairingStore(options: { stateDir: string; now?: () => number }): NodePairingStore {
  const path = join(options.stateDir, "nodes", "pairing.json");
  const now = options.now ?? Date.now;
  const read = (): NodePairingFile => {
    try {
      const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<NodePairingFile>;
      return { version: 1, pending: parsed.pending ?? [], paired: parsed.paired ?? [] };
    } catch {
      return { version: 1, pending: [], paired: [] };
    }
  };
  return {
    path,
    observeConnect(surface) {
      const file = read();
      const paired = file.paired.find((node) => node.nodeId === surface.nodeId);
      if (paired && within(surface, paired)) return { status: "approved", node: paired };
      const existing = file.pending.find((request) => request.nodeId === surface.nodeId);
      if (existing && sameSurface(existing, surface)) {
        return { status: "pending", request: existing, created: false };
      }
      const request = newNodePairRequest(surface, now());
      file.pending = file.pending.filter((entry) => entry.nodeId !== surface.nodeId).concat(request);
      writeJsonFileAtomic(path, file);
      return { status: "pending", request, created: true };
    },
    list() {
      const file = read();
      return { pending: file.pending, paired: file.paired };
    },
    approve(requestId) {
      const file = read();
      const request = file.pending.find((entry) => entry.requestId === requestId);
      if (!request) throw requestNotFound(requestId);
      const node = pairedNodeFrom(request, now());
      file.pending = file.pending.filter((entry) => entry.requestId !== requestId);
      file.paired = file.paired.filter((entry) => entry.nodeId !== node.nodeId).concat(node);
      writeJsonFileAtomic(path, file);
      return node;
    },
    reject(requestId) {
      const file = read();
      const request = file.pending.find((entry) => entry.requestId === requestId);
      if (!request) throw requestNotFound(requestId);
      file.pending = file.pending.filter((entry) => entry.requestId !== requestId);
      writeJsonFileAtomic(path, file);
      return request;
    },
    remove(nodeId) {
      const file = read();
      const before = file.paired.length;
      file.paired = file.paired.filter((entry) => entry.nodeId !== nodeId);
      if (file.paired.length === before) return false;
      writeJsonFileAtomic(path, file);
      return true;
    },
  };
}
