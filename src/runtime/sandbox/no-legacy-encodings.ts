// Replaces whatwg-url's import of legacy multi-byte encodings (gb18030, Shift_JIS, …): a URL's query uses
// one only when an HTML document asks for it, which never happens in a function.
export {};
