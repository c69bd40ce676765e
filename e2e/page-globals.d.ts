// Page-side globals for the functions passed to page.evaluate (e2e compiles without the DOM lib).
declare const window: any;
declare const document: { documentElement: { dataset: Record<string, string | undefined> } };
declare const location: { hash: string };
