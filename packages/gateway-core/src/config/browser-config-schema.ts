import { z } from "zod";

const BrowserSsrfPolicySchema = z
  .looseObject({
    dangerouslyAllowPrivateNetwork: z.boolean().optional().meta({
      title: "Allow private networks",
      description:
        "Lets the browser load private, loopback and link-local addresses. Only for trusted networks.",
    }),
    allowPrivateNetwork: z
      .boolean()
      .optional()
      .meta({ description: "Legacy alias of dangerouslyAllowPrivateNetwork." }),
    allowedHostnames: z.array(z.string().min(1)).optional().meta({
      description: "Hosts (or IP literals) the browser may load even when they are private, e.g. 127.0.0.1.",
    }),
    blockedHostnames: z.array(z.string().min(1)).optional().meta({
      description: 'Hosts, or "*.example.com" for subdomains, the browser never loads.',
    }),
    allowRfc2544BenchmarkRange: z.boolean().optional(),
    allowIpv6UniqueLocalRange: z.boolean().optional(),
  })
  .meta({ title: "Browser address policy" });

const BrowserProfileSchema = z.looseObject({
  executablePath: z.string().min(1).optional(),
  headless: z.boolean().optional(),
});

/**
 * `browser`: the agent's own Chromium (the `browser` tool and `browser.request`, from `@openclaw/browser`). Every key
 * is read when a profile starts or a page loads, so an edit applies to the next browser action.
 */
export const BrowserConfigSchema = z
  .looseObject({
    enabled: z.boolean().optional().meta({ title: "Browser enabled", description: "Default true." }),
    executablePath: z.string().min(1).optional().meta({
      title: "Browser binary",
      description: "Default: chromium, chromium-browser or google-chrome on PATH. Never downloaded.",
    }),
    headless: z.boolean().optional().meta({ description: "Default true (a server has no display)." }),
    noSandbox: z.boolean().optional().meta({ description: "Chromium's --no-sandbox; always on as root." }),
    extraArgs: z.array(z.string()).optional().meta({ description: "More Chromium flags." }),
    defaultProfile: z.string().min(1).optional().meta({ description: 'Default "openclaw".' }),
    profiles: z.record(z.string(), BrowserProfileSchema).optional(),
    ssrfPolicy: BrowserSsrfPolicySchema.optional(),
  })
  .meta({ title: "Browser" });
