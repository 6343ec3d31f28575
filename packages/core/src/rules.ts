// The browser-safe part of @campaigns/core (`@campaigns/core/rules`): IIN rules, codes, channel texts, metadata
// schemas, errors. No audience engine, so a web bundle importing it does not pull in parquet-wasm and Arrow.
export {
  CAMPAIGN_CODE_PATTERN,
  isCampaignCode,
  isProvisionalCode,
  nextCampaignCode,
  PROVISIONAL_CODE_PATTERN,
  type ProvisionalCampaignCode,
  provisionalCampaignCode,
} from './campaign-code';
export {
  type CampaignMetadata,
  formatMetadataIssues,
  METADATA_TEXT_LIMITS,
  metadataSchemaFor,
  parseCampaignMetadata,
  type Rb1Metadata,
  type Rb1MetadataInput,
  type Rb3Metadata,
  type Rb3MetadataInput,
  rb1MetadataSchema,
  rb3MetadataSchema,
} from './campaign-metadata';
export { CAMPAIGN_STATUSES, type CampaignStatus, LIVE_CAMPAIGN_STATUSES } from './campaign-status';
export { CAMPAIGN_TYPES, type CampaignType, campaignTypeSchema } from './campaign-type';
export {
  CHANNEL_TEXT_LIMITS,
  CHANNELS,
  type Channel,
  type ChannelTextField,
  type ChannelTextInfo,
  type ChannelTextProblem,
  type ChannelTextProblemCode,
  type ChannelTexts,
  checkChannelTexts,
  describeChannelText,
  normaliseChannel,
  textLength,
} from './channel-text';
export { MAX_CONTROL_SHARE } from './control-share';
export { csvCell, csvText } from './csv-cell';
export { ALL_DEPLOY_OPTIONS, type DeployOptions, deployOptionsSchema } from './deploy-options';
export {
  CodedError,
  DOMAIN_ERROR_CODES,
  DomainError,
  type DomainErrorCode,
  type DomainErrorDetails,
  domainError,
  type ErrorDetails,
  type ErrorKind,
  isDomainError,
  isDomainErrorCode,
} from './errors';
export {
  completeIin,
  formatIin,
  IIN_LIMIT,
  IIN_REASON_CODES,
  type IinRejectReason,
  type IinValidation,
  type IinWarning,
  type IinWarningCode,
  iinCheckDigit,
  isValidIin,
  parseIin,
  validateIin,
} from './iin';
export {
  type IinColumnRejection,
  type IinColumnReport,
  type IinColumnWarning,
  MAX_IIN_CELL_LENGTH,
  type ParseIinColumnOptions,
  parseIinColumn,
} from './iin-column';
export {
  IIN_AGE_BANDS,
  IIN_STRATA,
  IIN_STRATUM_SEXES,
  type IinAgeBand,
  type IinSex,
  iinAge,
  iinAgeBand,
  iinBirthYear,
  iinSex,
  iinStratum,
  iinStratumIndex,
} from './iin-facts';
export { IIN_MASK_CHARACTER, IIN_MASK_SHOWN, maskIin } from './iin-mask';
export {
  INPUT_RULES,
  type InputIssue,
  type InputRule,
  inputIssueSchema,
  inputIssuesOf,
  ruleOfZodIssue,
} from './input-issue';
export { drawSample } from './sample-draw';
export {
  nonGsm7Characters,
  SMS_LIMITS,
  type SmsEncoding,
  type SmsInfo,
  smsInfo,
} from './sms';
export { isXlsOwId, nextXlsOwId, XLS_OW_ID_PATTERN } from './xls-ow-id';
