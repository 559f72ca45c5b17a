// Moved to families/bigram-counts/; this path stays for existing imports.
export * from './families/bigram-counts/bigram-counts.js';
