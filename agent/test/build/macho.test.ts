import t from 'tap';
import { machOLayout, removeMachOSignature } from '../../build/macho.mjs';

// A minimal thin Mach-O built here (reconstructed from the layout in Apple's <mach-o/loader.h>, not captured):
// header, __TEXT, __LINKEDIT (the rest of the file) and LC_CODE_SIGNATURE pointing at the last `sigSize` bytes,
// with one more load command after the signature's, as the official node builds have (LC_DYLD_CHAINED_FIXUPS…).
function machO(options: { cputype: number; linkeditOff: number; sigSize: number; signed: boolean }): Buffer {
  const commands: Buffer[] = [];
  const segment = (name: string, fileoff: number, filesize: number) => {
    const c = Buffer.alloc(72);
    c.writeUInt32LE(0x19, 0);
    c.writeUInt32LE(72, 4);
    c.write(name, 8, 'latin1');
    c.writeBigUInt64LE(BigInt(fileoff), 24); // vmaddr = fileoff, as if unslid
    c.writeBigUInt64LE(BigInt(filesize), 32);
    c.writeBigUInt64LE(BigInt(fileoff), 40);
    c.writeBigUInt64LE(BigInt(filesize), 48);
    return c;
  };
  const total = options.linkeditOff + 64 + (options.signed ? options.sigSize : 0);
  commands.push(segment('__TEXT', 0, options.linkeditOff));
  commands.push(segment('__LINKEDIT', options.linkeditOff, total - options.linkeditOff));
  if (options.signed) {
    const sig = Buffer.alloc(16);
    sig.writeUInt32LE(0x1d, 0);
    sig.writeUInt32LE(16, 4);
    sig.writeUInt32LE(total - options.sigSize, 8);
    sig.writeUInt32LE(options.sigSize, 12);
    commands.push(sig);
  }
  const uuid = Buffer.alloc(24);
  uuid.writeUInt32LE(0x1b, 0); // LC_UUID
  uuid.writeUInt32LE(24, 4);
  uuid.fill(0xab, 8);
  commands.push(uuid);
  const file = Buffer.alloc(total, 0x11);
  file.writeUInt32LE(0xfeedfacf, 0);
  file.writeUInt32LE(options.cputype, 4);
  file.writeUInt32LE(commands.length, 16);
  file.writeUInt32LE(commands.reduce((n, c) => n + c.length, 0), 20);
  Buffer.concat(commands).copy(file, 32);
  file.fill(0x22, 32 + commands.reduce((n, c) => n + c.length, 0), 1024); // padding after the commands stays as it was
  return file;
}

t.test('removing the signature: the load command goes, the commands after it move up, __LINKEDIT and the file end before it', async (t) => {
  for (const [cputype, cpu, page] of [[0x0100000c, 'arm64', 0x4000], [0x01000007, 'x64', 0x1000]] as const) {
    const sigSize = 4096 + 48;
    const linkeditOff = 0x8000;
    const signed = machO({ cputype, linkeditOff, sigSize, signed: true });
    const before = machOLayout(signed);
    t.same([before.cpu, before.ncmds, before.signature?.datasize], [cpu, 4, sigSize]);
    const out = removeMachOSignature(signed, cpu);
    const after = machOLayout(out);
    t.equal(out.length, signed.length - sigSize, `${cpu}: the file ends where the signature began`);
    t.same([after.ncmds, after.sizeofcmds, after.signature], [3, before.sizeofcmds - 16, null], `${cpu}: one load command fewer`);
    const linkedit = after.segments.find((s) => s.name === '__LINKEDIT')!;
    t.equal(linkedit.fileoff + linkedit.filesize, out.length, `${cpu}: __LINKEDIT ends with the file`);
    t.equal(Number(out.readBigUInt64LE(linkedit.at + 32)), Math.ceil(linkedit.filesize / page) * page, `${cpu}: vmsize rounded to its ${page}-byte pages`);
    const uuidAt = 32 + after.sizeofcmds - 24;
    t.same([out.readUInt32LE(uuidAt), out[uuidAt + 8]], [0x1b, 0xab], `${cpu}: the LC_UUID after the signature's moved up intact`);
    t.ok(out.subarray(32 + after.sizeofcmds, 32 + before.sizeofcmds).every((b) => b === 0), `${cpu}: the freed command bytes are zero`);
    t.equal(removeMachOSignature(out), out, `${cpu}: an unsigned file comes back as it is`);
  }
});

t.test('what is not a thin 64-bit Mach-O, or a signature not at the end, is refused by name', async (t) => {
  t.throws(() => machOLayout(Buffer.from('MZ\x90\x00 a PE file, not Mach-O'), 'win.exe'), /win\.exe: not a thin 64-bit Mach-O \(magic/);
  const fat = Buffer.alloc(64);
  fat.writeUInt32BE(0xcafebabe, 0); // a universal binary
  t.throws(() => removeMachOSignature(fat, 'universal'), /universal: not a thin 64-bit Mach-O/);
  t.throws(() => machOLayout(Buffer.alloc(2), 'tiny'), /tiny: not a thin 64-bit Mach-O \(magic missing\)/);
  const cut = machO({ cputype: 0x0100000c, linkeditOff: 0x8000, sigSize: 100, signed: true }).subarray(0, 60);
  t.throws(() => machOLayout(Buffer.from(cut), 'cut'), /cut: load commands run past the end of the file/);
  const trailing = Buffer.concat([machO({ cputype: 0x0100000c, linkeditOff: 0x8000, sigSize: 100, signed: true }), Buffer.alloc(16)]);
  t.throws(() => removeMachOSignature(trailing, 'trailing'), /trailing: the signature is not at the end of __LINKEDIT and of the file/);
});
