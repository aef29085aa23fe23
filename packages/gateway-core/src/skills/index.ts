export { type BinaryLookup, createPathBinaryLookup } from "./find-binary.js";
export {
  evaluateSkillEligibility,
  type SkillConfigCheck,
  type SkillConfigEntry,
  type SkillEligibility,
} from "./skill-eligibility.js";
export { SkillError, type SkillErrorCode } from "./skill-error.js";
export {
  parseSkillFrontMatter,
  type SkillFrontMatter,
  type SkillInstallOption,
  type SkillRequirements,
} from "./skill-front-matter.js";
export {
  type InstallSkillOptions,
  type InstallSkillResult,
  installSkill,
  type SkillSourceKind,
  type UpdateSkillOptions,
  type UpdateSkillResult,
  updateAllSkills,
  updateSkill,
} from "./skill-install.js";
export { readSkillOrigin, SKILL_ORIGIN_FILE, type SkillOrigin } from "./skill-origin.js";
export { type ScanSkillsOptions, type SkillSource, type SkillStatusEntry, scanSkills } from "./skill-scan.js";
