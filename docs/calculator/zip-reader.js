/*
 * zip-reader.js: one member of a zip archive, read as Python's zipfile reads it and within the command line's
 * limits (lenet_explain.safe_files.zip_directory + read_member): the directory found where zipfile finds it, walked
 * bounded, the last entry of a name read, inflated in bounded chunks and checked against its CRC-32.
 */
import { LenetError, formatInt, message } from "./numbers.js";

const END = 0x06054b50; // the end of central directory record (22 bytes, then a comment)
const END64 = 0x06064b50; // the zip64 end record (56 bytes), just before its locator
const LOCATOR64 = 0x07064b50; // the zip64 end record's locator (20 bytes), just before the end record
const ENTRY = 0x02014b50; // one central directory entry (46 bytes, then its name, extra field and comment)
const LOCAL = 0x04034b50; // one member's local header (30 bytes, then its name and extra field)
const MAX_EXTRACT_VERSION = 63; // the newest zip version zipfile reads (zipfile.MAX_EXTRACT_VERSION)
const FULL = 0xffffffff; // a 32-bit size or offset whose real value is in the zip64 extra field

/** A refusal of an archive: ``key`` (and ``params``) say why, in the page's language. */
export function archiveError(key, params) {
  return new LenetError(message("archive_unreadable", { problem: message(key, params) }));
}

/** Where the last end record signature of the file's tail starts, or -1 (as safe_files.zip_directory's rfind). */
function endRecord(bytes, view) {
  const tailStart = Math.max(0, bytes.length - (65535 + 22));
  for (let i = bytes.length - 4; i >= tailStart; i--) {
    if (view.getUint32(i, true) === END) return bytes.length - i < 22 ? -1 : i;
  }
  return -1;
}

/** (entries declared, directory start, directory end, shift of the declared offsets) of a zip file. */
function directory(bytes, view, maxMembers) {
  const end = endRecord(bytes, view);
  if (end < 0) throw archiveError("archive_not_zip");
  let count = view.getUint16(end + 10, true), size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true), directoryEnd = end;
  if (end >= 20 + 56 && view.getUint32(end - 20, true) === LOCATOR64 && view.getUint32(end - 76, true) === END64) {
    count = Number(view.getBigUint64(end - 76 + 32, true)); // zip64: the real numbers are in its end record
    size = Number(view.getBigUint64(end - 76 + 40, true));
    offset = Number(view.getBigUint64(end - 76 + 48, true));
    directoryEnd = end - 76;
  }
  if (count > maxMembers) throw archiveError("archive_members", { count: formatInt(count), max: maxMembers });
  const start = directoryEnd - size;
  if (start < 0) throw archiveError("archive_directory_size", { bytes: formatInt(size) });
  if (offset > start) throw archiveError("archive_damaged_zip");
  return { count, start, directoryEnd, shift: start - offset };
}

/** A member name as zipfile reads it (UTF-8 when flagged, else code page 437, cut at a NUL). */
function memberName(raw, utf8) {
  try {
    return new TextDecoder(utf8 ? "utf-8" : "latin1", { fatal: utf8 }).decode(raw).split("\0")[0];
  } catch {
    throw archiveError("archive_damaged_zip");
  }
}

/** Refuse a member name that points outside the archive (safe_files.check_member_name, on the file's bytes). */
function checkMemberName(raw) {
  const name = new TextDecoder("utf-8").decode(raw);
  const parts = name.split("/");
  if (name.startsWith("/") || name.includes("\\") || parts.includes("..") || (name.length > 1 && name[1] === ":")) {
    throw archiveError("archive_outside", { name: JSON.stringify(name) });
  }
}

/** An entry's sizes and local header offset, the 32-bit ones that are full read from its zip64 extra field. */
function zip64Sizes(extra, fields) {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let p = 0; p + 4 <= extra.length;) {
    const tag = view.getUint16(p, true), length = view.getUint16(p + 2, true);
    if (p + 4 + length > extra.length) throw archiveError("archive_damaged_zip"); // zipfile: corrupt extra field
    let q = p + 4;
    for (const key of tag === 1 ? ["size", "packed", "local"] : []) {
      if (fields[key] !== FULL) continue;
      if (q + 8 > p + 4 + length) throw archiveError("archive_damaged_zip");
      fields[key] = Number(view.getBigUint64(q, true));
      q += 8;
    }
    p += 4 + length;
  }
  return fields;
}

