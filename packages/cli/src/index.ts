export { CLI_VERSION, CliError, runCli } from "./cli.js";
