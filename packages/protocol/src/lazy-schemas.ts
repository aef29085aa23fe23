/**
 * Memoises a module's schema builder. Protocol modules export `z.lazy(() => schemas().X)` wrappers, so the real
 * schemas are built when a method is first used, not at import: building every schema at start-up was enough
 * for V8 to optimise zod's constructors with TurboFan, which cost the idle gateway several MB of memory.
 */
export function lazySchemas<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}
