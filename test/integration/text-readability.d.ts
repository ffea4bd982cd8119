/** text-readability ships no types; the one measure the readability test uses. */
declare module 'text-readability' {
  const readability: { fleschKincaidGrade(text: string): number };
  export default readability;
}
