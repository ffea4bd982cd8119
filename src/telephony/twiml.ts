/**
 * The phone menu's answers as data (a `Step`) and as TwiML. Steps are built by the service, written as TwiML with
 * the twilio package's own `VoiceResponse` for the webhooks, and read back from TwiML by the call simulator (which
 * receives what the webhook answered, exactly as a telephony platform would). Pure: no I/O.
 */
import twilio from 'twilio';
import type { Lang } from '../platform/i18n/i18n.ts';

export interface Spoken {
  lang: Lang;
  text: string;
}

export interface GatherStep {
  /** Switchboard's own follow-on URL (path and query) the digits are posted to. */
  action: string;
  numDigits: number;
  timeout: number;
  /** What is said while waiting for the keys (the menu). */
  prompts: Spoken[];
}

export interface Step {
  /** Said first, before any menu. */
  says: Spoken[];
  gather: GatherStep | null;
  /** The queue the call is put in, when it is. */
  enqueue: string | null;
  hangup: boolean;
}

/** The Say language Twilio expects for each of our languages. */
export const SAY_LANGUAGE: Record<Lang, 'en-US' | 'es-US'> = { en: 'en-US', es: 'es-US' };

const langOfSay = (v: string | undefined): Lang => (v === 'es-US' ? 'es' : 'en');

/** The step as TwiML (text/xml). A Gather posts even when nothing was pressed, so a timeout counts as a try. */
export function toTwiml(step: Step): string {
  const response = new twilio.twiml.VoiceResponse();
  for (const s of step.says) response.say({ language: SAY_LANGUAGE[s.lang] }, s.text);
  if (step.gather) {
    const g = response.gather({
      input: ['dtmf'], numDigits: step.gather.numDigits, timeout: step.gather.timeout, action: step.gather.action, method: 'POST', actionOnEmptyResult: true,
      ...(step.gather.numDigits > 1 ? { finishOnKey: '#' } : {}),
    });
    for (const s of step.gather.prompts) g.say({ language: SAY_LANGUAGE[s.lang] }, s.text);
  }
  if (step.enqueue) response.enqueue({}, step.enqueue);
  if (step.hangup) response.hangup();
  return response.toString();
}

// ── reading TwiML back (the simulator) ──────────────────────────────────────────────────────────────────────────

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '&') {
      out += s[i];
      continue;
    }
    const end = s.indexOf(';', i);
    const name = end > i ? s.slice(i + 1, end) : '';
    if (name.startsWith('#x')) out += String.fromCodePoint(parseInt(name.slice(2), 16));
    else if (name.startsWith('#')) out += String.fromCodePoint(parseInt(name.slice(1), 10));
    else if (name in ENTITIES) out += ENTITIES[name];
    else throw new Error('TwiML: unknown entity');
    i = end;
  }
  return out;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';
const isNameChar = (c: string | undefined) => c !== undefined && !isSpace(c) && c !== '=' && c !== '>' && c !== '/' && c !== '<';

/**
 * A small, strict reader for the XML a TwiML document is (elements, double- or single-quoted attributes, text,
 * the five named entities and character references; a declaration and comments skipped). Throws on anything else.
 */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const stack: XmlElement[] = [root];
  while (i < xml.length) {
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) throw new Error('TwiML: unterminated declaration');
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) throw new Error('TwiML: unterminated comment');
      i = end + 3;
    } else if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name || stack.length === 0) throw new Error('TwiML: mismatched end tag');
      i = end + 1;
    } else if (xml[i] === '<') {
      i++;
      let name = '';
      while (isNameChar(xml[i])) name += xml[i++];
      if (!name) throw new Error('TwiML: bad tag');
      const el: XmlElement = { name, attributes: {}, children: [] };
      for (;;) {
        while (isSpace(xml[i])) i++;
        if (xml[i] === '/' && xml[i + 1] === '>') {
          i += 2;
          stack.at(-1)!.children.push(el);
          break;
        }
        if (xml[i] === '>') {
          i++;
          stack.at(-1)!.children.push(el);
          stack.push(el);
          break;
        }
        let attr = '';
        while (isNameChar(xml[i])) attr += xml[i++];
        while (isSpace(xml[i])) i++;
        if (!attr || xml[i] !== '=') throw new Error('TwiML: bad attribute');
        i++;
        while (isSpace(xml[i])) i++;
        const quote = xml[i];
        if (quote !== '"' && quote !== "'") throw new Error('TwiML: unquoted attribute');
        const end = xml.indexOf(quote, i + 1);
        if (end < 0) throw new Error('TwiML: unterminated attribute');
        el.attributes[attr] = decode(xml.slice(i + 1, end));
        i = end + 1;
      }
    } else {
      const end = xml.indexOf('<', i);
      const text = xml.slice(i, end < 0 ? xml.length : end);
      if (text.trim()) {
        if (stack.length === 1) throw new Error('TwiML: text outside the document element');
        stack.at(-1)!.children.push(decode(text));
      }
      i = end < 0 ? xml.length : end;
    }
  }
  if (stack.length !== 1) throw new Error('TwiML: unclosed element');
  return root;
}

const elements = (el: XmlElement): XmlElement[] => el.children.filter((c): c is XmlElement => typeof c !== 'string');
const textOf = (el: XmlElement): string => el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
const spoken = (el: XmlElement): Spoken => ({ lang: langOfSay(el.attributes.language), text: textOf(el).trim() });

/** A <Response> read back as a Step (only the verbs Switchboard writes; any other verb is an error). */
export function readTwiml(xml: string): Step {
  const response = elements(parseXml(xml))[0];
  if (!response || response.name !== 'Response') throw new Error('TwiML: no <Response>');
  const step: Step = { says: [], gather: null, enqueue: null, hangup: false };
  for (const el of elements(response)) {
    if (el.name === 'Say') step.says.push(spoken(el));
    else if (el.name === 'Gather') {
      step.gather = {
        action: el.attributes.action ?? '', numDigits: Number(el.attributes.numDigits ?? '1'), timeout: Number(el.attributes.timeout ?? '5'),
        prompts: elements(el).filter((c) => c.name === 'Say').map(spoken),
      };
    } else if (el.name === 'Enqueue') step.enqueue = textOf(el).trim();
    else if (el.name === 'Hangup') step.hangup = true;
    else throw new Error(`TwiML: unexpected <${el.name}>`);
  }
  return step;
}
