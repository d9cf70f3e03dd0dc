const REDACTED = "[redacted]";

/**
 * Removes known secrets from text that came from elsewhere (server messages, error codes) before it
 * is put into an error or a log line. Our own messages never include secrets; this guards against a
 * server echoing one back.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    // Very short strings would redact ordinary words; real secrets and tokens are long.
    if (secret.length >= 8) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result;
  }
}
