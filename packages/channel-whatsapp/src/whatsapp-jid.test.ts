import { describe, expect, it } from "vitest";
import { idToJid, jidToId, sameUser, whatsappSenderIds } from "./whatsapp-jid.js";

describe("whatsapp ids", () => {
  it("shows phone users and groups by their bare id and keeps other jids whole", () => {
    expect(jidToId("15551234567:7@s.whatsapp.net")).toBe("15551234567");
    expect(jidToId("120363424282127706@g.us")).toBe("120363424282127706");
    expect(jidToId("99887766554433@lid")).toBe("99887766554433@lid");
  });

  it("turns numbers, group ids and jids back into jids", () => {
    expect(idToJid("+1 (555) 123-4567")).toBe("15551234567@s.whatsapp.net");
    expect(idToJid("120363424282127706")).toBe("120363424282127706@g.us");
    expect(idToJid("15551234567-1600000000")).toBe("15551234567-1600000000@g.us");
    expect(idToJid("99887766554433@lid")).toBe("99887766554433@lid");
    expect(() => idToJid("alice")).toThrow(/phone number with country code/);
  });

  it("compares accounts without the device suffix", () => {
    expect(sameUser("15550001111:7@s.whatsapp.net", "15550001111@s.whatsapp.net")).toBe(true);
    expect(sameUser("15550001111@lid", "15550001111@s.whatsapp.net")).toBe(false);
    expect(sameUser(undefined, "15550001111@s.whatsapp.net")).toBe(false);
  });
});

describe("whatsappSenderIds", () => {
  it("reduces every spelling of a phone number to its digits and keeps anything else", () => {
    for (const spelling of ["+1 555-555-0123", "+15555550123", "15555550123", "+1 (555) 555.0123"]) {
      expect(whatsappSenderIds.canonical(spelling)).toBe("15555550123");
    }
    expect(whatsappSenderIds.canonical("*")).toBe("*");
    expect(whatsappSenderIds.canonical("99887766@lid")).toBe("99887766@lid");
    expect(whatsappSenderIds.aliases?.("15555550123")).toEqual(["+15555550123"]);
    expect(whatsappSenderIds.aliases?.("99887766@lid")).toEqual([]);
  });
});
