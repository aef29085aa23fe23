/** One file as Slack describes it inside a message event (`files[]`) and in files.* answers; fields as Slack names them. */
export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  user_team: string;
  editable: boolean;
  size: number;
  mode: "hosted";
  is_external: false;
  external_type: "";
  is_public: boolean;
  public_url_shared: false;
  display_as_bot: false;
  username: "";
  url_private: string;
  url_private_download: string;
  permalink: string;
  is_starred: false;
  has_rich_preview: false;
  file_access: "visible";
  /** Slack's clips: "slack_audio" (audio clip), "slack_video" (video clip). */
  subtype?: "slack_audio" | "slack_video";
  media_display_type?: "audio" | "video";
  duration_ms?: number;
  original_w?: number;
  original_h?: number;
}

/** A `message` or `app_mention` event as the fake delivers it, fields as Slack names them. */
export interface SlackMessageEvent {
  type: "message" | "app_mention";
  /** "file_share" when the message carries files. */
  subtype?: "file_share";
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
  files?: SlackFile[];
  upload?: boolean;
  display_as_bot?: boolean;
}

/** `reaction_added` / `reaction_removed`. */
export interface SlackReactionEvent {
  type: "reaction_added" | "reaction_removed";
  user: string;
  /** Slack's emoji name without colons, e.g. "+1" or "+1::skin-tone-2". */
  reaction: string;
  /** The author of the reacted message. */
  item_user?: string;
  item: { type: "message"; channel: string; ts: string };
  event_ts: string;
}

export type SlackEvent = SlackMessageEvent | SlackReactionEvent;

/** The `payload` of an `events_api` envelope (the same body Slack POSTs to a Request URL). */
export interface SlackEventCallback<Event extends SlackEvent = SlackEvent> {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Event;
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

/** The `payload` of a `slash_commands` envelope: Slack's form fields, all strings. */
export interface SlackSlashCommandPayload {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: "false";
  response_url: string;
  trigger_id: string;
}

/** One Socket Mode envelope. */
export type SlackEnvelope =
  | {
      envelope_id: string;
      type: "events_api";
      payload: SlackEventCallback;
      accepts_response_payload: false;
      retry_attempt: number;
      retry_reason: string;
    }
  | {
      envelope_id: string;
      type: "slash_commands";
      payload: SlackSlashCommandPayload;
      accepts_response_payload: true;
    };

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
