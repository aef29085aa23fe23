export {
  type CronClock,
  type CronTimer,
  createManualCronClock,
  type ManualCronClock,
  systemCronClock,
} from "./cron-clock.js";
export { CronError, type CronErrorCode, isCronError } from "./cron-error.js";
export { parseAtMs } from "./cron-schedule.js";
export {
  type CronChat,
  type CronDeliveryRequest,
  CronService,
  type CronServiceOptions,
  type CronSettings,
  DEFAULT_CATCH_UP_DELAY_MS,
} from "./cron-service.js";
export { readCronSettings } from "./cron-settings.js";
