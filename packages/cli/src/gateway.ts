export * from "@openclaw/gateway";
