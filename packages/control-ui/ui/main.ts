import "./styles.css";
import { GatewayClient, GatewayError, type HelloOk } from "@openclaw/client";
import { mountAppShell } from "./app-shell.js";
import { CONTROL_UI_SCOPES } from "./control-ui-scopes.js";
import { type Credential, clearCredential, loadCredential, saveCredential } from "./credential-store.js";
import { replaceChildren } from "./element-builder.js";
import { errorMessage } from "./error-message.js";
import { gatewayUrlFromLocation } from "./gateway-url.js";
import { renderSignInScreen } from "./screens/sign-in-screen.js";

/** Under `vite dev` the UI is not served by the gateway, so its URL comes from OPENCLAW_GATEWAY_URL instead. */
function gatewayUrl(): string {
  return __OPENCLAW_DEV_GATEWAY_URL__ || gatewayUrlFromLocation(location);
}

const root = document.getElementById("app");
if (root === null) throw new Error("index.html lacks the #app element");
const app: HTMLElement = root;

let unmountShell: (() => void) | undefined;
let client: GatewayClient | undefined;

/** The client's auth options: a gateway with `auth.mode: "none"` is connected to without any. */
function credentialOptions(credential: Credential): { token?: string; password?: string } {
  if (credential.kind === "token") return { token: credential.secret };
  if (credential.kind === "password") return { password: credential.secret };
  return {};
}

async function connect(credential: Credential): Promise<{ client: GatewayClient; hello: HelloOk }> {
  const candidate = new GatewayClient({
    url: gatewayUrl(),
    ...credentialOptions(credential),
    scopes: [...CONTROL_UI_SCOPES],
    client: { id: "openclaw-control-ui", mode: "ui", displayName: "Control UI" },
    reconnect: true,
  });
  try {
    const hello = await candidate.connect();
    return { client: candidate, hello };
  } catch (error) {
    await candidate.close();
    throw error;
  }
}

function showSignIn(initialError?: string): void {
  unmountShell?.();
  unmountShell = undefined;
  const previous = client;
  client = undefined;
  void previous?.close();
  document.title = "Sign in · OpenClaw Control";
  replaceChildren(
    app,
    renderSignInScreen({
      ...(initialError ? { initialError } : {}),
      signIn: async (credential) => {
        const connection = await connect(credential);
        saveCredential(sessionStorage, credential);
        showApp(connection.client, connection.hello);
      },
    }),
  );
  app.querySelector<HTMLInputElement>("input[type=password]")?.focus();
}

function showApp(connected: GatewayClient, hello: HelloOk): void {
  client = connected;
  unmountShell = mountAppShell(app, {
    client: connected,
    hello,
    signOut: () => {
      clearCredential(sessionStorage);
      showSignIn();
    },
    lost: (message) => showSignIn(message),
  });
}

async function start(): Promise<void> {
  const stored = loadCredential(sessionStorage);
  if (stored === undefined) {
    showSignIn();
    return;
  }
  try {
    const connection = await connect(stored);
    showApp(connection.client, connection.hello);
  } catch (error) {
    // A refused credential is useless: forget it. A network failure keeps it for the next try.
    if (error instanceof GatewayError) clearCredential(sessionStorage);
    showSignIn(errorMessage(error));
  }
}

void start();