/**
 * The central directory's entries, walked bounded: refused past the declared count or ``maxMembers``. Each field
 * is read as zipfile reads it, from the directory alone (a name running past it is cut there).
 */
function entries(bytes, view, maxMembers) {
  const { count, start, directoryEnd, shift } = directory(bytes, view, maxMembers);
  const found = [];
  const field = (from, length) => bytes.subarray(Math.min(from, directoryEnd), Math.min(from + length, directoryEnd));
  let at = start;
  while (at < directoryEnd) {
    if (at + 46 > directoryEnd || view.getUint32(at, true) !== ENTRY) {
      throw archiveError("archive_damaged_zip"); // zipfile: a bad magic number, or a truncated directory
    }
    if (found.length + 1 > maxMembers) throw archiveError("archive_more_members", { max: maxMembers });
    if (found.length + 1 > count) throw archiveError("archive_entries", { count: formatInt(count) });
    const flags = view.getUint16(at + 8, true), nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true), commentLength = view.getUint16(at + 32, true);
    checkMemberName(bytes.subarray(at + 46, at + 46 + nameLength));
    if (bytes[at + 6] > MAX_EXTRACT_VERSION) throw archiveError("archive_version", { version: bytes[at + 6] / 10 });
    const raw = field(at + 46, nameLength);
    const fields = zip64Sizes(field(at + 46 + nameLength, extraLength), {
      size: view.getUint32(at + 24, true), packed: view.getUint32(at + 20, true), local: view.getUint32(at + 42, true),
    });
    found.push(Object.assign(fields, {
      name: memberName(raw, (flags & 0x800) !== 0), raw, flags, method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true), local: fields.local + shift,
    }));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

/** The compressed bytes of an entry, after its local header (checked as zipfile checks it). */
function packedBytes(bytes, view, entry) {
  const at = entry.local;
  if (at < 0 || at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw archiveError("archive_damaged_zip");
  const nameLength = view.getUint16(at + 26, true);
  const localName = bytes.subarray(at + 30, at + 30 + nameLength);
  if (localName.length !== entry.raw.length || localName.some((b, i) => b !== entry.raw[i])) {
    throw archiveError("archive_damaged_zip"); // zipfile: the names in the directory and the header differ
  }
  if (entry.flags & 1) throw archiveError("archive_encrypted");
  if (entry.flags & 0x60) throw archiveError("archive_feature", { name: entry.name }); // patched data, strong encryption
  const start = at + 30 + nameLength + view.getUint16(at + 28, true);
  return bytes.subarray(start, start + entry.packed); // cut at the file's end: zipfile reads what it needs
}

/** The chunks a member's bytes inflate to, as a stream reader (stored bytes are one chunk). */
function inflater(packed, method, name) {
  if (method === 0) return new Blob([packed]).stream().getReader();
  if (method !== 8) throw archiveError("archive_compression", { name: name });
  return new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
}

/** A member's bytes, inflated in chunks up to its declared ``size`` (never more than that + one chunk held). */
async function inflated(packed, entry) {
  const reader = inflater(packed, entry.method, entry.name);
  const chunks = [];
  let total = 0;
  try {
    while (total < entry.size) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch {
    throw archiveError("archive_damaged", { name: entry.name });
  } finally {
    reader.cancel().catch(() => {});
  }
  const data = new Uint8Array(Math.min(total, entry.size)); // a stream ending early: zipfile checks what came
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk.subarray(0, data.length - at), at);
    at += Math.min(chunk.length, data.length - at);
  }
  return data; // what zipfile reads: the declared size, no more
}

let crcTable = null;

/** The CRC-32 of ``data`` (zlib's, as zip archives use). */
export function crc32(data) {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The bytes of member ``name`` of a zip archive (an ArrayBuffer), at most ``limit`` of them: the last entry of that
 * name, as zipfile reads it; refused when the archive has more than ``maxMembers`` entries, names outside itself,
 * a member larger than ``limit`` (declared, or inflated past it), or a CRC-32 that does not match.
 */
export async function readZipMember(buffer, name, limit, maxMembers) {
  const bytes = new Uint8Array(buffer), view = new DataView(buffer);
  const entry = entries(bytes, view, maxMembers).findLast((e) => e.name === name);
  if (!entry) throw archiveError("archive_no_member", { name: name });
  if (entry.size > limit) throw archiveError("archive_member_size", { name: name, bytes: formatInt(limit) });
  const data = await inflated(packedBytes(bytes, view, entry), entry);
  if (crc32(data) !== entry.crc) throw archiveError("archive_crc", { name: name });
  return data;
}
