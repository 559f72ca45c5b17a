// A module imported with `?raw` is its file's text (Vite's convention; tsup.config.ts does the same).
declare module '*?raw' {
  const text: string;
  export default text;
}
