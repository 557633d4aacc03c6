// node:string_decoder for bundled npm packages: the `string_decoder` package (node core's, standalone).
import pkg from "string_decoder/lib/string_decoder.js";

export const StringDecoder = pkg.StringDecoder;
export default { StringDecoder };
