// The gateway's `storage` config section for a bench run (`--driver sqlite|postgres|file`), and the PostgreSQL
// schema a postgres run owns: created fresh before the gateway starts, dropped however the run ends.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export const DRIVERS = ["sqlite", "postgres", "file"];
export const POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

export function requireDriver(driver) {
  if (!DRIVERS.includes(driver)) throw new Error(`--driver=${driver}: choose one of ${DRIVERS.join(", ")}`);
  return driver;
}

/** The config's `storage` section; `file` is the legacy layout (sessions.json + JSONL), the store of before the drivers. */
export function storageSection(driver, schema) {
  if (driver === "file" || driver === "sqlite") return { driver };
  return { driver, url: POSTGRES_URL, schema };
}

const psql = (sql) =>
  execFileSync("psql", [POSTGRES_URL, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { stdio: "pipe" }).toString();

/** A fresh schema `bench_<random>`; the caller drops it with `dropPostgresSchema` however the run ends. */
export function createPostgresSchema() {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  try {
    psql(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    throw new Error(
      `cannot create schema ${schema} at ${POSTGRES_URL} (${error.stderr?.toString().trim() || error.message}): is PostgreSQL running there with trust auth, and psql on PATH?`,
    );
  }
  return schema;
}

export function dropPostgresSchema(schema) {
  psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
