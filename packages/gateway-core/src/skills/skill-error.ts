export type SkillErrorCode =
  | "SKILL_SOURCE_UNSUPPORTED"
  | "SKILL_SOURCE_NOT_FOUND"
  | "SKILL_MANIFEST_MISSING"
  | "SKILL_FRONT_MATTER_INVALID"
  | "SKILL_NAME_INVALID"
  | "SKILL_EXISTS"
  | "SKILL_NOT_INSTALLED"
  | "SKILL_ORIGIN_UNKNOWN"
  | "SKILL_NPM_PACK_FAILED"
  | "SKILL_ARCHIVE_INVALID";

/** A skill could not be read, installed or updated; the message says what to change. */
export class SkillError extends Error {
  override readonly name = "SkillError";
  readonly code: SkillErrorCode;

  constructor(code: SkillErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
