/**
 * Table types for Kysely. Portable across SQLite and PostgreSQL: instants are ISO 8601 UTC text
 * (fixed width, so text order is time order), booleans are 0/1 integers, structured values are JSON text.
 */
export interface StaffTable {
  id: string;
  email: string;
  name: string;
  role: string;
  office: string | null;
  agent_id: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** SHA-256 of the bearer token or cookie value; the token itself is never stored. */
  id: string;
  staff_id: string;
  kind: 'api' | 'browser';
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface LoginFailureTable {
  id: string;
  /** What was throttled: "account:<sha256 of e-mail>" or "address:<ip>". */
  throttle_key: string;
  at: string;
}

export interface ApiClientTable {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  per_second: number;
  per_day: number;
  disabled: number;
  created_at: string;
}

export interface AccessTokenTable {
  id: string;
  client_id: string;
  scopes: string;
  issued_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  outcome: 'allowed' | 'denied';
  purpose: string | null;
  trace_id: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface Database {
  staff: StaffTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  api_clients: ApiClientTable;
  access_tokens: AccessTokenTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  settings: SettingTable;
}
