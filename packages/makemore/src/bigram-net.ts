// Moved to families/bigram-net/; this path stays for existing imports.
export * from './families/bigram-net/bigram-net.js';
