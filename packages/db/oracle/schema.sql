-- The six deploy-target tables as the campaign service expects them (Oracle 19c+).
-- For a DBA to compare with the tables in production; the service never runs this file itself.
-- The PGlite twin (src/target/pglite/twin-schema.ts) creates the same tables and columns, and a test checks
-- that the two stay in step. Column names follow the seed's JSON fields (campaign_name -> CAMPAIGN_NAME).
-- IINs are VARCHAR2(12), zero-padded: an IIN of a person born 2000-2009 starts with 0.
-- Text widths are characters (CHAR semantics) and equal core's METADATA_TEXT_LIMITS. Under the default
-- MAX_STRING_SIZE=STANDARD a VARCHAR2 still holds at most 4000 bytes, i.e. ~2000 Cyrillic or Kazakh letters:
-- a longer text is refused with ORA-12899, which the service reports as "value too large for column".

CREATE TABLE dssb_ocds.mb01_camp_dict (
  CAMPAIGNCODE      VARCHAR2(20)   NOT NULL,  -- C + 9 digits, e.g. C000012345 (legacy rows may differ)
  CAMPAIGN_NAME     VARCHAR2(255 CHAR)  NOT NULL,
  CAMPAIGN_DESC     VARCHAR2(4000 CHAR),
  STREAM            VARCHAR2(100 CHAR),            -- e.g. market
  SUB_STREAM        VARCHAR2(100 CHAR),            -- e.g. seasonal
  TARGET_ACTION     VARCHAR2(255 CHAR),            -- e.g. purchase
  CHANNEL           VARCHAR2(50 CHAR),             -- Push | POP-UP | SMS
  CAMPAIGN_TYPE     VARCHAR2(100 CHAR),            -- business type, e.g. promotion
  CAMPAIGN_TEXT     VARCHAR2(4000 CHAR),           -- Russian text
  CAMPAIGN_TEXT_KZ  VARCHAR2(4000 CHAR),           -- Kazakh text
  SHORT_DESC        VARCHAR2(500 CHAR),
  DATE_START        DATE,
  DATE_END          DATE,
  OUT_DATE          DATE,                     -- launch date
  CAMP_CNT          NUMBER(12),               -- planned audience size
  LOAD_DATE         DATE DEFAULT SYSDATE NOT NULL,
  CONSTRAINT mb01_camp_dict_pk PRIMARY KEY (CAMPAIGNCODE)
);

CREATE TABLE dssb_ocds.rb3_tr_campaign_dict (
  CAMPAIGNCODE        VARCHAR2(20)   NOT NULL,
  CAMPAIGN_NAME       VARCHAR2(255 CHAR)  NOT NULL,
  CAMPAIGN_DESC       VARCHAR2(4000 CHAR),
  STREAM              VARCHAR2(100 CHAR),
  SUB_STREAM          VARCHAR2(100 CHAR),
  TARGET_ACTION       VARCHAR2(255 CHAR),
  CHANNEL             VARCHAR2(50 CHAR),
  CAMPAIGN_TYPE       VARCHAR2(100 CHAR),
  CAMPAIGN_TEXT       VARCHAR2(4000 CHAR),
  CAMPAIGN_TEXT_KZ    VARCHAR2(4000 CHAR),
  SHORT_DESC          VARCHAR2(500 CHAR),
  DATE_START          DATE,
  DATE_END            DATE,
  OUT_DATE            DATE,
  CAMP_CNT            NUMBER(12),
  XLS_OW_ID           VARCHAR2(20)   NOT NULL,  -- KKB_ + 4 digits, e.g. KKB_0123 (legacy rows may differ)
  BONUS               VARCHAR2(255 CHAR),
  CHARACTERISTIC_JSON CLOB,                     -- JSON configuration of the bonus
  LOAD_DATE           DATE DEFAULT SYSDATE NOT NULL,
  CONSTRAINT rb3_tr_campaign_dict_pk PRIMARY KEY (CAMPAIGNCODE),
  CONSTRAINT rb3_tr_campaign_dict_xls_uk UNIQUE (XLS_OW_ID)
);

-- Target users of a campaign (they receive it).
CREATE TABLE dssb_ocds.mb22_local_target (
  CAMPAIGNCODE VARCHAR2(20) NOT NULL,
  IIN          VARCHAR2(12) NOT NULL,
  LOAD_DATE    DATE DEFAULT SYSDATE NOT NULL,
  CONSTRAINT mb22_local_target_pk PRIMARY KEY (CAMPAIGNCODE, IIN)
);

-- Control group of a campaign (held back, for measuring its effect).
CREATE TABLE dssb_ocds.mb21_local_control (
  CAMPAIGNCODE VARCHAR2(20) NOT NULL,
  IIN          VARCHAR2(12) NOT NULL,
  LOAD_DATE    DATE DEFAULT SYSDATE NOT NULL,
  CONSTRAINT mb21_local_control_pk PRIMARY KEY (CAMPAIGNCODE, IIN)
);

-- The campaign's user list read by the delivery systems (target users).
CREATE TABLE spss.fd_rb2_campaigns_users (
  CAMPAIGNCODE VARCHAR2(20) NOT NULL,
  IIN          VARCHAR2(12) NOT NULL,
  LOAD_DATE    DATE DEFAULT SYSDATE NOT NULL,
  CONSTRAINT fd_rb2_campaigns_users_pk PRIMARY KEY (CAMPAIGNCODE, IIN)
);

-- Users reserved by a campaign for its period (contact pressure: overlapping campaigns leave them out).
CREATE TABLE spss.off_limit_campaigns_users (
  CAMPAIGNCODE VARCHAR2(20) NOT NULL,
  IIN          VARCHAR2(12) NOT NULL,
  DATE_START   DATE,
  DATE_END     DATE,
  LOAD_DATE    DATE DEFAULT SYSDATE NOT NULL,
  CONSTRAINT off_limit_campaigns_users_pk PRIMARY KEY (CAMPAIGNCODE, IIN)
);

CREATE INDEX off_limit_campaigns_users_period_ix ON spss.off_limit_campaigns_users (DATE_END, DATE_START);
