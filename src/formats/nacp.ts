/**
 * formats: NACP, the application control property (switchbrew "NACP"): exactly 0x4000 bytes,
 * 16 language entries of {name 0x200, publisher 0x100} UTF-8, then the fixed fields.
 */
import type { ByteSource } from "./byte-source.js";
import { FieldView, fieldError, readField } from "./fields.js";

export const nacpSize = 0x4000;

/** Language entry order of the title table. */
export const nacpLanguages = [
  "AmericanEnglish",
  "BritishEnglish",
  "Japanese",
  "French",
  "German",
  "LatinAmericanSpanish",
  "Spanish",
  "Italian",
  "Dutch",
  "CanadianFrench",
  "Portuguese",
  "Russian",
  "Korean",
  "TraditionalChinese",
  "SimplifiedChinese",
  "BrazilianPortuguese",
] as const;
export type NacpLanguage = (typeof nacpLanguages)[number];

export const nacpLayout = {
  titleEntrySize: 0x300,
  nameSize: 0x200,
  publisherSize: 0x100,
  isbn: 0x3000,
  supportedLanguageFlag: 0x302c,
  presenceGroupId: 0x3038,
  displayVersion: 0x3060,
  addOnContentBaseId: 0x3070,
  saveDataOwnerId: 0x3078,
} as const;

export interface NacpTitle {
  language: NacpLanguage;
  name: string;
  publisher: string;
}

export interface NacpInfo {
  format: "nacp";
  /** Language entries whose name or publisher is set, in table order. */
  titles: NacpTitle[];
  displayVersion: string;
  /**
   * The application id as 16 hex digits. A NACP has no field of that name; the presence group
   * id carries it (homebrew tools write the title id there, and so does retail software).
   */
  applicationId: string;
  presenceGroupId: string;
  saveDataOwnerId: string;
  addOnContentBaseId: string;
  supportedLanguageFlag: number;
  isbn: string;
}

export async function parseNacp(source: ByteSource): Promise<NacpInfo> {
  if (source.size !== nacpSize) {
    throw fieldError(source.label, "nacp", 0, `a NACP is 0x${nacpSize.toString(16)} bytes, this is 0x${source.size.toString(16)}`, "the file is truncated or is not a control.nacp");
  }
  const view = new FieldView(await readField(source, 0, nacpSize, "nacp"), 0, source.label);
  const titles: NacpTitle[] = [];
  nacpLanguages.forEach((language, i) => {
    const at = i * nacpLayout.titleEntrySize;
    const name = view.cString(at, nacpLayout.nameSize);
    const publisher = view.cString(at + nacpLayout.nameSize, nacpLayout.publisherSize);
    if (name !== "" || publisher !== "") titles.push({ language, name, publisher });
  });
  const presenceGroupId = view.hex64(nacpLayout.presenceGroupId);
  return {
    format: "nacp",
    titles,
    displayVersion: view.cString(nacpLayout.displayVersion, 0x10),
    applicationId: presenceGroupId,
    presenceGroupId,
    saveDataOwnerId: view.hex64(nacpLayout.saveDataOwnerId),
    addOnContentBaseId: view.hex64(nacpLayout.addOnContentBaseId),
    supportedLanguageFlag: view.u32(nacpLayout.supportedLanguageFlag),
    isbn: view.cString(nacpLayout.isbn, 0x25),
  };
}
