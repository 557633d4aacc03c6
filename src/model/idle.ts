/** An account's policy for forgotten functions: undeploy what was not invoked in `undeployAfterDays`. */
export interface IdlePolicy {
  account: string;
  undeployAfterDays: number;
  /** Told (a signed POST) before each function is undeployed; absent: only the audit log says so. */
  webhookUrl?: string;
  updatedAt: number;
}
