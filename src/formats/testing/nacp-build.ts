// formats/testing: builds a 0x4000-byte NACP with the fields recomp reads. For fixtures only.
import { nacpLanguages, nacpLayout, nacpSize, type NacpLanguage } from "../nacp.js";

export interface NacpBuildInput {
  titles: { language: NacpLanguage; name: string; publisher: string }[];
  displayVersion: string;
  /** 16 hex digits, written as presence group id and save data owner id (as nacptool does). */
  applicationId: string;
}

export function buildNacp(input: NacpBuildInput): Uint8Array {
  const out = new Uint8Array(nacpSize);
  const view = new DataView(out.buffer);
  for (const title of input.titles) {
    const at = nacpLanguages.indexOf(title.language) * nacpLayout.titleEntrySize;
    out.set(Buffer.from(title.name, "utf8").subarray(0, nacpLayout.nameSize - 1), at);
    out.set(Buffer.from(title.publisher, "utf8").subarray(0, nacpLayout.publisherSize - 1), at + nacpLayout.nameSize);
  }
  out.set(Buffer.from(input.displayVersion, "utf8").subarray(0, 0xf), nacpLayout.displayVersion);
  const id = BigInt(`0x${input.applicationId}`);
  view.setBigUint64(nacpLayout.presenceGroupId, id, true);
  view.setBigUint64(nacpLayout.saveDataOwnerId, id, true);
  return out;
}
