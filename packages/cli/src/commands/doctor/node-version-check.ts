import { check, type DoctorCheck } from "./doctor-check.js";

const MINIMUM = [22, 12] as const;

/** Node below 22.12 lacks APIs the gateway relies on (e.g. `require(esm)` unflagged), so it is an error. */
export function checkNodeVersion(version: string): DoctorCheck {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  const supported = major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
  return supported
    ? check("node-version", "ok", `Node.js ${version} (>= ${MINIMUM.join(".")})`)
    : check(
        "node-version",
        "error",
        `Node.js ${version} is too old: OpenClaw needs >= ${MINIMUM.join(".")}`,
        "install Node.js 22.12 or newer (e.g. `nvm install 24`) and run openclaw with it",
      );
}
