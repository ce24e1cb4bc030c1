// Mach-O load commands, read and edited just enough for the darwin executables (agent/build.mjs --cross),
// which are built on Linux where there is no codesign. Thin 64-bit Mach-O only: the official Node builds for
// darwin-x64 and darwin-arm64 are thin (one CPU each), not universal.

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CPU_TYPE_ARM64 = 0x0100000c;
const CPU_TYPE_X86_64 = 0x01000007;
const HEADER = 32; // mach_header_64

/** CPU, segments (with their sections) and the code signature if any. Throws on anything but a thin 64-bit Mach-O. */
export function machOLayout(file, name = 'file') {
  if (file.length < HEADER || file.readUInt32LE(0) !== MH_MAGIC_64) {
    throw new Error(`${name}: not a thin 64-bit Mach-O (magic ${file.length < 4 ? 'missing' : file.readUInt32LE(0).toString(16)})`);
  }
  const cputype = file.readUInt32LE(4);
  const ncmds = file.readUInt32LE(16);
  const sizeofcmds = file.readUInt32LE(20);
  if (HEADER + sizeofcmds > file.length) throw new Error(`${name}: load commands run past the end of the file`);
  const segments = [];
  let signature = null;
  let at = HEADER;
  for (let i = 0; i < ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    const size = file.readUInt32LE(at + 4);
    if (size < 8 || at + size > HEADER + sizeofcmds) throw new Error(`${name}: load command ${i} has a broken size`);
    if (cmd === LC_CODE_SIGNATURE) signature = { at, size, dataoff: file.readUInt32LE(at + 8), datasize: file.readUInt32LE(at + 12) };
    if (cmd === LC_SEGMENT_64) {
      const nsects = file.readUInt32LE(at + 64);
      const sections = Array.from({ length: nsects }, (_, j) => cString(file, at + 72 + 80 * j));
      segments.push({ at, name: cString(file, at + 8), fileoff: Number(file.readBigUInt64LE(at + 40)), filesize: Number(file.readBigUInt64LE(at + 48)), sections });
    }
    at += size;
  }
  const cpu = cputype === CPU_TYPE_ARM64 ? 'arm64' : cputype === CPU_TYPE_X86_64 ? 'x64' : `cputype ${cputype.toString(16)}`;
  return { cpu, ncmds, sizeofcmds, segments, signature };
}

function cString(file, at) {
  return file.toString('latin1', at, at + 16).replace(/\0.*$/s, '');
}

/**
 * What `codesign --remove-signature` does to a thin 64-bit Mach-O, done here because codesign exists only on macOS:
 * drops the LC_CODE_SIGNATURE load command and cuts the signature (the end of __LINKEDIT and of the file) off.
 * Node's macOS recipe removes the signature before injecting: a stale one would no longer match the file and sits
 * where postject's new segment must go. Without one, `codesign --sign -` on the Mac is all that is missing
 * (docs/install.md). A file without a signature comes back as it is.
 */
export function removeMachOSignature(file, name = 'file') {
  const { cpu, ncmds, sizeofcmds, segments, signature } = machOLayout(file, name);
  if (!signature) return file;
  const linkedit = segments.find((s) => s.name === '__LINKEDIT');
  if (!linkedit) throw new Error(`${name}: a signature but no __LINKEDIT segment`);
  if (signature.dataoff + signature.datasize !== file.length || linkedit.fileoff + linkedit.filesize !== file.length) {
    throw new Error(`${name}: the signature is not at the end of __LINKEDIT and of the file`);
  }
  const out = Buffer.from(file.subarray(0, signature.dataoff));
  // The load commands after the signature's move up over it; the freed bytes at the end become zero.
  file.copy(out, signature.at, signature.at + signature.size, HEADER + sizeofcmds);
  out.fill(0, HEADER + sizeofcmds - signature.size, HEADER + sizeofcmds);
  out.writeUInt32LE(ncmds - 1, 16);
  out.writeUInt32LE(sizeofcmds - signature.size, 20);
  const at = linkedit.at > signature.at ? linkedit.at - signature.size : linkedit.at;
  const filesize = signature.dataoff - linkedit.fileoff;
  const pageSize = cpu === 'arm64' ? 0x4000 : 0x1000; // arm64 pages are 16 KiB
  out.writeBigUInt64LE(BigInt(Math.ceil(filesize / pageSize) * pageSize), at + 32); // vmsize
  out.writeBigUInt64LE(BigInt(filesize), at + 48);
  return out;
}
