import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseActRequest } from "./act-request.js";
import { BrowserError } from "./browser-error.js";
import {
  type BrowserSettings,
  BrowserSettingsSchema,
  DEFAULT_PROFILE,
  resolveProfile,
} from "./browser-settings.js";
import { findChromium } from "./find-chromium.js";
import { createNavigationGuard } from "./navigation-guard.js";
import { isRecord, optionalString, positiveNumber, requiredString, safeSegment } from "./request-values.js";
import { RunningProfile } from "./running-profile.js";

/** Snapshot text above this many characters is cut, with a note saying so. */
export const SNAPSHOT_DEFAULT_MAX_CHARS = 50_000;
export const SNAPSHOT_MAX_CHARS = 200_000;
/** Screenshots and PDFs larger than this are refused rather than handed to a model. */
export const CAPTURE_MAX_BYTES = 10 * 1024 * 1024;

export interface BrowserControlOptions {
  /** Where each agent's profiles keep their user-data dirs (`<stateDir>/browser/<agent>/<profile>`) and captures. */
  stateDir: string;
  /** The raw `browser` section of the current config (parsed on every call, so an edit applies to the next start). */
  settings: () => unknown | Promise<unknown>;
  env?: NodeJS.ProcessEnv;
}

export interface BrowserRequest {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Whose profiles the request drives; browser profiles are never shared between agents. */
  agentId?: string;
  signal?: AbortSignal;
}

export interface BrowserResponse {
  status: number;
  body: Record<string, unknown>;
}

/** The captured bytes of a screenshot, kept beside the JSON answer for the agent tool (never sent over the wire). */
export interface CaptureAttachment {
  data: Buffer;
  mediaType: "image/png" | "image/jpeg" | "application/pdf";
}

export interface BrowserControl {
  /** Serves one control-API request (OpenClaw's browser routes); errors become `{ error, code }` with a status. */
  request(request: BrowserRequest): Promise<BrowserResponse & { capture?: CaptureAttachment }>;
  /** Stops every Chromium this control started. */
  close(): Promise<void>;
}

type Handler = (ctx: RouteContext) => Promise<Record<string, unknown> & { capture?: CaptureAttachment }>;

interface RouteContext {
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  param?: string;
  agentId: string;
  profile: string;
  settings: BrowserSettings;
}

