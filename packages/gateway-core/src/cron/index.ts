export {
  type CronClock,
  type CronTimer,
  createManualCronClock,
  type ManualCronClock,
  systemCronClock,
} from "./cron-clock.js";
export {
  CRON_CHANGED_TOPIC,
  CRON_LEADER_LEASE,
  type CronCoordination,
  isCronVersionConflict,
} from "./cron-coordination.js";
export { CronError, type CronErrorCode, isCronError } from "./cron-error.js";
export { FileCronStore } from "./cron-file-store.js";
export { type CronJobStore, MAX_RUNS_PER_JOB, type StoredCronJob } from "./cron-job-store.js";
export { DEFAULT_LEADER_RETRY_MS } from "./cron-leadership.js";
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
export { CRON_JOBS_TABLE, CRON_RUNS_TABLE } from "./cron-table-keys.js";
export {
  createStorageCronStore,
  createTableCronStore,
  type TableCronStoreOptions,
} from "./cron-table-store.js";
