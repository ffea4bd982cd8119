/** htmlparser2 3.8 (in node_modules through a dev dependency) ships no types; the one call the telephony test uses. */
declare module 'htmlparser2' {
  export interface DomNode { type: string; name?: string; data?: string; attribs?: Record<string, string>; children?: DomNode[] }
  const htmlparser2: { parseDOM(text: string, options: { xmlMode: boolean; decodeEntities?: boolean }): DomNode[] };
  export default htmlparser2;
}