export function createBrowserControl(options: BrowserControlOptions): BrowserControl {
  const env = options.env ?? process.env;
  const running = new Map<string, RunningProfile>();
  const starting = new Map<string, Promise<RunningProfile>>();
  let currentSettings: BrowserSettings = {};
  const guard = createNavigationGuard(() => currentSettings.ssrfPolicy);

  const key = (agentId: string, profile: string) => `${agentId}/${profile}`;
  const userDataDir = (agentId: string, profile: string) =>
    join(options.stateDir, "browser", safeSegment(agentId), safeSegment(profile), "user-data");

  const readSettings = async (): Promise<BrowserSettings> => {
    const parsed = BrowserSettingsSchema.safeParse((await options.settings()) ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BrowserError(
        "INVALID_REQUEST",
        `the browser config section is invalid: browser.${issue?.path.join(".")}: ${issue?.message}; fix it in openclaw.json`,
      );
    }
    return parsed.data;
  };

  const live = (ctx: RouteContext): RunningProfile | undefined => {
    const found = running.get(key(ctx.agentId, ctx.profile));
    return found?.running ? found : undefined;
  };

  const ensure = (ctx: RouteContext): Promise<RunningProfile> => {
    const existing = live(ctx);
    if (existing) return Promise.resolve(existing);
    const id = key(ctx.agentId, ctx.profile);
    let pending = starting.get(id);
    if (!pending) {
      pending = (async () => {
        const profile = resolveProfile(ctx.settings, ctx.profile, env);
        if (!profile) throw unknownProfile(ctx);
        const executablePath = findChromium(profile.executablePath, env);
        const started = await RunningProfile.start(
          {
            executablePath,
            userDataDir: userDataDir(ctx.agentId, ctx.profile),
            headless: profile.headless,
            // Chromium refuses to run its sandbox as root: there the config's default cannot apply.
            noSandbox: profile.noSandbox || process.getuid?.() === 0,
            extraArgs: profile.extraArgs,
          },
          guard,
          () => currentSettings.ssrfPolicy,
        );
        running.set(id, started);
        return started;
      })().finally(() => starting.delete(id));
      starting.set(id, pending);
    }
    return pending;
  };

  const saveCapture = async (data: Buffer, extension: string): Promise<string> => {
    if (data.byteLength > CAPTURE_MAX_BYTES) {
      throw new BrowserError(
        "OUTPUT_TOO_LARGE",
        `the capture is ${data.byteLength} bytes, over the ${CAPTURE_MAX_BYTES}-byte cap: capture the viewport (fullPage false) or use type jpeg`,
      );
    }
    const dir = join(options.stateDir, "media", "browser");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${randomUUID()}.${extension}`);
    await writeFile(path, data, { mode: 0o600 });
    return path;
  };

  const status: Handler = async (ctx) => {
    const profile = resolveProfile(ctx.settings, ctx.profile, env);
    if (!profile) throw unknownProfile(ctx);
    const current = live(ctx);
    let detected: string | null = null;
    let detectError: string | null = null;
    try {
      detected = findChromium(profile.executablePath, env);
    } catch (error) {
      detectError = (error as Error).message;
    }
    return {
      enabled: ctx.settings.enabled !== false,
      profile: ctx.profile,
      driver: "openclaw",
      transport: "cdp",
      running: current !== undefined,
      cdpReady: current !== undefined,
      pid: current?.process.pid ?? null,
      cdpPort: current?.process.cdpPort ?? null,
      cdpUrl: current?.process.cdpUrl ?? null,
      detectedExecutablePath: detected,
      detectError,
      userDataDir: userDataDir(ctx.agentId, ctx.profile),
      color: profile.color,
      headless: profile.headless,
      headlessSource: profile.headlessSource,
      noSandbox: profile.noSandbox,
      executablePath: profile.executablePath ?? null,
      attachOnly: false,
    };
  };

  const routes: Record<string, Handler> = {
    "GET /": status,
    "POST /start": async (ctx) => {
      await ensure(ctx);
      return { ok: true, ...(await status(ctx)) };
    },
    "POST /stop": async (ctx) => {
      const current = running.get(key(ctx.agentId, ctx.profile));
      running.delete(key(ctx.agentId, ctx.profile));
      await current?.stop();
      return { ok: true, stopped: current !== undefined, profile: ctx.profile };
    },
    "GET /profiles": async (ctx) => ({
      profiles: [...new Set([DEFAULT_PROFILE, ...Object.keys(ctx.settings.profiles ?? {})])].map((name) => ({
        name,
        running: running.get(key(ctx.agentId, name))?.running === true,
        isDefault: name === (ctx.settings.defaultProfile ?? DEFAULT_PROFILE),
      })),
    }),
    "GET /tabs": async (ctx) => {
      const current = live(ctx);
      return current ? { running: true, tabs: await current.tabs.list() } : { running: false, tabs: [] };
    },
    "POST /tabs/open": async (ctx) => {
      const url = requiredString(ctx.body.url, "url");
      return { ...(await (await ensure(ctx)).open(url)), resolvedProfile: ctx.profile };
    },
    "POST /tabs/focus": async (ctx) => {
      const targetId = requiredString(ctx.body.targetId, "targetId");
      return { ok: true, ...(await (await ensure(ctx)).focus(targetId)) };
    },
    "DELETE /tabs/:targetId": async (ctx) => ({ ok: true, ...(await (await ensure(ctx)).close(ctx.param)) }),
    "POST /navigate": async (ctx) => {
      const url = requiredString(ctx.body.url, "url");
      const tab = await (await ensure(ctx)).navigate(optionalString(ctx.body.targetId), url);
      return { ok: true, ...tab };
    },
    "GET /snapshot": async (ctx) => {
      const maxChars = Math.min(
        positiveNumber(ctx.query.maxChars) ?? SNAPSHOT_DEFAULT_MAX_CHARS,
        SNAPSHOT_MAX_CHARS,
      );
      const current = await ensure(ctx);
      const { tab, text } = await current.snapshot(
        optionalString(ctx.query.targetId),
        positiveNumber(ctx.query.depth),
      );
      const truncated = text.length > maxChars;
      const snapshot = truncated
        ? `${text.slice(0, maxChars)}\n[snapshot truncated at ${maxChars} of ${text.length} characters: pass a larger maxChars]`
        : text;
      return {
        ok: true,
        format: "ai",
        targetId: tab.suggestedTargetId,
        url: tab.url,
        title: tab.title,
        snapshot,
        truncated,
        stats: {
          lines: snapshot.split("\n").length,
          chars: snapshot.length,
          refs: (text.match(/\[ref=/g) ?? []).length,
        },
      };
    },
    "POST /act": async (ctx) => {
      const request = parseActRequest(ctx.body);
      const current = await ensure(ctx);
      const page = await current.act(optionalString(ctx.body.targetId), request);
      const tab = await current.tabs.describe(page);
      return { ok: true, targetId: tab.suggestedTargetId, url: tab.url };
    },
    "POST /screenshot": async (ctx) => {
      const type = ctx.body.type === "jpeg" ? "jpeg" : "png";
      const ref = optionalString(ctx.body.ref);
      const fullPage = ctx.body.fullPage === true;
      if (fullPage && ref)
        throw new BrowserError("INVALID_REQUEST", "fullPage is not supported for element screenshots");
      const current = await ensure(ctx);
      const { page, data } = await current.screenshot(optionalString(ctx.body.targetId), {
        fullPage,
        type,
        ...(ref ? { ref } : {}),
      });
      const path = await saveCapture(data, type === "jpeg" ? "jpg" : "png");
      const tab = await current.tabs.describe(page);
      return {
        ok: true,
        path,
        targetId: tab.suggestedTargetId,
        url: tab.url,
        bytes: data.byteLength,
        capture: { data, mediaType: type === "jpeg" ? "image/jpeg" : "image/png" },
      };
    },
    "POST /pdf": async (ctx) => {
      const current = await ensure(ctx);
      const { page, data } = await current.pdf(optionalString(ctx.body.targetId));
      const path = await saveCapture(data, "pdf");
      const tab = await current.tabs.describe(page);
      return { ok: true, path, targetId: tab.suggestedTargetId, url: tab.url, bytes: data.byteLength };
    },
  };

  return {
    async request(request) {
      try {
        const settings = await readSettings();
        currentSettings = settings;
        if (settings.enabled === false) {
          throw new BrowserError(
            "BROWSER_DISABLED",
            "the browser is disabled: set browser.enabled to true to use it",
          );
        }
        const query = request.query ?? {};
        const body = isRecord(request.body) ? request.body : {};
        const profile =
          optionalString(query.profile) ??
          optionalString(body.profile) ??
          settings.defaultProfile ??
          DEFAULT_PROFILE;
        const { handler, param } = matchRoute(routes, request.method, request.path);
        const { capture, ...result } = await handler({
          query,
          body,
          ...(param !== undefined ? { param } : {}),
          agentId: request.agentId ?? "main",
          profile,
          settings,
        });
        return { status: 200, body: result, ...(capture ? { capture } : {}) };
      } catch (error) {
        if (error instanceof BrowserError) {
          return { status: error.status, body: { error: error.message, code: error.code } };
        }
        return { status: 500, body: { error: (error as Error).message ?? String(error) } };
      }
    },
    async close() {
      await Promise.allSettled([...starting.values()]);
      const all = [...running.values()];
      running.clear();
      await Promise.all(all.map((profile) => profile.stop()));
    },
  };
}

function matchRoute(
  routes: Record<string, Handler>,
  method: string,
  path: string,
): { handler: Handler; param?: string } {
  const exact = routes[`${method} ${path}`];
  if (exact) return { handler: exact };
  const tab = /^\/tabs\/([^/]+)$/.exec(path);
  const tabRoute = routes[`${method} /tabs/:targetId`];
  if (tab?.[1] && tabRoute) return { handler: tabRoute, param: decodeURIComponent(tab[1]) };
  throw new BrowserError(
    "ROUTE_NOT_FOUND",
    `no browser route ${method} ${path}: this gateway serves ${Object.keys(routes).join(", ")}`,
  );
}

function unknownProfile(ctx: RouteContext): BrowserError {
  const known = [DEFAULT_PROFILE, ...Object.keys(ctx.settings.profiles ?? {})];
  return new BrowserError(
    "PROFILE_UNKNOWN",
    `unknown browser profile "${ctx.profile}": use one of ${known.join(", ")} or add it under browser.profiles`,
  );
}
