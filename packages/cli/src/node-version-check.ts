/**
 * The Node.js this CLI needs, checked before anything that fails on an older one is imported (node:sqlite, ...),
 * so `npx openclaw` on Node 20 stops with the fix instead of a stack trace. Keep in step with `engines.node`.
 */
const MIN_NODE: readonly [number, number] = [22, 12];

export function nodeVersionProblem(version: string, execPath: string): string | undefined {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return undefined;
  return [
    `openclaw needs Node.js >= ${MIN_NODE.join(".")}; this is Node.js ${version.replace(/^v/, "")} (${execPath}).`,
    "Get Node.js 24 in one of these ways, then run the same command again:",
    "  npm i --prefix ~/.local/node24 node@24 && export PATH=~/.local/node24/node_modules/.bin:$PATH",
    "      (no root, nothing global: Node 24 from the npm registry, first on PATH in this shell)",
    "  nvm install 24 && nvm use 24",
    "      (with nvm: https://github.com/nvm-sh/nvm)",
    "  or your system's Node.js 24 package: https://nodejs.org/en/download",
  ].join("\n");
}
