import { statfs } from 'node:fs/promises';

export interface DiskUsage {
  path: string;
  usedPercent: number;
  freeBytes: number;
  totalBytes: number;
  /** Inodes in use, in percent; null where the file system does not report inodes (btrfs, some network file systems). */
  inodesUsedPercent: number | null;
  freeInodes: number | null;
}

/**
 * Space and inodes of the file system holding `path`. "Used" counts what an unprivileged process can
 * no longer write (blocks less those available to it), as `df` does.
 */
export async function diskUsage(path: string): Promise<DiskUsage> {
  const s = await statfs(path);
  const usable = s.blocks - (s.bfree - s.bavail);
  const usedPercent = usable > 0 ? (100 * (usable - s.bavail)) / usable : 0;
  const inodesUsedPercent = s.files > 0 ? (100 * (s.files - s.ffree)) / s.files : null;
  return {
    path,
    usedPercent,
    freeBytes: s.bavail * s.bsize,
    totalBytes: s.blocks * s.bsize,
    inodesUsedPercent,
    freeInodes: s.files > 0 ? s.ffree : null,
  };
}
