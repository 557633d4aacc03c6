declare module "tr46" {
  export function toASCII(domain: string, options: unknown): string | null;
}
