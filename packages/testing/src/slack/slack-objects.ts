/** A Slack Events API event as the fake delivers it (message or app_mention), fields as Slack names them. */
export interface SlackEvent {
  type: "message" | "app_mention";
  channel: string;
  user: string;
  text: string;
  ts: string;
  event_ts: string;
  team: string;
  /** Only on `message` events: "im" for a DM, "channel" / "group" / "mpim" otherwise. */
  channel_type?: "im" | "channel" | "group" | "mpim";
  thread_ts?: string;
  client_msg_id?: string;
}

/** The `payload` of an `events_api` envelope (the same body Slack POSTs to a Request URL). */
export interface SlackEventCallback {
  token: string;
  team_id: string;
  api_app_id: string;
  event: SlackEvent;
  type: "event_callback";
  event_id: string;
  event_time: number;
  authorizations: {
    enterprise_id: null;
    team_id: string;
    user_id: string;
    is_bot: true;
    is_enterprise_install: false;
  }[];
  is_ext_shared_channel: false;
}

/** One Socket Mode envelope. */
export interface SlackEnvelope {
  envelope_id: string;
  type: "events_api";
  payload: SlackEventCallback;
  accepts_response_payload: false;
  retry_attempt: number;
  retry_reason: string;
}

/** Message timestamps: seconds and a per-server counter, unique and increasing like Slack's. */
export class TimestampClock {
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.counter).padStart(6, "0")}`;
  }
}

/** Slack's entity escaping for message text: only &, < and > are encoded. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
