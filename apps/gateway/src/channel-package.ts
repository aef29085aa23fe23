import { ChannelError } from "@openclaw/gateway-core";

/**
 * The first-party channel packages are optional peers of `@openclaw/gateway` and `openclaw`: an install carries only
 * the channels it uses. `load` imports `@openclaw/channel-<channel>`; when that package is absent the channel fails with
 * CHANNEL_PACKAGE_MISSING and the install command, and every other channel keeps running.
 */
export function importChannelPackage<T>(channel: string, load: () => Promise<T>): Promise<T> {
  const packageName = `@openclaw/channel-${channel}`;
  // A restart is needed: Node remembers that the package was not there, so a retry in this process fails again.
  return importOptionalPackage(
    packageName,
    load,
    (install, cause) =>
      new ChannelError(
        "CHANNEL_PACKAGE_MISSING",
        `the ${channel} channel is configured but ${packageName} is not installed: ${install}, then restart the gateway`,
        { channel, cause },
      ),
  );
}

/**
 * Imports an optional peer package with `load`. When the package itself is absent, the error `missing` builds is
 * thrown; it gets the install advice ("run `npm i <package>` where <host> is installed"). Anything else is rethrown.
 */
export async function importOptionalPackage<T>(
  packageName: string,
  load: () => Promise<T>,
  missing: (install: string, cause: unknown) => Error,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const importer = missingPackageImporter(error, packageName);
    if (importer === undefined) throw error;
    const host = installedPackageOf(importer);
    throw missing(
      `run \`npm i ${packageName}\` where ${host} is installed${host === "openclaw" ? " (with -g for a global install)" : ""}`,
      error,
    );
  }
}

/**
 * The file that imported `packageName` when the error is Node's "Cannot find package '<packageName>' imported from
 * <file>" for exactly that package; undefined for anything else (a missing dependency *inside* the channel package
 * is a broken install, not a missing channel, and keeps its own message).
 */
export function missingPackageImporter(error: unknown, packageName: string): string | undefined {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") {
    return undefined;
  }
  const match = /^Cannot find package '([^']+)' imported from (.+)$/.exec(error.message);
  if (match?.[1] !== packageName) return undefined;
  return match[2] ?? "";
}

/**
 * The installed package the importing file belongs to (`openclaw` for the CLI's bundle, `@openclaw/gateway` for the
 * library): the channel package must be installed next to it.
 */
function installedPackageOf(importer: string): string {
  const path = importer.replace(/^file:\/\//, "").replaceAll("\\", "/");
  const inModules = path.lastIndexOf("/node_modules/");
  if (inModules === -1) return "@openclaw/gateway";
  const [first = "", second = ""] = path.slice(inModules + "/node_modules/".length).split("/");
  return first.startsWith("@") ? `${first}/${second}` : first;
}
