/** Types of macho.mjs (a plain ES module, run by agent/build.mjs without a TypeScript loader). */
export interface MachOSegment { at: number; name: string; fileoff: number; filesize: number; sections: string[] }
export interface MachOLayout {
  cpu: string;
  ncmds: number;
  sizeofcmds: number;
  segments: MachOSegment[];
  signature: { at: number; size: number; dataoff: number; datasize: number } | null;
}
export function machOLayout(file: Buffer, name?: string): MachOLayout;
export function removeMachOSignature(file: Buffer, name?: string): Buffer;
