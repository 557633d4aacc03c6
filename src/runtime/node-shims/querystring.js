// node:querystring for bundled npm packages: the `querystring-es3` package (node core's, standalone).
import qs from "querystring-es3";

export const parse = qs.parse;
export const stringify = qs.stringify;
export const decode = qs.decode;
export const encode = qs.encode;
export const escape = (text) => encodeURIComponent(text);
export const unescape = (text) => decodeURIComponent(text);
export default { parse, stringify, decode, encode, escape, unescape };
