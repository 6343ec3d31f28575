// The PostgreSQL twin of oracle/schema.sql: the same schemas, tables, columns and keys, in PostgreSQL types
// (VARCHAR2 -> varchar, NUMBER(12) -> bigint, CLOB -> text, Oracle DATE with its time part -> timestamp(0) for
// LOAD_DATE). twin-schema.test.ts checks the column lists against the Oracle file.
export const twinSchemaSql = `
CREATE SCHEMA IF NOT EXISTS dssb_ocds;
CREATE SCHEMA IF NOT EXISTS spss;

CREATE TABLE IF NOT EXISTS dssb_ocds.mb01_camp_dict (
  campaigncode      varchar(20)   NOT NULL,
  campaign_name     varchar(255)  NOT NULL,
  campaign_desc     varchar(4000),
  stream            varchar(100),
  sub_stream        varchar(100),
  target_action     varchar(255),
  channel           varchar(50),
  campaign_type     varchar(100),
  campaign_text     varchar(4000),
  campaign_text_kz  varchar(4000),
  short_desc        varchar(500),
  date_start        date,
  date_end          date,
  out_date          date,
  camp_cnt          bigint,
  load_date         timestamp(0) NOT NULL DEFAULT localtimestamp(0),
  CONSTRAINT mb01_camp_dict_pk PRIMARY KEY (campaigncode)
);

CREATE TABLE IF NOT EXISTS dssb_ocds.rb3_tr_campaign_dict (
  campaigncode        varchar(20)   NOT NULL,
  campaign_name       varchar(255)  NOT NULL,
  campaign_desc       varchar(4000),
  stream              varchar(100),
  sub_stream          varchar(100),
  target_action       varchar(255),
  channel             varchar(50),
  campaign_type       varchar(100),
  campaign_text       varchar(4000),
  campaign_text_kz    varchar(4000),
  short_desc          varchar(500),
  date_start          date,
  date_end            date,
  out_date            date,
  camp_cnt            bigint,
  xls_ow_id           varchar(20)   NOT NULL,
  bonus               varchar(255),
  characteristic_json text,
  load_date           timestamp(0) NOT NULL DEFAULT localtimestamp(0),
  CONSTRAINT rb3_tr_campaign_dict_pk PRIMARY KEY (campaigncode),
  CONSTRAINT rb3_tr_campaign_dict_xls_uk UNIQUE (xls_ow_id)
);

CREATE TABLE IF NOT EXISTS dssb_ocds.mb22_local_target (
  campaigncode varchar(20) NOT NULL,
  iin          varchar(12) NOT NULL,
  load_date    timestamp(0) NOT NULL DEFAULT localtimestamp(0),
  CONSTRAINT mb22_local_target_pk PRIMARY KEY (campaigncode, iin)
);

CREATE TABLE IF NOT EXISTS dssb_ocds.mb21_local_control (
  campaigncode varchar(20) NOT NULL,
  iin          varchar(12) NOT NULL,
  load_date    timestamp(0) NOT NULL DEFAULT localtimestamp(0),
  CONSTRAINT mb21_local_control_pk PRIMARY KEY (campaigncode, iin)
);

CREATE TABLE IF NOT EXISTS spss.fd_rb2_campaigns_users (
  campaigncode varchar(20) NOT NULL,
  iin          varchar(12) NOT NULL,
  load_date    timestamp(0) NOT NULL DEFAULT localtimestamp(0),
  CONSTRAINT fd_rb2_campaigns_users_pk PRIMARY KEY (campaigncode, iin)
);

CREATE TABLE IF NOT EXISTS spss.off_limit_campaigns_users (
  campaigncode varchar(20) NOT NULL,
  iin          varchar(12) NOT NULL,
  date_start   date,
  date_end     date,
  load_date    timestamp(0) NOT NULL DEFAULT localtimestamp(0),
  CONSTRAINT off_limit_campaigns_users_pk PRIMARY KEY (campaigncode, iin)
);

-- No period index here (oracle/schema.sql has one): on the twin it would make loading the off-limit table ~40%
-- slower for little gain, since a campaign's rows all share one period.
`;
