import { describe, expect, it } from "vitest";
import { idToJid, jidToId, sameUser } from "./whatsapp-jid.js";

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
