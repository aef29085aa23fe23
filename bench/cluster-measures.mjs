// What bench/cluster.mjs measures besides time: where the CPU goes (per process, from /proc; Linux, as the bench
// machines are) and how many round trips to PostgreSQL a turn makes (a counting proxy).
import { readdirSync, readFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time (user + system) of a process so far, in ms, from /proc (0 once it is gone). */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return 0;
  }
}

/** Every PostgreSQL server process on this machine (other users of the shared server add noise). */
function postgresPids() {
  return readdirSync("/proc").filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres";
    } catch {
      return false;
    }
  });
}

/** Busy CPU time of the whole machine so far, in ms (every process, other users' included), from /proc/stat. */
function machineBusyMs() {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks; // not idle, not iowait
  return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
}

/** Where CPU goes while a phase runs: each gateway, PostgreSQL, and this process (load generator and fakes). */
export function cpuSnapshot(instances) {
  const self = process.cpuUsage();
  return {
    machine: machineBusyMs(),
    gateways: instances.map((instance) => cpuMs(instance.child.pid)),
    postgres: new Map(postgresPids().map((pid) => [pid, cpuMs(pid)])),
    bench: (self.user + self.system) / 1000,
  };
}

export function cpuSpent(before, after) {
  let postgres = 0;
  for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
  return {
    machine: after.machine - before.machine,
    gateways: after.gateways.map((ms, i) => ms - before.gateways[i]),
    postgres,
    bench: after.bench - before.bench,
  };
}

/**
 * A loopback proxy in front of PostgreSQL that counts round trips: every ReadyForQuery ('Z') the server sends
 * ends one (a simple query, or an extended-protocol batch up to its Sync). Server messages are typed, length-prefixed
 * frames, so counting needs no more parsing than that. `url` is the database URL through the proxy.
 */
export async function startRoundTripCounter(databaseUrl) {
  const target = new URL(databaseUrl);
  let roundTrips = 0;
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    upstream.on("data", (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= 5) {
        const length = pending.readUInt32BE(offset + 1);
        if (pending.length - offset < 1 + length) break;
        if (pending[offset] === 0x5a) roundTrips += 1; // 'Z'
        offset += 1 + length;
      }
      pending = pending.subarray(offset);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(server.address().port);
  return {
    url: proxied.toString(),
    get roundTrips() {
      return roundTrips;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}

/**
 * Round trips to PostgreSQL per sequential turn. The gateways' idle traffic (heartbeats, member refreshes) over
 * 2 s before is subtracted.
 */
export async function roundTripsPerTurn(counter, turn, turns = 50) {
  const idleStart = counter.roundTrips;
  await sleep(2_000);
  const idlePerMs = (counter.roundTrips - idleStart) / 2_000;
  const start = counter.roundTrips;
  const started = performance.now();
  for (let i = 0; i < turns; i += 1) await turn();
  const elapsed = performance.now() - started;
  return (counter.roundTrips - start - idlePerMs * elapsed) / turns;
}
