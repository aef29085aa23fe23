export {
  type ExposeViaTailscaleOptions,
  exposeViaTailscale,
  type TailscaleExposure,
} from "./expose-via-tailscale.js";
export { TailscaleError, type TailscaleErrorCode } from "./tailscale-error.js";
