/** Statements on `<schema>.kv`, the rows of every small table, keyed by (table name, key). */
export function tableStatements(s: string) {
  return {
    get: `SELECT key, value, version FROM ${s}.kv WHERE name = $1 AND key = $2`,
    upsert: `INSERT INTO ${s}.kv AS r (name, key, value, version) VALUES ($1, $2, $3, 1)
      ON CONFLICT (name, key) DO UPDATE SET value = EXCLUDED.value, version = r.version + 1
      RETURNING version`,
    insert: `WITH ins AS (
      INSERT INTO ${s}.kv (name, key, value, version) VALUES ($1, $2, $3, 1)
      ON CONFLICT (name, key) DO NOTHING RETURNING version)
    SELECT (SELECT version FROM ins) AS written, (SELECT version FROM ${s}.kv WHERE name = $1 AND key = $2) AS current`,
    update: `WITH upd AS (
      UPDATE ${s}.kv SET value = $3, version = version + 1 WHERE name = $1 AND key = $2 AND version = $4
      RETURNING version)
    SELECT (SELECT version FROM upd) AS written, (SELECT version FROM ${s}.kv WHERE name = $1 AND key = $2) AS current`,
    delete: `DELETE FROM ${s}.kv WHERE name = $1 AND key = $2`,
  };
}

/** `list` with only the bounds given, so the planner turns prefix and `after` into index bounds on (name, key). */
export function tableListStatement(
  s: string,
  name: string,
  o: { prefix?: string; after?: string; limit?: number },
): { text: string; values: unknown[] } {
  const values: unknown[] = [name];
  let text = `SELECT key, value, version FROM ${s}.kv WHERE name = $1`;
  if (o.prefix !== undefined && o.prefix !== "") {
    values.push(o.prefix);
    text += ` AND key ^@ $${values.length}`;
  }
  if (o.after !== undefined) {
    values.push(o.after);
    text += ` AND key > $${values.length}`;
  }
  text += " ORDER BY key";
  if (o.limit !== undefined) {
    values.push(Math.max(0, o.limit));
    text += ` LIMIT $${values.length}`;
  }
  return { text, values };
}
