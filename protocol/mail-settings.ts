import * as v from 'valibot';

/**
 * A brand's e-mail, as its admin keeps it (GET/PUT /v1/admin/mail): the address customers write
 * to, the sender, and the brand's own SMTP relay. The relay password is write-only: no answer
 * ever carries it, only whether one is stored; a PUT without it keeps the stored one.
 */

const Address = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(200), v.email('not an e-mail address'));
// Header values: a line break would let a sender name inject headers into every mail.
const HeaderText = (what: string, max: number) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, `${what} must not be empty`), v.maxLength(max), v.regex(/^[^\r\n\0]*$/, `${what} must be one line`));
const Host = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(253), v.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'relay.host is not a host name'));

/** PUT /v1/admin/mail. */
export const MailSettingsRequest = v.strictObject({
  /** Where customers write, without a +tag: support@brand.example. */
  inboundAddress: v.pipe(Address, v.check((a) => !a.split('@')[0]!.includes('+'), 'inboundAddress must not hold a +tag: the tags are ours')),
  fromName: HeaderText('fromName', 100),
  fromAddress: Address,
  relay: v.strictObject({
    host: Host,
    port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
    /** true: implicit TLS (465); false: STARTTLS when the relay offers it. */
    secure: v.boolean(),
    user: v.optional(v.nullable(HeaderText('relay.user', 200)), null),
    /** Omitted: keep the stored password. null: remove it. */
    password: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(500)))),
  }),
});
export type MailSettingsRequest = v.InferOutput<typeof MailSettingsRequest>;

/** What GET and PUT /v1/admin/mail answer: the settings without the password. */
export interface MailSettingsView {
  inboundAddress: string;
  fromName: string;
  fromAddress: string;
  relay: { host: string; port: number; secure: boolean; user: string | null; passwordSet: boolean };
}

/** GET /v1/admin/mail: null when the brand has no e-mail (its away form then promises none). */
export interface MailSettingsResponse {
  mail: MailSettingsView | null;
}
